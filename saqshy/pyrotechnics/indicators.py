"""The commission's pyrotechnics figures (declared in ``apps.py``; see docs/indicators.md).

Raids and seizures carry a date only: they count in the window that holds noon of their day
(``core.indicators.dates_in``), as ``queries.totals`` counts them for a date range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, QuerySet, Sum

from saqshy.core.indicators import Days, Figure, by_day, dated_by_day, dated_in
from saqshy.pyrotechnics.choices import RaidStatus
from saqshy.pyrotechnics.models import Raid, SeizureLine

SEIZED_ON = "seizure__seized_on"
SEIZED_IN = "seizure__region_id"


def _done(ids: Sequence[int]) -> QuerySet[Raid]:
    return Raid.objects.filter(region_id__in=ids, status=RaidStatus.DONE)


def raids_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_done(ids), "planned_on", days, Count("id"))


@by_day(raids_days)
def raids(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Raids done, planned for the window's days."""
    return dated_in(_done(ids), "planned_on", start, end, Count("id"))


def _lines(ids: Sequence[int]) -> QuerySet[SeizureLine]:
    return SeizureLine.objects.filter(seizure__region_id__in=ids)


def pyro_units_seized_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_lines(ids), SEIZED_ON, days, Sum("units"), region=SEIZED_IN)


@by_day(pyro_units_seized_days)
def pyro_units_seized(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Units of pyrotechnics seized on the window's days (certified or not)."""
    return dated_in(_lines(ids), SEIZED_ON, start, end, Sum("units"), region=SEIZED_IN)


def pyro_boxes_seized_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_lines(ids), SEIZED_ON, days, Sum("boxes"), region=SEIZED_IN)


@by_day(pyro_boxes_seized_days)
def pyro_boxes_seized(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Boxes of pyrotechnics seized on the window's days (certified or not)."""
    return dated_in(_lines(ids), SEIZED_ON, start, end, Sum("boxes"), region=SEIZED_IN)
