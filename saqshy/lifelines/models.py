"""Lifelines: utility sites, what they measure, the alerts telemetry raises and the outages.

A ``UtilitySite`` is a heating, power or water facility from OpenStreetMap watched through a
telemetry gateway (an ``ingest.Device`` of kind ``site_gateway`` whose serial is the site's
code in ``saqshy/telemetry/{site}/{parameter}``). ``Parameter`` and ``Threshold`` are data: what
a site of each kind reports and where its values stop being normal. A breach that lasts the
threshold's duration raises an ``Alert``; a raised alert opens an ``Outage``, the register the
energy agency works from, linked to a utility-outage incident on the duty desk.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.core.models import BaseModel, TranslatedNameMixin
from saqshy.lifelines.choices import (
    ALERT_STATUSES,
    OUTAGE_STATUSES,
    SITE_KINDS,
    AlertStatus,
    OutageStatus,
    SiteKind,
)


class Parameter(TranslatedNameMixin, BaseModel):
    """A measured quantity (``supply_temp``, ``pressure`` …), its unit and the site kinds that
    report it. ``follows_curve`` marks the heating supply temperature: its lower bound is the
    heating curve at the current outdoor temperature, not a fixed number. Reference data."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    unit = models.CharField(_("unit"), max_length=16)
    site_kinds = models.JSONField(
        _("site kinds"),
        default=list,
        blank=True,
        help_text=_("The site kinds that report it; empty for every kind."),
    )
    follows_curve = models.BooleanField(
        _("follows the heating curve"),
        default=False,
        help_text=_("The lowest allowed value is the heating curve at the outdoor temperature."),
    )

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.display_name


class UtilitySite(BaseModel):
    """A facility watched as a lifeline: its kind, telemetry gateway, service area and agency.

    ``service_area`` is a GeoJSON polygon (by default the site's Voronoi cell among sites of
    its kind, clipped to a radius); ``buildings`` and ``people`` are what falls inside it,
    computed when the area is set (from the basemap's building footprints).
    """

    facility = models.OneToOneField(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        related_name="utility_site",
    )
    code = models.SlugField(_("site code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SITE_KINDS)
    gateway = models.OneToOneField(
        "ingest.Device",
        verbose_name=_("telemetry gateway"),
        on_delete=models.PROTECT,
        related_name="utility_site",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="utility_sites",
        help_text=_("The region's energy agency: it repairs the site and owns its outages."),
    )
    service_area = models.JSONField(_("service area (GeoJSON polygon)"), null=True, blank=True)
    buildings = models.PositiveIntegerField(_("buildings served"), default=0)
    people = models.PositiveIntegerField(_("people served (estimate)"), default=0)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("utility site")
        verbose_name_plural = _("utility sites")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return str(self.facility)

    @property
    def is_heating(self) -> bool:
        return self.kind in SiteKind.HEATING


class Threshold(BaseModel):
    """Where a parameter stops being normal, for one site or every site of a kind.

    A value outside ``[low, high]`` for ``minutes`` raises an alert. For a parameter that
    follows the heating curve, ``low`` may be empty: the curve gives it. A site's own
    threshold wins over its kind's. Reference data.
    """

    parameter = models.ForeignKey(
        Parameter, verbose_name=_("parameter"), on_delete=models.CASCADE, related_name="thresholds"
    )
    site = models.ForeignKey(
        UtilitySite,
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thresholds",
    )
    site_kind = models.CharField(_("site kind"), max_length=16, choices=SITE_KINDS, blank=True)
    low = models.FloatField(_("lowest normal value"), null=True, blank=True)
    high = models.FloatField(_("highest normal value"), null=True, blank=True)
    minutes = models.PositiveIntegerField(
        _("minutes before an alert"),
        default=30,
        help_text=_("How long a value must stay out of range before it raises an alert."),
    )

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering: ClassVar = ["parameter", "site_kind", "site"]

    def __str__(self) -> str:
        return f"{self.parameter} {self.low}..{self.high}"

    def clean(self) -> None:
        if (self.site_id is None) == (not self.site_kind):
            raise ValidationError({"site_kind": [_("Give either a site or a site kind.")]})
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError({"high": [_("The highest value must not be below the lowest.")]})


class Alert(BaseModel):
    """A parameter of a site out of range: pending until it lasts the threshold's duration,
    then raised (and an outage opened), cleared when back in range.

    ``value``/``expected``/``last_at`` follow the latest reading without an audit entry each
    (telemetry, not a decision); the status changes are audited.
    """

    site = models.ForeignKey(
        UtilitySite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="alerts"
    )
    parameter = models.ForeignKey(
        Parameter, verbose_name=_("parameter"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ALERT_STATUSES, default=AlertStatus.PENDING
    )
    value = models.FloatField(_("value"))
    expected = models.CharField(_("expected"), max_length=40, blank=True)
    started = models.DateTimeField(_("breach started"))
    last_at = models.DateTimeField(_("last reading"))
    normal_since = models.DateTimeField(_("back in range since"), null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    scope_region_field: ClassVar[str | None] = "site__region"

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering: ClassVar = ["-started", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["site", "parameter"],
                condition=Q(cleared_at__isnull=True),
                name="lifelines_one_open_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.parameter}"


class Outage(BaseModel):
    """A utility outage in the register: the site, its incident, the crew sent, restoration."""

    site = models.ForeignKey(
        UtilitySite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="outages"
    )
    alert = models.OneToOneField(
        Alert,
        verbose_name=_("alert"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outage",
    )
    incident = models.OneToOneField(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outage",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="outages"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OUTAGE_STATUSES, default=OutageStatus.OPEN
    )
    started = models.DateTimeField(_("started"), default=timezone.now)
    cause = models.CharField(_("cause"), max_length=255, blank=True)
    crew_post = models.ForeignKey(
        "duty.Post",
        verbose_name=_("repair-crew post"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    crew = models.TextField(_("repair crew"), blank=True, help_text=_("Who was sent, by name."))
    crew_sent_at = models.DateTimeField(_("crew sent at"), null=True, blank=True)
    estimated_restoration = models.DateTimeField(_("estimated restoration"), null=True, blank=True)
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    buildings = models.PositiveIntegerField(_("buildings affected"), default=0)
    people = models.PositiveIntegerField(_("people affected (estimate)"), default=0)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("restored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering: ClassVar = ["-started", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(restored_at__isnull=True),
                name="lifelines_one_open_outage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.started:%d.%m.%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in OutageStatus.ACTIVE

    @property
    def colour(self) -> str:
        return OutageStatus.colour(self.status)

    def map_feature(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "site_id": self.site_id,
            "status": self.status,
            "started": self.started.isoformat(),
            "restored_at": self.restored_at.isoformat() if self.restored_at else None,
            "people": self.people,
            "buildings": self.buildings,
            "area": self.site.service_area if self.site_id else None,
            "name": str(self.site) if self.site_id else "",
        }
