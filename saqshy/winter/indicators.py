"""The commission's figures on winter roads (declared in ``apps.py``; see docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Sum

from saqshy.core.indicators import Figure
from saqshy.winter.models import StrandedReport, WarmingPoint


def stranded_people(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """People in the stranded reports registered in the window."""
    rows = (
        StrandedReport.objects.filter(
            region_id__in=ids, reported_at__gte=start, reported_at__lt=end
        )
        .order_by()
        .values("region_id")
        .annotate(n=Sum("people"))
    )
    return {row["region_id"]: Figure(row["n"] or 0) for row in rows}


def stranded_evacuated(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """People of stranded reports whose evacuation to a warming point completed in the window."""
    rows = (
        StrandedReport.objects.filter(
            region_id__in=ids, evacuated_at__gte=start, evacuated_at__lt=end
        )
        .order_by()
        .values("region_id")
        .annotate(n=Sum("people"))
    )
    return {row["region_id"]: Figure(row["n"] or 0) for row in rows}


def warming_points_open(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Warming points recorded before the window ended that are open now (when a point was
    open is not kept as history, so its state now stands for the window)."""
    rows = (
        WarmingPoint.objects.filter(region_id__in=ids, is_open=True, created_at__lt=end)
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}
