"""Mass events: the season's calendar, each event approved only when its gates pass."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.models import BaseModel, latitude_field, longitude_field
from saqshy.facilities.models import Facility
from saqshy.gatherings.choices import GatheringKind, GatheringStatus


class Gathering(BaseModel):
    """A mass event at a venue (a facility) or in an outdoor area.

    ``organiser_ref`` is the organiser's own reference; with the name, venue and start it is
    the natural key that keeps re-imports from duplicating events.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=GatheringKind.choices())
    venue = models.ForeignKey(
        Facility,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gatherings",
    )
    area = models.JSONField(_("outdoor area (GeoJSON polygon)"), null=True, blank=True)
    lat = latitude_field()
    lon = longitude_field()
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="gatherings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    expected_attendance = models.PositiveIntegerField(_("expected attendance"))
    children_involved = models.BooleanField(_("children take part"), default=False)
    children_count = models.PositiveIntegerField(_("number of children"), default=0)
    organiser = models.CharField(_("organiser"), max_length=255)
    organiser_contact = models.CharField(_("organiser contact"), max_length=255, blank=True)
    organiser_ref = models.CharField(_("organiser reference"), max_length=80, blank=True)
    fire_standby_planned = models.BooleanField(_("fire standby planned"), default=False)
    medical_presence_planned = models.BooleanField(_("medical presence planned"), default=False)
    access_route_clear = models.BooleanField(_("emergency access route clear"), default=False)
    access_route_checked_on = models.DateField(_("access route checked on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=GatheringStatus.choices(),
        default=GatheringStatus.DRAFT,
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

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("mass event")
        verbose_name_plural = _("mass events")
        ordering = ["starts_at", "id"]
        permissions = [("approve_gathering", _("Can approve mass events"))]
        indexes = [
            models.Index(fields=["region", "starts_at"], name="gathering_region_start"),
            models.Index(fields=["organiser_ref"], name="gathering_organiser_ref"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_outdoor(self) -> bool:
        return self.venue_id is None

    @property
    def colour(self) -> str:
        return GatheringStatus.colour(self.status)

    def map_feature(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "lat": self.lat,
            "lon": self.lon,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "attendance": self.expected_attendance,
            "children": self.children_involved,
        }
