"""The national road network: segments between junctions, and their closures over time.

A ``Segment`` is one edge of the highway graph (``data/roads/kz_highways.geojson``, derived
from OpenStreetMap), between two junctions whose ids come from the source file; its name and
road number are data a road authority edits (the source has neither). ``status`` is the
segment's state now, kept equal to its current ``Closure`` by the services; the closures are
the history: who restricted or closed it, why, from when, until when it is expected to reopen
and when it did.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.core.models import BaseModel
from saqshy.roads.choices import (
    CLOSURE_REASONS,
    RESTRICTIONS,
    SEGMENT_STATUSES,
    SegmentStatus,
)


class Segment(BaseModel):
    """A stretch of highway between two junctions of the national network.

    ``geometry`` is a GeoJSON LineString (lon, lat); ``from_node``/``to_node`` are the
    junction ids of the source graph, which connect segments into the routing network
    (``roads.network``). ``region`` holds the segment's midpoint; ``from_place``/``to_place``
    name the settlements (or districts) at its ends. Traffic may use it both ways.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("The name in English (and by default).")
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    number = models.CharField(_("road number"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="road_segments"
    )
    from_place = models.CharField(_("from"), max_length=120, blank=True)
    from_place_kk = models.CharField(_("from (Kazakh)"), max_length=120, blank=True)
    from_place_ru = models.CharField(_("from (Russian)"), max_length=120, blank=True)
    to_place = models.CharField(_("to"), max_length=120, blank=True)
    to_place_kk = models.CharField(_("to (Kazakh)"), max_length=120, blank=True)
    to_place_ru = models.CharField(_("to (Russian)"), max_length=120, blank=True)
    from_node = models.BigIntegerField(_("start junction"))
    to_node = models.BigIntegerField(_("end junction"))
    geometry = models.JSONField(_("geometry"))
    length_km = models.FloatField(_("length, km"))
    speed_kmh = models.FloatField(
        _("speed, km/h"), default=90, help_text=_("Free-flow speed used for travel times.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SEGMENT_STATUSES, default=SegmentStatus.OPEN
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("road segment")
        verbose_name_plural = _("road segments")
        ordering: ClassVar = ["region", "code"]
        indexes: ClassVar = [models.Index(fields=["status"]), models.Index(fields=["number"])]

    def __str__(self) -> str:
        return self.title

    def _local(self, field: str) -> str:
        """``field`` in the active language (``field_kk``/``field_ru``), else the default."""
        language = (get_language() or "en")[:2]
        own = getattr(self, f"{field}_{language}", "") if language in ("kk", "ru") else ""
        return str(own or getattr(self, field))

    @property
    def display_name(self) -> str:
        """The name in the active language (empty when the segment has none)."""
        return self._local("name")

    @property
    def from_label(self) -> str:
        return self._local("from_place")

    @property
    def to_label(self) -> str:
        return self._local("to_place")

    @property
    def title(self) -> str:
        """What people call it, in the active language: its number and name ("M-36 Astana –
        Karaganda"), else "from – to", else its road number or code."""
        name = self.display_name
        if name:
            return f"{self.number} {name}" if self.number and self.number not in name else name
        if self.from_label and self.to_label:
            same = self.from_label == self.to_label
            places = self.from_label if same else f"{self.from_label} – {self.to_label}"
            return f"{self.number} {places}" if self.number else places
        return self.number or self.code

    @property
    def midpoint(self) -> tuple[float, float]:
        """(lat, lon) of the middle vertex (straight segments: the mean of the ends)."""
        coords: list[Any] = self.geometry.get("coordinates") or [[0.0, 0.0]]
        if len(coords) == 2:
            (lon1, lat1), (lon2, lat2) = coords[0][:2], coords[1][:2]
            return (lat1 + lat2) / 2, (lon1 + lon2) / 2
        lon, lat = coords[len(coords) // 2][:2]
        return float(lat), float(lon)


class Closure(BaseModel):
    """A restriction or closure of a segment: the decision, its reason and its time span.

    ``status`` is restricted or closed; ``restriction`` says what a restricted segment forbids.
    A closure is current while ``ended_at`` is empty; at most one is current per segment.
    """

    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="closures"
    )
    status = models.CharField(_("status"), max_length=12, choices=SEGMENT_STATUSES)
    restriction = models.CharField(
        _("restriction"), max_length=20, choices=RESTRICTIONS, blank=True
    )
    reason = models.CharField(_("reason"), max_length=12, choices=CLOSURE_REASONS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("from"))
    expected_reopening_at = models.DateTimeField(_("expected to reopen"), null=True, blank=True)
    ended_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="road_closures",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("road authority"),
        on_delete=models.PROTECT,
        related_name="road_closures",
        null=True,
        blank=True,
    )

    scope_region_field: ClassVar[str | None] = "segment__region"

    class Meta:
        verbose_name = _("road closure")
        verbose_name_plural = _("road closures")
        ordering: ClassVar = ["-starts_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["segment"],
                condition=Q(ended_at__isnull=True),
                name="roads_one_current_closure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.segment}: {self.get_status_display()}"
