"""The commission's figure on children's group trips (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q

from saqshy.core.indicators import Figure
from saqshy.trips.choices import TripStatus
from saqshy.trips.models import Trip

NOT_GOING = (TripStatus.CANCELLED, TripStatus.REJECTED)


def trips_escorted(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Trips due to depart in the window with a police escort assigned, of the trips due to
    depart (cancelled and rejected trips left out: they do not leave)."""
    rows = (
        Trip.objects.filter(region_id__in=ids, departs_at__gte=start, departs_at__lt=end)
        .exclude(status__in=NOT_GOING)
        .order_by()
        .values("region_id")
        .annotate(value=Count("id", filter=Q(escort__isnull=False)), base=Count("id"))
    )
    return {row["region_id"]: Figure(row["value"], row["base"]) for row in rows}
