"""The commission's figures on mass events (declared in ``apps.py``; see docs/indicators.md).

Each function takes region ids and a window ``[start, end)`` and answers a figure per region
(``saqshy.core.indicators``); an event belongs to the window in which it starts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    counted_by_day,
    counted_in,
    in_windows_by_day,
)
from saqshy.gatherings import gates
from saqshy.gatherings.choices import GatheringStatus
from saqshy.gatherings.models import Gathering

SECURED = (GatheringStatus.APPROVED, GatheringStatus.HELD)
PENDING = (GatheringStatus.DRAFT, GatheringStatus.SUBMITTED)


def _starting(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[Gathering]:
    return Gathering.objects.filter(
        region_id__in=region_ids, starts_at__gte=start, starts_at__lt=end
    ).order_by()


def _held(region_ids: Sequence[int]) -> QuerySet[Gathering]:
    return Gathering.objects.filter(region_id__in=region_ids, status=GatheringStatus.HELD)


def events_held_days(region_ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_held(region_ids), "starts_at", days, Count("id"))


@by_day(events_held_days)
def events_held(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Events held (status *held*) that started in the window."""
    return counted_in(_held(region_ids), "starts_at", start, end, Count("id"))


def _secured() -> tuple[Count, Count]:
    return (
        Count("id", filter=Q(status__in=SECURED)),
        Count("id", filter=~Q(status=GatheringStatus.CANCELLED)),
    )


def events_secured_days(region_ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    rows = Gathering.objects.filter(region_id__in=region_ids)
    return counted_by_day(rows, "starts_at", days, *_secured())


@by_day(events_secured_days)
def events_secured(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Events approved or held, of the window's events not cancelled."""
    rows = Gathering.objects.filter(region_id__in=region_ids)
    return counted_in(rows, "starts_at", start, end, *_secured())


# Each pending event's region, start and whether a gate fails.
_Pending = list[tuple[int, dt.datetime, bool]]


def _pending(region_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> _Pending:
    """The window's events still in draft or submitted, their gates evaluated together."""
    pending = list(_starting(region_ids, start, end).filter(status__in=PENDING))
    evaluated = gates.evaluate(pending)
    return [
        (event.region_id, event.starts_at, any(not gate.passed for gate in evaluated[event.pk]))
        for event in pending
    ]


def _blocked(pending: _Pending, start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    counts: dict[int, int] = defaultdict(int)
    for region_id, starts_at, blocked in pending:
        if blocked and start <= starts_at < end:
            counts[region_id] += 1
    return {region_id: Figure(n) for region_id, n in counts.items()}


def events_blocked_days(region_ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return in_windows_by_day(days, lambda start, end: _pending(region_ids, start, end), _blocked)


@by_day(events_blocked_days)
def events_blocked(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Events of the window still in draft or submitted with at least one failing gate."""
    return _blocked(_pending(region_ids, start, end), start, end)
