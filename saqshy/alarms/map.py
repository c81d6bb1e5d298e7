"""What the situation map's home-alarm layers need for a user (``MapLayer.config``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saqshy.core.scoping import user_scope
from saqshy.incidents.models import Incident
from saqshy.ingest.models import Device


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """URLs and texts of the alarm-homes, offline-devices and coverage layers, and which of
    them the user may see (the endpoints filter by scope again)."""
    see_devices = not user_scope(user, Device, "view").empty
    see_incidents = not user_scope(user, Incident, "view").empty
    return {
        "homeAlarms": {
            "seeDevices": see_devices,
            "seeIncidents": see_incidents,
            "alarmHomesUrl": "/alarms/health/map/alarm-homes/",
            "offlineUrl": "/alarms/health/map/offline/",
            "coverageUrl": "/alarms/health/map/coverage/",
            "incidentUrl": "/incidents/{id}/",
            "pointsFromZoom": 14,
            "text": {
                "alarm": _("Home fire alarm"),
                "open": _("Open the incident"),
                "exercise": _("Exercise"),
                "offline": _("Offline sensors"),
                "offlineSince": _("last heartbeat"),
                "installed": _("sensors installed"),
            },
        }
    }
