"""Winter on the roads: warming points, people and vehicles stranded on the highways, and the
special equipment and aircraft held on standby for bad weather.

A ``WarmingPoint`` is a heated place (a school, a roadside café, a village club) opened for
people taken off a closed road: its capacity, how many are in it now, what it offers and its
hours. A ``StrandedReport`` is a call about people stuck on a highway: where, how many (and
children), medical needs, fuel; it opens a ``stranded`` incident on the duty desk and is
tracked until its people are in a warming point. A ``Standby`` holds a unit (special
equipment or a helicopter of ``incidents.Unit``) ready for a segment or a region over a
window, at a readiness level, at a base.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, District, Region
from saqshy.core.models import BaseModel, latitude_field, longitude_field
from saqshy.incidents.choices import UnitKind
from saqshy.winter.choices import (
    EQUIPMENT_TYPES,
    FUEL_LEFT,
    READINESS,
    STRANDED_STATUSES,
    VEHICLE_KINDS,
    EquipmentType,
    FuelLeft,
    Readiness,
    StrandedStatus,
    VehicleKind,
)


class WarmingPoint(BaseModel):
    """A heated place for people taken off the road: capacity, people in it now, services."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lat = latitude_field()
    lon = longitude_field()
    segment = models.ForeignKey(
        "roads.Segment",
        verbose_name=_("road segment served"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warming_points",
    )
    capacity = models.PositiveIntegerField(_("capacity, people"), validators=[MinValueValidator(1)])
    occupancy = models.PositiveIntegerField(_("people in it now"), default=0)
    heating = models.BooleanField(_("heating"), default=True)
    food = models.BooleanField(_("hot food"), default=False)
    fuel = models.BooleanField(_("fuel"), default=False)
    medical = models.BooleanField(_("medical help"), default=False)
    staff_on_duty = models.PositiveIntegerField(_("staff on duty"), default=0)
    open_24h = models.BooleanField(_("open around the clock"), default=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    phone = models.CharField(
        _("contact phone"), max_length=40, blank=True, help_text=_("The point's public number.")
    )
    is_open = models.BooleanField(_("open"), default=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warming_points",
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("warming point")
        verbose_name_plural = _("warming points")
        ordering: ClassVar = ["region", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        known = self.capacity is not None and self.occupancy is not None
        if known and self.occupancy > self.capacity:
            errors["occupancy"] = [
                _("A point for %(capacity)s people cannot hold %(occupancy)s.")
                % {"capacity": self.capacity, "occupancy": self.occupancy}
            ]
        if not self.open_24h and (self.opens_at is None or self.closes_at is None):
            errors["opens_at"] = [_("Give the opening and closing times, or open it 24/7.")]
        if errors:
            raise ValidationError(errors)

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.occupancy)

    @property
    def full(self) -> bool:
        return self.free_places == 0

    @property
    def hours(self) -> str:
        """The opening hours as people read them: "24/7" or "08:00–20:00"."""
        if self.open_24h or self.opens_at is None or self.closes_at is None:
            return str(_("24/7"))
        return f"{self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def services(self) -> list[str]:
        flags = (
            (self.heating, _("heating")),
            (self.food, _("hot food")),
            (self.fuel, _("fuel")),
            (self.medical, _("medical help")),
        )
        return [str(label) for on, label in flags if on]

    @property
    def colour(self) -> str:
        if not self.is_open:
            return "#969696"
        if self.full:
            return "#d73027"
        return "#fc8d59" if self.free_places * 5 < self.capacity else "#1a9850"


class StrandedReport(BaseModel):
    """People or vehicles stuck on a highway, from the call to their evacuation.

    ``reporter_phone`` is personal: it is shown to those who handle the report, never on a
    public page, the map or the live feed.
    """

    location = models.CharField(_("where"), max_length=255)
    lat = latitude_field()
    lon = longitude_field()
    segment = models.ForeignKey(
        "roads.Segment",
        verbose_name=_("road segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stranded_reports",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    people = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(1)])
    children = models.PositiveIntegerField(_("of them children"), default=0)
    medical_needs = models.TextField(_("medical needs"), blank=True)
    fuel_left = models.CharField(
        _("fuel left"), max_length=10, choices=FUEL_LEFT, default=FuelLeft.UNKNOWN
    )
    vehicles = models.PositiveIntegerField(_("vehicles"), default=1)
    vehicle_kind = models.CharField(
        _("vehicle kind"), max_length=8, choices=VEHICLE_KINDS, default=VehicleKind.CAR
    )
    reported_at = models.DateTimeField(_("reported at"))
    reporter_phone = models.CharField(_("caller's phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=STRANDED_STATUSES, default=StrandedStatus.REPORTED
    )
    incident = models.OneToOneField(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stranded_report",
    )
    point = models.ForeignKey(
        WarmingPoint,
        verbose_name=_("warming point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stranded_reports",
    )
    assigned_at = models.DateTimeField(_("point assigned at"), null=True, blank=True)
    evacuation_started_at = models.DateTimeField(_("evacuation started"), null=True, blank=True)
    evacuated_at = models.DateTimeField(_("evacuated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("stranded report")
        verbose_name_plural = _("stranded reports")
        ordering: ClassVar = ["-reported_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.location} ({self.people})"

    def clean(self) -> None:
        if self.people is not None and self.children is not None and self.children > self.people:
            raise ValidationError({"children": [_("There cannot be more children than people.")]})

    @property
    def is_open(self) -> bool:
        return self.status in StrandedStatus.OPEN

    @property
    def colour(self) -> str:
        return StrandedStatus.colour(self.status)


class Standby(BaseModel):
    """A unit held ready for bad weather: for a segment (or a whole region), at a readiness
    level, at a base, over a window. Standby duty is linked to a duty post when there is one."""

    unit = models.ForeignKey(
        "incidents.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="standbys"
    )
    equipment_type = models.CharField(_("equipment"), max_length=12, choices=EQUIPMENT_TYPES)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    segment = models.ForeignKey(
        "roads.Segment",
        verbose_name=_("road segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standbys",
        help_text=_("Empty: on standby for the whole region."),
    )
    readiness = models.CharField(
        _("readiness"), max_length=10, choices=READINESS, default=Readiness.IMMEDIATE
    )
    base_name = models.CharField(_("base"), max_length=200)
    lat = latitude_field()
    lon = longitude_field()
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    duty_post = models.ForeignKey(
        "duty.Post",
        verbose_name=_("duty post"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("standby")
        verbose_name_plural = _("standbys")
        ordering: ClassVar = ["region", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_equipment_type_display()})"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = [_("The standby must end after it starts.")]
        if self.unit_id is not None and self.equipment_type:
            kind = self.unit.kind
            wanted = (
                UnitKind.HELICOPTER
                if self.equipment_type == EquipmentType.HELICOPTER
                else UnitKind.SPECIAL
            )
            if kind != wanted:
                errors["equipment_type"] = [
                    _("A %(type)s must be a unit of kind %(kind)s.")
                    % {
                        "type": EquipmentType.label(self.equipment_type),
                        "kind": UnitKind.label(wanted),
                    }
                ]
        if errors:
            raise ValidationError(errors)

    @property
    def colour(self) -> str:
        return EquipmentType.colour(self.equipment_type)
