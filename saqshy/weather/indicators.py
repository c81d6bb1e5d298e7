"""The commission's figure on weather warnings (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from saqshy.core.indicators import Figure
from saqshy.weather.choices import WarningStatus
from saqshy.weather.models import WeatherWarning


def weather_warnings(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Weather warnings (not dismissed) whose time starts in the window."""
    rows = (
        WeatherWarning.objects.filter(region_id__in=ids, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=WarningStatus.DISMISSED)
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}
