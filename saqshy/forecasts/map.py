"""The hotspot-forecast layer of the situation map."""

from __future__ import annotations

from typing import Any

from saqshy.core.scoping import user_scope
from saqshy.forecasts.models import HotspotForecast


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The latest forecast of the region the map opens on, if the user may see forecasts."""
    url = "/api/forecasts/?page_size=1"
    if region is not None:
        url += f"&region={region.slug}"
    return {
        "forecastsUrl": url,
        "forecastCellsUrl": "/api/forecasts/{id}/cells/?top=600",
        "seeForecasts": not user_scope(user, HotspotForecast, "view").empty,
    }
