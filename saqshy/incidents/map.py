"""The incident and unit layers of the situation map: labels, colours, URLs, who may act."""

from __future__ import annotations

from typing import Any

from saqshy.accounts.queries import norm
from saqshy.core.scoping import user_scope
from saqshy.incidents.choices import IncidentStatus, Priority, UnitKind, UnitStatus
from saqshy.incidents.models import Incident, IncidentType, Unit

# Map colour and a one- or two-letter mark per incident type code and unit kind; a type added
# later without an entry here is drawn grey with its code's first letter.
TYPE_STYLE = {
    "fire": ("#d7191c", "F"),
    "crime": ("#2c7bb6", "C"),
    "traffic_accident": ("#f17c0f", "T"),
    "medical": ("#e7298a", "M"),
    "lost_child": ("#7b3294", "L"),
    "suspicious_object": ("#252525", "S"),
    "crowd_density": ("#8c510a", "D"),
    "fire_alarm": ("#f4a582", "A"),
    "utility_outage": ("#6a7f10", "U"),
    "stranded": ("#01858c", "V"),
    "other": ("#737373", "?"),
}
UNIT_MARK = {
    UnitKind.PATROL_CAR: "P",
    UnitKind.FOOT_PATROL: "FP",
    UnitKind.TRAFFIC_POLICE: "TP",
    UnitKind.FIRE_ENGINE: "FE",
    UnitKind.LADDER: "L",
    UnitKind.RESCUE: "R",
    UnitKind.AMBULANCE: "A",
    UnitKind.SPECIAL: "S",
    UnitKind.HELICOPTER: "H",
}


def agency_bound(user: Any) -> bool:
    """A role acting for its own agency only (a dispatcher): its queue opens on its calls."""
    scope = user_scope(user, Incident, "change")
    return (
        not scope.empty
        and not scope.everything
        and all(reach.agency_id is not None for reach in scope.reaches)
    )


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """What the map's incident and unit layers need for ``user``."""
    types = [
        {
            "value": t.code,
            "label": t.display_name,
            "colour": TYPE_STYLE.get(t.code, ("#737373", ""))[0],
            "mark": TYPE_STYLE.get(t.code, ("", t.code[:1].upper()))[1],
        }
        for t in IncidentType.objects.all()
    ]
    unit_kinds = [
        {**k, "mark": UNIT_MARK.get(k["value"], k["value"][:1].upper())} for k in UnitKind.legend()
    ]
    return {
        "types": types,
        "priorities": Priority.legend(),
        "statuses": IncidentStatus.legend(),
        "transitions": {k: list(IncidentStatus.targets(k)) for k in IncidentStatus.values()},
        "unitKinds": unit_kinds,
        "unitStatuses": UnitStatus.legend(),
        "incidentsUrl": "/api/incidents/?open=true&page_size=500",
        "incidentUrl": "/api/incidents/{id}/",
        "recommendationsUrl": "/api/incidents/{id}/recommendations/",
        "dispatchUrl": "/api/incidents/{id}/dispatch/",
        "advanceUrl": "/api/incidents/{id}/advance/",
        "incidentPage": "/incidents/{id}/",
        # Only what the layer draws: a thousand units without their agency, region and tracker.
        "unitsUrl": (
            "/api/units/?page_size=1000&fields=id,call_sign,kind,status,lat,lon,position_at"
        ),
        "unitsClustersUrl": "/api/units/clusters/",
        "routeUrl": "/api/routing/route",
        "queueUrl": "/incidents/desk/queue/",
        "cardUrl": "/incidents/{id}/card/",
        "noteUrl": "/api/incidents/{id}/notes/",
        # A waiting call escalates on the map after this long (a norm, set per region).
        "ackSeconds": norm("call_acknowledgement_seconds", region.pk if region else None),
        "agencyBound": agency_bound(user),
        "myAgencies": sorted(set(user.grants.values_list("agency_id", flat=True))),
        # The new-call tone is off until the dispatcher turns it on (kept in their browser).
        "callSound": False,
        "seeIncidents": not user_scope(user, Incident, "view").empty,
        "seeUnits": not user_scope(user, Unit, "view").empty,
        "canDispatch": not user_scope(user, Incident, "change").empty,
    }
