"""Children's group trips out of town, and the police escort without which none is approved."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.models import BaseModel, latitude_field, longitude_field
from saqshy.duty.models import Person
from saqshy.facilities.models import Facility
from saqshy.incidents.models import Unit
from saqshy.trips.choices import EscortKind, TripStatus, VehicleKind


def vehicle_errors(vehicles: Any) -> list[str]:
    """What is wrong with a list of ``{"plate", "kind", "seats"}`` rows (empty when valid)."""
    if not isinstance(vehicles, list):
        return [gettext("Give a list of vehicles.")]
    errors = []
    kinds = VehicleKind.values()
    for number, row in enumerate(vehicles, start=1):
        if not isinstance(row, dict) or set(row) - {"plate", "kind", "seats"}:
            errors.append(gettext("Vehicle %(n)s: give plate, kind and seats.") % {"n": number})
            continue
        if not str(row.get("plate", "")).strip():
            errors.append(gettext("Vehicle %(n)s: the number plate is missing.") % {"n": number})
        if row.get("kind") not in kinds:
            errors.append(
                gettext("Vehicle %(n)s: the kind must be one of %(kinds)s.")
                % {"n": number, "kinds": ", ".join(kinds)}
            )
        seats = row.get("seats")
        if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 100:
            errors.append(
                gettext("Vehicle %(n)s: seats must be a number from 1 to 100.") % {"n": number}
            )
    return errors


def driver_errors(drivers: Any) -> list[str]:
    """What is wrong with a list of ``{"name", "licence"}`` rows (empty when valid)."""
    if not isinstance(drivers, list):
        return [gettext("Give a list of drivers.")]
    errors = []
    for number, row in enumerate(drivers, start=1):
        if not isinstance(row, dict) or set(row) - {"name", "licence"}:
            errors.append(gettext("Driver %(n)s: give name and licence.") % {"n": number})
            continue
        for key, label in (("name", gettext("name")), ("licence", gettext("licence number"))):
            if not str(row.get(key, "")).strip():
                errors.append(
                    gettext("Driver %(n)s: the %(what)s is missing.") % {"n": number, "what": label}
                )
    return errors


def route_errors(route: Any) -> list[str]:
    """A route is a GeoJSON LineString of at least two [lon, lat] positions, or nothing."""
    if route in (None, {}):
        return []
    coordinates = route.get("coordinates") if isinstance(route, dict) else None
    if (
        not isinstance(route, dict)
        or route.get("type") != "LineString"
        or not isinstance(coordinates, list)
        or len(coordinates) < 2
    ):
        return [gettext("The route must be a GeoJSON LineString of at least two points.")]
    for point in coordinates:
        if (
            not isinstance(point, list | tuple)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            return [gettext("Every route point must be [longitude, latitude].")]
    return []


class Trip(BaseModel):
    """A children's group trip out of town, registered by a school, kindergarten or other
    organiser. It may be approved only with a police escort assigned and free for the whole
    trip; the services are its only writer, so no path approves it otherwise.

    ``vehicles`` are ``{"plate", "kind", "seats"}`` rows and ``drivers`` ``{"name",
    "licence"}`` rows: a trip has a handful of each and they are always read with it.
    ``organiser_ref`` is the organiser's own reference, the key that keeps re-imports from
    duplicating trips.
    """

    organiser = models.CharField(_("organiser"), max_length=255)
    organiser_facility = models.ForeignKey(
        Facility,
        verbose_name=_("school or kindergarten"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trips",
    )
    organiser_ref = models.CharField(_("organiser reference"), max_length=80, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="trips",
        help_text=_("Follows the departure place."),
    )
    children_count = models.PositiveIntegerField(
        _("number of children"), validators=[MinValueValidator(1)]
    )
    adults_count = models.PositiveIntegerField(
        _("number of accompanying adults"), validators=[MinValueValidator(1)]
    )
    departs_at = models.DateTimeField(_("departure"))
    returns_at = models.DateTimeField(_("return"))
    departure_name = models.CharField(_("departure place"), max_length=255)
    departure_lat = latitude_field(_("departure latitude"))
    departure_lon = longitude_field(_("departure longitude"))
    destination_name = models.CharField(_("destination"), max_length=255)
    destination_lat = latitude_field(_("destination latitude"))
    destination_lon = longitude_field(_("destination longitude"))
    route_text = models.TextField(_("route"), blank=True)
    route = models.JSONField(_("route line (GeoJSON LineString)"), null=True, blank=True)
    vehicles = models.JSONField(_("vehicles"), default=list, blank=True)
    drivers = models.JSONField(_("drivers"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=255)
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=TripStatus.choices(), default=TripStatus.DRAFT
    )
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("children's trip")
        verbose_name_plural = _("children's trips")
        ordering = ["departs_at", "id"]
        permissions = [("approve_trip", _("Can approve children's trips"))]
        indexes = [
            models.Index(fields=["region", "departs_at"], name="trip_region_departs"),
            models.Index(fields=["organiser_ref"], name="trip_organiser_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.organiser} → {self.destination_name}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.departs_at and self.returns_at and self.returns_at <= self.departs_at:
            errors["returns_at"] = [gettext("The return must be after the departure.")]
        for name, check in (
            ("vehicles", vehicle_errors),
            ("drivers", driver_errors),
            ("route", route_errors),
        ):
            problems = check(getattr(self, name))
            if problems:
                errors[name] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def colour(self) -> str:
        return TripStatus.colour(self.status)

    @property
    def people(self) -> int:
        return (self.children_count or 0) + (self.adults_count or 0)

    @property
    def seats(self) -> int:
        return sum(int(v.get("seats", 0)) for v in self.vehicles or [] if isinstance(v, dict))

    @property
    def assigned_escort(self) -> TripEscort | None:
        """The escort assignment, or None (without raising for a trip that has none)."""
        try:
            escort: TripEscort = self.escort
        except TripEscort.DoesNotExist:
            return None
        return escort

    def map_feature(self) -> dict[str, Any]:
        escort = self.assigned_escort
        return {
            "id": self.pk,
            "organiser": self.organiser,
            "destination": self.destination_name,
            "status": self.status,
            "lat": self.departure_lat,
            "lon": self.departure_lon,
            "departs_at": self.departs_at.isoformat() if self.departs_at else None,
            "returns_at": self.returns_at.isoformat() if self.returns_at else None,
            "children": self.children_count,
            "escort": escort.label if escort else None,
        }


class TripEscort(BaseModel):
    """The police escort assigned to a trip: one officer from the roster or one police unit.

    ``user`` is the escort's own sign-in account, if any: that user may report the trip's
    live status (departed, arrived, returned) without any other right to change trips.
    """

    trip = models.OneToOneField(
        Trip, verbose_name=_("trip"), on_delete=models.CASCADE, related_name="escort"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("police officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trip_escorts",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trip_escorts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escort's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trip_escorts",
        help_text=_("May report the trip's live status."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "trip__region"

    class Meta:
        verbose_name = _("trip escort")
        verbose_name_plural = _("trip escorts")
        ordering = ["trip", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(unit__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(unit__isnull=False)),
                name="trip_escort_person_xor_unit",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def kind(self) -> str:
        return EscortKind.PERSON if self.person_id else EscortKind.UNIT

    @property
    def label(self) -> str:
        if self.person_id:
            person = self.person
            assert person is not None
            return f"{person.position} {person.full_name}".strip()
        return str(self.unit)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.person_id or self.unit_id,
            "name": self.label,
            "user": self.user.username if self.user_id and self.user else None,
        }
