"""The commission's figure on weather warnings (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, QuerySet

from saqshy.core.indicators import Days, Figure, by_day, counted_by_day, counted_in
from saqshy.weather.choices import WarningStatus
from saqshy.weather.models import WeatherWarning


def _kept(ids: Sequence[int]) -> QuerySet[WeatherWarning]:
    return WeatherWarning.objects.filter(region_id__in=ids).exclude(status=WarningStatus.DISMISSED)


def weather_warnings_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_kept(ids), "starts_at", days, Count("id"))


@by_day(weather_warnings_days)
def weather_warnings(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Weather warnings (not dismissed) whose time starts in the window."""
    return counted_in(_kept(ids), "starts_at", start, end, Count("id"))
