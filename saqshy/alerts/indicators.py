"""The commission's figure on public alerts (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from saqshy.alerts.choices import Source, State
from saqshy.alerts.models import Alert
from saqshy.core.indicators import Figure


def alerts_published(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """CAP messages written here (new alerts, updates, cancellations) published in the
    window, per region (never an exercise's)."""
    rows = (
        Alert.objects.real()
        .filter(
            region_id__in=ids,
            source=Source.AUTHORED,
            state=State.PUBLISHED,
            sent__gte=start,
            sent__lt=end,
        )
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}
