from __future__ import annotations

import datetime as dt
from typing import Any

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.forecasts.models import HotspotCell, HotspotForecast
from saqshy.incidents.tests.factories import IncidentFactory


def stored_forecast(region: Region, cells: int = 3) -> HotspotForecast:
    """A forecast written straight to the tables (for access tests): cells 0, 1, 2 … on a
    10 × 10 grid of 250 m in UTM 42N, scores falling with the cell number."""
    forecast = HotspotForecast.objects.create(
        region=region,
        model_name="counts",
        cell_m=250.0,
        crs="EPSG:32642",
        trained_until=dt.date(2025, 6, 30),
        events=cells,
        params={"grid": {"x0": 640000.0, "y0": 5664000.0, "nx": 10, "ny": 10}},
    )
    HotspotCell.objects.bulk_create(
        HotspotCell(
            forecast=forecast,
            cell=i,
            lat=51.1 + i * 0.001,
            lon=71.4,
            score=(cells - i) / (cells * (cells + 1) / 2),
            slot_shares=[1 / 6] * 6,
        )
        for i in range(cells)
    )
    return forecast


def incidents_near_centre(region: Region, days_ago: int = 3, **kwargs: Any) -> None:
    """Five incidents at the region's centre and two 1 km north, ``days_ago`` days back."""
    from django.utils import timezone

    lat, lon = CENTRES[region.slug]
    at = timezone.now() - dt.timedelta(days=days_ago)
    for _ in range(5):
        IncidentFactory(region=region, lat=lat, lon=lon, reported_at=at, **kwargs)
    for _ in range(2):
        IncidentFactory(region=region, lat=lat + 0.009, lon=lon, reported_at=at, **kwargs)
