"""What the situation map's roads layer needs: its URL and its words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saqshy.core.scoping import user_scope
from saqshy.roads.models import Segment


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The layer's URL (closed and restricted segments as GeoJSON) and its words; nothing for
    a user who may see no road segment (the map then neither asks for it nor lists it)."""
    if user_scope(user, Segment, "view").empty:
        return {}
    return {
        "roadsUrl": "/api/roads/segments/geojson/?status=closed&status=restricted",
        "roadsText": {
            "reason": _("Reason"),
            "since": _("Since"),
            "reopening": _("Expected reopening"),
            "details": _("Details"),
        },
    }
