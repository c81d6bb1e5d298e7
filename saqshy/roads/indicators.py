"""The commission's figures on road closures (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q

from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    counted_by_day,
    counted_in,
    in_windows_by_day,
)
from saqshy.roads.models import Closure


def road_closures_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    rows = Closure.objects.filter(segment__region_id__in=ids)
    return counted_by_day(rows, "starts_at", days, Count("id"), region="segment__region_id")


@by_day(road_closures_days)
def road_closures(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Closures and restrictions of highway segments that started in the window, per the
    segment's region."""
    rows = Closure.objects.filter(segment__region_id__in=ids)
    return counted_in(rows, "starts_at", start, end, Count("id"), region="segment__region_id")


# Each closure's region, length (km), start and end (None while in force).
_Closed = list[tuple[int, float, dt.datetime, dt.datetime | None]]


def _closed(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> _Closed:
    """The closures (not restrictions) in force at some time of the window."""
    return list(
        Closure.objects.filter(segment__region_id__in=ids, status="closed", starts_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .values_list("segment__region_id", "segment__length_km", "starts_at", "ended_at")
    )


def _km_hours(closed: _Closed, start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    totals: dict[int, float] = defaultdict(float)
    for region_id, km, began, ended in closed:
        hours = (min(ended or end, end) - max(began, start)).total_seconds() / 3600
        if hours > 0:
            totals[region_id] += km * hours
    return {region_id: Figure(round(value, 1)) for region_id, value in totals.items()}


def road_closure_km_hours_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return in_windows_by_day(days, lambda start, end: _closed(ids, start, end), _km_hours)


@by_day(road_closure_km_hours_days)
def road_closure_km_hours(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Kilometre-hours of road closed (closures only, not restrictions) inside the window:
    each closure's segment length × the hours of the window it lasted (a closure still in
    force lasts to the window's end)."""
    return _km_hours(_closed(ids, start, end), start, end)
