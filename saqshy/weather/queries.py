"""Reads of weather warnings: scoped lists, the active ones, and the public page's rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.scoping import restricted_prefetch
from saqshy.roads.models import Closure, Segment
from saqshy.weather.choices import WarningKind, WarningLevel, WarningStatus
from saqshy.weather.models import WeatherWarning
from saqshy.winter.queries import WarningFact

ACTIVE_STATUSES = (WarningStatus.PROPOSED, WarningStatus.CONFIRMED)


def with_related(rows: QuerySet[WeatherWarning]) -> QuerySet[WeatherWarning]:
    """Every segment of each warning (``shown_segments``): for the public page."""
    return rows.select_related("region").prefetch_related(
        Prefetch("segments", queryset=Segment.objects.order_by("code"), to_attr="shown_segments")
    )


def visible(user: Any) -> QuerySet[WeatherWarning]:
    """The warnings ``user`` may view, with their region and people, and the segments
    (``shown_segments``) and closures (``shown_closures``) the user may view."""
    rows: QuerySet[WeatherWarning] = WeatherWarning.objects.restrict(user, "view").select_related(
        "region", "entered_by", "decided_by"
    )
    return rows.prefetch_related(
        restricted_prefetch(
            user, "segments", Segment.objects.order_by("code"), to_attr="shown_segments"
        ),
        restricted_prefetch(
            user,
            "closures",
            Closure.objects.select_related("segment").order_by("segment_id"),
            to_attr="shown_closures",
        ),
    )


def active(rows: QuerySet[WeatherWarning], now: Any = None) -> QuerySet[WeatherWarning]:
    """Proposed or confirmed warnings that have not ended."""
    now = now or timezone.now()
    return rows.filter(status__in=ACTIVE_STATUSES, ends_at__gt=now)


def shown(warning: WeatherWarning) -> list[Segment]:
    """The segments prefetched by ``visible`` or ``with_related``."""
    return list(getattr(warning, "shown_segments", []))


def _when(value: Any) -> str:
    return str(timezone.localtime(value).strftime("%d.%m.%Y %H:%M"))


def public_warnings(region: str | None = None) -> list[dict[str, Any]]:
    """Active proposed and confirmed warnings for the public page (no names, no notes):
    ``kind_label``, ``level_label``, ``region``, ``segment`` (titles, or ""), ``starts`` and
    ``ends`` (dd.mm.yyyy HH:MM, local time), plus ``kind``, ``level``, ``status`` and
    ``colour``; ``region`` filters by region slug. Labels are in the active language."""
    rows = active(with_related(WeatherWarning.objects.all()))
    if region:
        rows = rows.filter(Q(region__slug=region) | Q(segments__region__slug=region)).distinct()
    return [
        {
            "kind": warning.kind,
            "kind_label": str(WarningKind.label(warning.kind)),
            "level": warning.level,
            "level_label": str(WarningLevel.label(warning.level)),
            "colour": warning.colour,
            "status": warning.status,
            "region": warning.region.display_name,
            # A road of many segments is named once.
            "segment": ", ".join(dict.fromkeys(segment.title for segment in shown(warning))),
            "starts": _when(warning.starts_at),
            "ends": _when(warning.ends_at),
        }
        for warning in rows.order_by("starts_at", "pk")
    ]


def map_features(rows: QuerySet[WeatherWarning]) -> list[dict[str, Any]]:
    """Active warnings as GeoJSON features: a warning with segments is their lines; a
    region-wide one is its region's boundary (when known)."""
    features: list[dict[str, Any]] = []
    warnings = list(active(rows).order_by("starts_at", "pk"))
    # The outlines of the regions of region-wide warnings, in one query (a region's row
    # leaves its outline unread).
    outlines = dict(
        Region.objects.filter(
            pk__in={warning.region_id for warning in warnings if not shown(warning)}
        ).values_list("pk", "boundary")
    )
    for warning in warnings:
        segments = shown(warning)
        if segments:
            geometry: dict[str, Any] | None = {
                "type": "MultiLineString",
                "coordinates": [s.geometry.get("coordinates", []) for s in segments],
            }
        else:
            geometry = outlines.get(warning.region_id)
        if not geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "id": warning.pk,
                    "kind": str(warning.get_kind_display()),
                    "level": str(warning.get_level_display()),
                    "status": str(warning.get_status_display()),
                    "status_code": warning.status,
                    "colour": warning.colour,
                    "region": warning.region.display_name,
                    "segments": ", ".join(s.title for s in segments),
                    "starts": _when(warning.starts_at),
                    "ends": _when(warning.ends_at),
                    "url": f"/weather/{warning.pk}/",
                },
            }
        )
    return features


def warning_facts() -> list[WarningFact]:
    """The active warnings as the winter shortfall rules read them: one fact per segment a
    warning names, or one for its whole region (registered in ``WeatherConfig.ready``)."""
    facts: list[WarningFact] = []
    for warning in with_related(active(WeatherWarning.objects.all())):
        segments = shown(warning)
        facts.extend(
            WarningFact(warning.region_id, segment.pk, warning.level) for segment in segments
        )
        if not segments:
            facts.append(WarningFact(warning.region_id, None, warning.level))
    return facts
