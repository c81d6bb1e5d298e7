"""The commission's figure on utility outages (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from saqshy.core.indicators import Days, Figure, by_day, counted_by_day, counted_in
from saqshy.lifelines.models import Outage


def outages_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(Outage.objects.filter(region_id__in=ids), "started", days, Count("id"))


@by_day(outages_days)
def outages(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Outages of heating, water or power that started in the window."""
    rows = Outage.objects.filter(region_id__in=ids)
    return counted_in(rows, "started", start, end, Count("id"))
