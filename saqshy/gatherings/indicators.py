"""The commission's figures on mass events (declared in ``apps.py``; see docs/indicators.md).

Each function takes region ids and a window ``[start, end)`` and answers a figure per region
(``saqshy.core.indicators``); an event belongs to the window in which it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.core.indicators import Figure, by_day, counted_by_day, counted_in
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


def events_held_days(
    region_ids: Sequence[int], days: Sequence[dt.date]
) -> dict[dt.date, dict[int, Figure]]:
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


def events_secured_days(
    region_ids: Sequence[int], days: Sequence[dt.date]
) -> dict[dt.date, dict[int, Figure]]:
    rows = Gathering.objects.filter(region_id__in=region_ids)
    return counted_by_day(rows, "starts_at", days, *_secured())


@by_day(events_secured_days)
def events_secured(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Events approved or held, of the window's events not cancelled."""
    rows = Gathering.objects.filter(region_id__in=region_ids)
    return counted_in(rows, "starts_at", start, end, *_secured())


def events_blocked(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Events of the window still in draft or submitted with at least one failing gate."""
    pending = list(_starting(region_ids, start, end).filter(status__in=PENDING))
    found: dict[int, Figure] = {}
    region_of = {event.pk: event.region_id for event in pending}
    counts: dict[int, int] = {}
    for event_id, gate_list in gates.evaluate(pending).items():
        if any(not gate.passed for gate in gate_list):
            region_id = region_of[event_id]
            counts[region_id] = counts.get(region_id, 0) + 1
    for region_id, n in counts.items():
        found[region_id] = Figure(n)
    return found
