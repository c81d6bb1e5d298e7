"""Facilities: every place the season's work happens at, from schools to heating plants."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import District, Region
from saqshy.core.models import BaseModel, TranslatedNameMixin, latitude_field, longitude_field
from saqshy.facilities.choices import CapacitySource, FacilityKind, ImportStatus


class Facility(TranslatedNameMixin, BaseModel):
    """A place on the map that plans, inspections and incidents refer to.

    Imported facilities keep their OpenStreetMap reference (``osm_ref``) so a re-import
    updates them instead of adding copies.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices())
    name = models.CharField(_("name"), max_length=255, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    lat = latitude_field()
    lon = longitude_field()
    footprint = models.JSONField(_("footprint (GeoJSON polygon)"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="facilities"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilities",
    )
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    capacity_source = models.CharField(
        _("capacity source"),
        max_length=10,
        choices=CapacitySource.choices(),
        blank=True,
        default=CapacitySource.UNKNOWN,
    )
    operator = models.CharField(_("owner or operator"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=60, blank=True)
    website = models.CharField(_("website"), max_length=255, blank=True)
    has_fire_alarm = models.BooleanField(_("fire alarm system"), null=True, blank=True)
    has_sprinklers = models.BooleanField(_("sprinklers"), null=True, blank=True)
    exits = models.PositiveSmallIntegerField(_("number of exits"), null=True, blank=True)
    storeys = models.PositiveSmallIntegerField(_("storeys"), null=True, blank=True)
    osm_ref = models.CharField(
        _("OpenStreetMap reference"), max_length=40, null=True, blank=True, unique=True
    )

    scope_region_field: ClassVar[str | None] = "region"
    # Left unread when a list joins its venue (``ScopedQuerySet.select_related``).
    outline_fields: ClassVar[tuple[str, ...]] = ("footprint",)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["region", "kind"], name="facility_region_kind"),
            models.Index(fields=["lat", "lon"], name="facility_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.display_name or f"{FacilityKind.label(self.kind)} #{self.pk}"

    @property
    def colour(self) -> str:
        return FacilityKind.colour(self.kind)

    @property
    def kind_label(self) -> str:
        return str(FacilityKind.label(self.kind))

    def map_feature(self) -> dict[str, Any]:
        """What the live map needs to draw this facility (the same shape the map loads)."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "name": self.display_name,
            "lat": self.lat,
            "lon": self.lon,
            "region": self.region_id,
            "colour": self.colour,
        }


class OsmImport(BaseModel):
    """One OpenStreetMap file uploaded in the admin and imported by a background task
    (``facilities.tasks.run_osm_import``), with its progress and outcome."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="osm_imports"
    )
    file_name = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(_("stored at"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices(), default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("OpenStreetMap import")
        verbose_name_plural = _("OpenStreetMap imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.region}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
