from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from saqshy.accounts.models import Region
from saqshy.core.scoping import user_scope
from saqshy.duty.models import PatrolPlan
from saqshy.facilities.choices import FacilityKind
from saqshy.forecasts.models import HotspotForecast
from saqshy.incidents.choices import IncidentStatus, Priority, UnitKind, UnitStatus
from saqshy.incidents.models import Incident, IncidentType, Unit
from saqshy.inspections.choices import Clearance
from saqshy.situation import basemap

MAX_ZOOM = 19

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

# The words ops.js shows, in the request's language.
OPS_TEXT = {
    "minutes": _("min"),
    "km": _("km"),
    "ago": _("ago"),
    "recommended": _("Recommended units"),
    "others": _("Other units"),
    "more": _("More available units"),
    "forecast": _("Hotspot forecast"),
    "trainedUntil": _("history until"),
    "noForecast": _("No forecast has been computed for this region yet."),
    "noPatrolPlan": _("No patrol plan for this region yet."),
    "stop": _("stop"),
    "dispatch": _("Dispatch selected"),
    "noUnits": _("No unit of the needed kinds can be sent."),
    "missing": _("Still missing"),
    "assigned": _("Assigned units"),
    "duplicateOf": _("Possible duplicate of"),
    "details": _("Open the incident page"),
    "close": _("Close panel"),
    "loading": _("Loading…"),
    "dispatched": _("Dispatched"),
    "error": _("The server refused this."),
    "busy": _("busy"),
    "wrong_kind": _("wrong kind"),
    "no_position": _("no position"),
    "out_of_region": _("out of region"),
    "unreachable": _("no road route"),
    "out_of_service": _("out of service"),
    "incident": _("Incident"),
    "unit": pgettext_lazy("emergency unit", "Unit"),
    "priority": _("Priority"),
    "dup": _("duplicate?"),
    "actions": {
        "en_route": _("Units en route"),
        "on_scene": _("Units on scene"),
        "closed": _("Close incident"),
        "cancelled": _("Cancel incident"),
    },
}


def operations_config(user: Any) -> dict[str, Any]:
    """What the map's incident and unit layers need: labels, colours, URLs, what the user may do."""
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
        "unitsUrl": "/api/units/?page_size=1000",
        "routeUrl": "/api/routing/route",
        "forecastsUrl": "/api/forecasts/?page_size=1",
        "forecastCellsUrl": "/api/forecasts/{id}/cells/?top=600",
        "seeForecasts": not user_scope(user, HotspotForecast, "view").empty,
        "patrolPlansUrl": "/api/duty/patrol-plans/?page_size=1",
        "patrolStopsUrl": "/api/duty/patrol-plans/{id}/stops/",
        "patrolSheetUrl": "/duty/patrol-plans/{id}/",
        "seePatrols": not user_scope(user, PatrolPlan, "view").empty,
        "seeIncidents": not user_scope(user, Incident, "view").empty,
        "seeUnits": not user_scope(user, Unit, "view").empty,
        "canDispatch": not user_scope(user, Incident, "change").empty,
    }


def _start_region(user: Any) -> Region | None:
    grant = user.grants.exclude(region=None).select_related("region").first()
    if grant:
        region: Region | None = grant.region
        return region
    return Region.objects.filter(slug=settings.SAQSHY_DEFAULT_REGION).first()


def _start_view(user: Any) -> dict[str, Any]:
    """Centre the map on the user's own region, else on the default demo region."""
    region = _start_region(user)
    if region is None or region.centre_lat is None:
        return {"lat": 48.0, "lon": 67.0, "zoom": 5}
    zoom = 12 if region.kind == "city" else 8
    return {"lat": region.centre_lat, "lon": region.centre_lon, "zoom": zoom}


@login_required
def situation_map(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate().isoformat()
    config = {
        "start": _start_view(request.user),
        "kinds": FacilityKind.legend(),
        "facilitiesUrl": "/api/facilities/?format=geojson&page_size=1000",
        "eventsUrl": f"/api/events/?format=geojson&page_size=1000&date_from={today}",
        "eventUrl": "/api/events/{id}/?format=geojson",
        "outletsUrl": "/api/pyrotechnics/outlets/?format=geojson&page_size=1000",
        "clearanceUrl": "/api/clearance/",
        "clearance": Clearance.legend(),
        "tilesUrl": "/tiles/{z}/{x}/{y}.png",
        "maxZoom": MAX_ZOOM,
        "socketPath": "/ws/situation/",
    }
    ops = operations_config(request.user)
    region = _start_region(request.user)
    if region:
        ops["forecastsUrl"] += f"&region={region.slug}"
        ops["patrolPlansUrl"] += f"&region={region.pk}"
    context = {
        "map_config": config,
        "ops_config": {**ops, "csrfToken": get_token(request)},
        "ops_text": OPS_TEXT,
    }
    return render(request, "situation/map.html", context)


@require_GET
async def tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """A basemap tile drawn from our own OSM data; no outside tile server is involved."""
    if z > MAX_ZOOM or x >= 2**z or y >= 2**z:
        raise Http404("no such tile")
    loaded = await sync_to_async(basemap.current)()
    # Drawing is pure CPU work: keep it off the thread that serves database-bound views.
    png = await sync_to_async(basemap.cached_tile, thread_sensitive=False)(loaded, z, x, y)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
