"""What the situation map's winter layers need: their URL and their words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saqshy.core.scoping import user_scope
from saqshy.winter.models import WarmingPoint


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The layers' URL and words; nothing for a user who may see no warming point."""
    if user_scope(user, WarmingPoint, "view").empty:
        return {}
    return {
        "winterUrl": "/api/winter/points/map/",
        "winterText": {
            "free": _("free places"),
            "closed": _("closed"),
            "people": _("people"),
            "children": _("children"),
            "sentTo": _("sent to"),
            "base": _("base"),
            "details": _("Details"),
            "stranded": _("Stranded people and vehicles"),
        },
    }
