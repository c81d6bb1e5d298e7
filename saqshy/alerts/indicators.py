"""The commission's figure on public alerts (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, QuerySet

from saqshy.alerts.choices import Source, State
from saqshy.alerts.models import Alert
from saqshy.core.indicators import Days, Figure, by_day, counted_by_day, counted_in


def _published(ids: Sequence[int]) -> QuerySet[Alert]:
    return Alert.objects.real().filter(
        region_id__in=ids, source=Source.AUTHORED, state=State.PUBLISHED
    )


def alerts_published_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_published(ids), "sent", days, Count("id"))


@by_day(alerts_published_days)
def alerts_published(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """CAP messages written here (new alerts, updates, cancellations) published in the
    window, per region (never an exercise's)."""
    return counted_in(_published(ids), "sent", start, end, Count("id"))
