"""The commission's figures on winter roads (declared in ``apps.py``; see docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q, QuerySet, Sum

from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    counted_by_day,
    counted_in,
    rows_counted,
    standing_by_day,
    standing_in,
)
from saqshy.winter.models import StrandedReport, WarmingPoint


def _reports(ids: Sequence[int]) -> QuerySet[StrandedReport]:
    return StrandedReport.objects.filter(region_id__in=ids)


def stranded_people_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_reports(ids), "reported_at", days, Sum("people"))


@by_day(stranded_people_days)
def stranded_people(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """People in the stranded reports registered in the window."""
    return counted_in(_reports(ids), "reported_at", start, end, Sum("people"))


def stranded_evacuated_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_reports(ids), "evacuated_at", days, Sum("people"))


@by_day(stranded_evacuated_days)
def stranded_evacuated(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """People of stranded reports whose evacuation to a warming point completed in the window."""
    return counted_in(_reports(ids), "evacuated_at", start, end, Sum("people"))


def _points(ids: Sequence[int]) -> QuerySet[WarmingPoint]:
    return WarmingPoint.objects.filter(region_id__in=ids, is_open=True)


def _recorded_by(_last: dt.date, end: dt.datetime) -> Q:
    return Q(created_at__lt=end)


def warming_points_open_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_points(ids), days, _recorded_by, rows_counted)


@by_day(warming_points_open_days)
def warming_points_open(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Warming points recorded before the window ended that are open now (when a point was
    open is not kept as history, so its state now stands for the window)."""
    return standing_in(_points(ids), start, end, _recorded_by, rows_counted)
