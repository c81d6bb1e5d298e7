"""Reads of the road network: current closures (also for the public page), hotspots along a
segment, and the GeoJSON of segments for maps."""

from __future__ import annotations

import itertools
import math
from typing import Any

from django.db.models import Prefetch, QuerySet

from saqshy.accounts.models import Region
from saqshy.forecasts.queries import top_cells
from saqshy.roads.choices import ClosureReason, Restriction, SegmentStatus
from saqshy.roads.models import Closure, Segment
from saqshy.roads.routing import local_text

HOTSPOT_NEAR_M = 1000.0
"""A forecast hotspot cell this close to a segment (centre to road) counts as along it."""
HOTSPOT_CELLS = 300
"""Riskiest cells of the region's forecast looked at for one segment."""


def current_closures() -> QuerySet[Closure]:
    """Closures and restrictions in force now, newest first."""
    result: QuerySet[Closure] = (
        Closure.objects.filter(ended_at__isnull=True)
        .select_related("segment__region")
        .order_by("-starts_at", "-pk")
    )
    return result


def with_current_closure(segments: QuerySet[Segment]) -> QuerySet[Segment]:
    """``segments`` with ``current`` (a list of at most one closure) prefetched."""
    return segments.prefetch_related(
        Prefetch(
            "closures", queryset=Closure.objects.filter(ended_at__isnull=True), to_attr="current"
        )
    )


def closure_fields(closure: Closure | None) -> dict[str, str]:
    """The ready words of a closure (labels and dd.mm.yyyy HH:MM times; "" without one)."""
    if closure is None:
        return {
            "restriction_label": "",
            "reason_label": "",
            "since": "",
            "expected_reopening": "",
        }
    return {
        "restriction_label": (
            str(Restriction.label(closure.restriction)) if closure.restriction else ""
        ),
        "reason_label": str(ClosureReason.label(closure.reason)),
        "since": local_text(closure.starts_at),
        "expected_reopening": local_text(closure.expected_reopening_at),
    }


def public_closures(region: str | None = None) -> list[dict[str, Any]]:
    """The closures and restrictions in force now, for the public page (no login): what,
    where, why, since when and until when; nothing personal or internal (no one who decided,
    no note). ``region`` is a region slug (None: the whole country)."""
    closures = current_closures()
    if region:
        closures = closures.filter(segment__region__slug=region)
    out = []
    for closure in closures:
        segment = closure.segment
        out.append(
            {
                "title": segment.title,
                "number": segment.number,
                "status": closure.status,
                "status_label": str(SegmentStatus.label(closure.status)),
                **closure_fields(closure),
                "region": segment.region.display_name,
                "region_slug": segment.region.slug,
                "geometry": segment.geometry,
            }
        )
    return out


def segment_feature(segment: Segment, closure: Closure | None = None) -> dict[str, Any]:
    """A segment as a GeoJSON feature for maps: name, status with its colour, and the current
    closure's words."""
    return {
        "type": "Feature",
        "id": segment.pk,
        "geometry": segment.geometry,
        "properties": {
            "title": segment.title,
            "number": segment.number,
            "region": segment.region.display_name,
            "status": segment.status,
            "status_label": str(SegmentStatus.label(segment.status)),
            "colour": SegmentStatus.colour(segment.status),
            "length_km": segment.length_km,
            **closure_fields(closure),
        },
    }


def _metres_to_line(lat: float, lon: float, coords: list[list[float]]) -> tuple[float, float]:
    """(distance in metres from the point to the polyline, metres along it to the nearest
    point), on a local flat projection (segments are at most a few hundred km)."""
    k = math.cos(math.radians(lat))
    best, along_best, done = math.inf, 0.0, 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(coords):
        ax, ay = (x1 - lon) * k * 111_195, (y1 - lat) * 111_195
        bx, by = (x2 - lon) * k * 111_195, (y2 - lat) * 111_195
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        t = 0.0 if norm == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / norm))
        px, py = ax + t * dx, ay + t * dy
        distance = math.hypot(px, py)
        piece = math.sqrt(norm)
        if distance < best:
            best, along_best = distance, done + t * piece
        done += piece
    return best, along_best


def hotspots_along(segment: Segment, *, user: Any = None, limit: int = 10) -> list[dict[str, Any]]:
    """The accident hotspots of the region's newest forecast along ``segment``, riskiest
    first: each with its share of the region's risk, the km from the segment's start and the
    distance from the road."""
    region: Region = segment.region
    coords = [list(map(float, c[:2])) for c in segment.geometry.get("coordinates") or []]
    if len(coords) < 2:
        return []
    near = []
    for cell in top_cells(region, limit=HOTSPOT_CELLS, user=user):
        distance, along = _metres_to_line(cell.lat, cell.lon, coords)
        if distance <= HOTSPOT_NEAR_M + cell.cell_m / 2:
            near.append(
                {
                    "lat": cell.lat,
                    "lon": cell.lon,
                    "score": cell.score,
                    "percent": round(cell.score * 100, 1),
                    "km_from_start": round(along / 1000, 1),
                    "metres_off": round(distance),
                }
            )
    near.sort(key=lambda row: -row["score"])
    return near[:limit]
