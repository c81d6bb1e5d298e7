"""What the situation map's lifelines layer needs: its URL and its words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saqshy.core.scoping import user_scope
from saqshy.lifelines.models import UtilitySite


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The layer's URL and words; nothing for a user who may see no utility site (the map
    then neither asks for it nor lists it)."""
    if user_scope(user, UtilitySite, "view").empty:
        return {}
    return {
        "lifelinesUrl": "/api/lifelines/sites/map/",
        "lifelinesText": {
            "people": _("people affected (estimate)"),
            "outage": _("Outage"),
            "details": _("Details"),
        },
    }
