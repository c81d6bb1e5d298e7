"""The commission's figure on utility outages (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from saqshy.core.indicators import Figure
from saqshy.lifelines.models import Outage


def outages(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Outages of heating, water or power that started in the window."""
    rows = (
        Outage.objects.filter(region_id__in=ids, started__gte=start, started__lt=end)
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}
