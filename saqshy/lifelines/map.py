"""What the situation map's lifelines layer needs: its URL and its words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    return {
        "lifelinesUrl": "/api/lifelines/sites/map/",
        "lifelinesText": {
            "people": _("people affected (estimate)"),
            "outage": _("Outage"),
            "details": _("Details"),
        },
    }
