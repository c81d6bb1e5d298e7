"""What the situation map's alerts layer needs: its URL and its words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from saqshy.alerts.models import Alert
from saqshy.core.scoping import user_scope


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The layer's URL and words; nothing for a user who may see no alert."""
    if user_scope(user, Alert, "view").empty:
        return {}
    return {
        "alertsUrl": "/api/alerts/map/",
        "alertsText": {
            "until": _("until"),
            "received": _("received from another agency"),
            "details": _("Details"),
            "exercise": pgettext("exercise badge", "EXERCISE"),
        },
    }
