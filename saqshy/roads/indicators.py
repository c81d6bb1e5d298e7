"""The commission's figures on road closures (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q

from saqshy.core.indicators import Figure
from saqshy.roads.models import Closure


def road_closures(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Closures and restrictions of highway segments that started in the window, per the
    segment's region."""
    rows = (
        Closure.objects.filter(segment__region_id__in=ids, starts_at__gte=start, starts_at__lt=end)
        .order_by()
        .values("segment__region_id")
        .annotate(n=Count("id"))
    )
    return {row["segment__region_id"]: Figure(row["n"]) for row in rows}


def road_closure_km_hours(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Kilometre-hours of road closed (closures only, not restrictions) inside the window:
    each closure's segment length × the hours of the window it lasted (a closure still in
    force lasts to the window's end)."""
    rows = (
        Closure.objects.filter(segment__region_id__in=ids, status="closed", starts_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .values_list("segment__region_id", "segment__length_km", "starts_at", "ended_at")
    )
    totals: dict[int, float] = defaultdict(float)
    for region_id, km, began, ended in rows:
        hours = (min(ended or end, end) - max(began, start)).total_seconds() / 3600
        if hours > 0:
            totals[region_id] += km * hours
    return {region_id: Figure(round(value, 1)) for region_id, value in totals.items()}
