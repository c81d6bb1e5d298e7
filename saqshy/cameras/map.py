"""What the situation map's camera layer needs: its URL and its words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saqshy.cameras import queries
from saqshy.cameras.models import Camera
from saqshy.core.scoping import user_scope


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The layer's URL and words; nothing for a user who may see no camera."""
    if user_scope(user, Camera, "view").empty:
        return {}
    norms = queries.norms(getattr(region, "pk", None))
    return {
        "camerasUrl": "/api/cameras/map/",
        # The legend's thresholds: the norms of the region the map opens on.
        "camerasNorms": {"warning": norms.warning, "critical": norms.critical},
        "camerasText": {
            "density": _("persons/m²"),
            "people": _("people"),
            "venue": _("Venue"),
            "area": _("watched area, m²"),
            "details": _("Details"),
        },
    }
