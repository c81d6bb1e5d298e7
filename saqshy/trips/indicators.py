"""The commission's figure on children's group trips (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.core.indicators import Days, Figure, by_day, counted_by_day, counted_in
from saqshy.trips.choices import TripStatus
from saqshy.trips.models import Trip

NOT_GOING = (TripStatus.CANCELLED, TripStatus.REJECTED)


def _going(ids: Sequence[int]) -> QuerySet[Trip]:
    return Trip.objects.filter(region_id__in=ids).exclude(status__in=NOT_GOING)


def _escorted() -> Count:
    return Count("id", filter=Q(escort__isnull=False))


def trips_escorted_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_going(ids), "departs_at", days, _escorted(), Count("id"))


@by_day(trips_escorted_days)
def trips_escorted(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Trips due to depart in the window with a police escort assigned, of the trips due to
    depart (cancelled and rejected trips left out: they do not leave)."""
    return counted_in(_going(ids), "departs_at", start, end, _escorted(), Count("id"))
