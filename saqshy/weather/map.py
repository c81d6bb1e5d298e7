"""What the situation map's weather layer needs: its URL and its words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saqshy.core.scoping import user_scope
from saqshy.weather.models import WeatherWarning


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The layer's URL and words; nothing for a user who may see no weather warning."""
    if user_scope(user, WeatherWarning, "view").empty:
        return {}
    return {
        "weatherUrl": "/api/weather/warnings/map/",
        "weatherText": {"until": _("until"), "details": _("Details")},
    }
