"""What the patrol planner asks of the forecasts: the riskiest cells of a region for a window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.algorithms.forecast.slots import SLOTS, hours_weight
from saqshy.forecasts.models import HotspotCell, HotspotForecast


@dataclass(frozen=True)
class TopCell:
    """One hotspot cell: centre, size and its share of the region's risk in the window."""

    forecast_id: int
    cell: int
    lat: float
    lon: float
    cell_m: float
    score: float


def latest_forecast(region: Region, *, user: Any = None) -> HotspotForecast | None:
    """The region's newest forecast (restricted to ``user``'s scope when one is given)."""
    forecasts = HotspotForecast.objects.filter(region=region)
    if user is not None:
        forecasts = forecasts.restrict(user, "view")
    found: HotspotForecast | None = forecasts.order_by("-trained_until", "-created_at").first()
    return found


def window_hours(start: dt.datetime, end: dt.datetime) -> list[int]:
    """The local hours of the day the window ``[start, end)`` covers, one per started hour."""
    if end <= start:
        return []
    hours = []
    moment = timezone.localtime(start).replace(minute=0, second=0, microsecond=0)
    stop = timezone.localtime(end)
    while moment < stop:
        hours.append(moment.hour)
        moment += dt.timedelta(hours=1)
    return hours


def top_cells(
    region: Region,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 20,
    user: Any = None,
    forecast: HotspotForecast | None = None,
) -> list[TopCell]:
    """The ``limit`` riskiest cells of the region's newest forecast, highest first.

    With a window (``start``, ``end``) a cell's score is its share of the risk × the share of
    its events that fall in the window's hours of the day (summed over the hours), so a cell
    busy at night ranks higher for a night shift. Without one it is the whole-day share.
    Empty when the region has no forecast.
    """
    forecast = forecast or latest_forecast(region, user=user)
    if forecast is None:
        return []
    cells = list(
        HotspotCell.objects.filter(forecast=forecast).values_list(
            "cell", "lat", "lon", "score", "slot_shares"
        )
    )
    if not cells:
        return []
    scores = np.array([c[3] for c in cells], dtype=np.float64)
    if start is not None and end is not None:
        weight = hours_weight(window_hours(start, end))
        shares = np.array([c[4] if len(c[4]) == SLOTS else [1.0 / SLOTS] * SLOTS for c in cells])
        scores = scores * (shares @ weight)
    order = np.argsort(-scores, kind="stable")[: max(0, limit)]
    return [
        TopCell(
            forecast_id=forecast.pk,
            cell=cells[i][0],
            lat=cells[i][1],
            lon=cells[i][2],
            cell_m=forecast.cell_m,
            score=float(scores[i]),
        )
        for i in order
    ]
