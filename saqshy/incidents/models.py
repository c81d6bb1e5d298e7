"""Incidents and the units sent to them: the duty desk's record of every call and response."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saqshy.accounts.models import Agency, Region
from saqshy.core import messages
from saqshy.core.models import (
    BaseModel,
    ExerciseModel,
    TranslatedNameMixin,
    latitude_field,
    longitude_field,
)
from saqshy.facilities.models import Facility
from saqshy.incidents import journal as _journal_codes  # noqa: F401  (defines the line codes)
from saqshy.incidents.choices import (
    IncidentSource,
    IncidentStatus,
    JournalKind,
    Priority,
    UnitKind,
    UnitStatus,
)


class IncidentType(TranslatedNameMixin, BaseModel):
    """What kind of incident, what it needs sent and how close a second report is the same one.

    ``needs`` maps a unit kind to how many such units a response normally takes
    (``{"fire_engine": 2, "ambulance": 1}``); recommendations are built from it. Two open
    incidents of one type within ``dedup_meters`` and ``dedup_minutes`` are likely one event
    reported twice. Reference data: everyone reads it, administrators change it.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    needs = models.JSONField(
        _("units needed"),
        default=dict,
        blank=True,
        help_text=_('How many units of each kind a response takes, e.g. {"fire_engine": 2}.'),
    )
    dedup_meters = models.PositiveIntegerField(
        _("duplicate radius (m)"),
        default=200,
        help_text=_("A report of the same type this close to an open incident may be a duplicate."),
    )
    dedup_minutes = models.PositiveIntegerField(
        _("duplicate window (minutes)"),
        default=30,
        help_text=_("…and reported within this many minutes of it."),
    )
    default_priority = models.PositiveSmallIntegerField(
        _("default priority"), choices=Priority.integer_choices(), default=3
    )

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not isinstance(self.needs, dict):
            raise ValidationError({"needs": [_("Give an object of unit kind to count.")]})
        unknown = set(self.needs) - set(UnitKind.values())
        bad_count = [k for k, v in self.needs.items() if not isinstance(v, int) or v < 1]
        if unknown or bad_count:
            raise ValidationError(
                {"needs": [_("Use known unit kinds with a positive whole number of units.")]}
            )


class Unit(BaseModel):
    """A crew and vehicle (or a foot patrol, a helicopter) that can be sent to incidents.

    The status says whether it can be sent now; only the dispatch service makes an available
    unit busy, with a compare-and-set so two dispatchers can never both take it.
    """

    call_sign = models.CharField(_("call sign"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices())
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    home_station = models.ForeignKey(
        Facility,
        verbose_name=_("home station"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
    )
    crew = models.TextField(_("crew"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=UnitStatus.choices(), default=UnitStatus.AVAILABLE
    )
    lat = latitude_field(null=True, blank=True)
    lon = longitude_field(null=True, blank=True)
    position_at = models.DateTimeField(_("position time"), null=True, blank=True)
    status_reason = models.CharField(
        _("reason out of service"),
        max_length=255,
        blank=True,
        help_text=_("Why the unit is out of service; required to take it off the road."),
    )
    tracker = models.OneToOneField(
        "ingest.Device",
        verbose_name=_("vehicle tracker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit",
        help_text=_("The device whose position fixes move this unit on the map."),
    )

    scope_region_field: ClassVar[str | None] = "region"
    scope_agency_field: ClassVar[str | None] = "agency"

    class Meta:
        verbose_name = pgettext_lazy("emergency unit", "unit")
        verbose_name_plural = pgettext_lazy("emergency unit", "units")
        ordering = ["call_sign", "id"]
        # Granted per role in accounts/roles.py; the reach (own agency or all) is the role's.
        permissions = [("withdraw_unit", _("Can take a unit out of service"))]
        constraints = [
            models.UniqueConstraint(fields=["agency", "call_sign"], name="unit_agency_call_sign")
        ]
        indexes = [models.Index(fields=["region", "status"], name="unit_region_status")]

    def __str__(self) -> str:
        return self.call_sign

    @property
    def colour(self) -> str:
        return UnitStatus.colour(self.status)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None

    def map_feature(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "call_sign": self.call_sign,
            "kind": self.kind,
            "status": self.status,
            "agency_id": self.agency_id,
            "lat": self.lat,
            "lon": self.lon,
            "position_at": self.position_at.isoformat() if self.position_at else None,
        }


class Incident(ExerciseModel):
    """One reported event on the duty desk, from the first call to its closing.

    The region follows the location. A report that looks like an open incident of the same
    type nearby is kept (callers add detail) but points at it through ``duplicate_of``.
    """

    type = models.ForeignKey(
        IncidentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="incidents"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.integer_choices(), default=3
    )
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=IncidentSource.choices(),
        default=IncidentSource.CALL_112,
    )
    lat = latitude_field()
    lon = longitude_field()
    address = models.CharField(_("address"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    reporter = models.CharField(
        _("reporter"), max_length=255, blank=True, help_text=_("Caller's name and phone.")
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="incidents"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices(), default=IncidentStatus.NEW
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_at = models.DateTimeField(
        _("merged at"),
        null=True,
        blank=True,
        help_text=_("Set when the operator merged this duplicate into its original."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("taking agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        help_text=_(
            "The agency whose desk took the call; empty for a call the system recorded "
            "(a sensor, a feed), which is the region's."
        ),
    )

    scope_region_field: ClassVar[str | None] = "region"
    exercise_wipe_order: ClassVar[int] = 40

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_at", "-id"]
        # Granted per role in accounts/roles.py; see incidents.services._require_may.
        permissions = [
            ("close_incident", _("Can close an incident")),
            ("cancel_incident", _("Can cancel an incident")),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="incident_region_status"),
            models.Index(fields=["type", "status", "reported_at"], name="incident_dedup"),
            models.Index(
                fields=["region", "reported_at"],
                condition=models.Q(is_exercise=True),
                name="incident_exercise",
            ),
            # The lists' order: a national list's first page without sorting every incident.
            models.Index(fields=["-reported_at", "-id"], name="incident_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.type}" if self.pk else str(self.type)

    @classmethod
    def exercise_busy(cls, rows: Any) -> list[int]:
        """Incidents with units still on them are not wiped (the units would be left on a
        call that no longer exists)."""
        return sorted(
            IncidentUnit.objects.filter(incident__in=rows, released_at__isnull=True)
            .values_list("incident_id", flat=True)
            .distinct()
        )

    @property
    def is_open(self) -> bool:
        return self.status in IncidentStatus.OPEN

    @property
    def colour(self) -> str:
        return IncidentStatus.colour(self.status)

    @property
    def is_merged(self) -> bool:
        return self.merged_at is not None

    @property
    def is_probable_duplicate(self) -> bool:
        """Linked to an original and not yet merged or kept by the operator."""
        return self.duplicate_of_id is not None and self.merged_at is None

    def map_feature(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "type": self.type.code if self.type_id else None,
            "priority": self.priority,
            "status": self.status,
            "lat": self.lat,
            "lon": self.lon,
            "address": self.address,
            "reported_at": self.reported_at.isoformat() if self.reported_at else None,
            "duplicate_of": self.duplicate_of_id,
            "agency_id": self.agency_id,
            "is_exercise": self.is_exercise,
        }


class IncidentUnit(BaseModel):
    """A unit's assignment to an incident; ``released_at`` set when it is no longer on it."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=pgettext_lazy("emergency unit", "unit"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    scope_region_field: ClassVar[str | None] = "incident__region"

    class Meta:
        verbose_name = _("unit assignment")
        verbose_name_plural = _("unit assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(released_at__isnull=True),
                name="unit_one_active_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.incident_id}"


class JournalEntry(BaseModel):
    """One line of an incident's log: written by the services (auto) or by people (note)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="journal"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=JournalKind.choices(), default=JournalKind.NOTE
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "A person's note as written; for an automatic line, its English rendering "
            "(the line itself is its code and parameters)."
        ),
    )
    code = models.CharField(_("message code"), max_length=40, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)

    scope_region_field: ClassVar[str | None] = "incident__region"

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.display_text[:60]

    @property
    def display_text(self) -> str:
        """The line in the active language (a coded line), or the note as written."""
        return messages.render(self.code, self.params, fallback=self.text)
