from __future__ import annotations

from typing import Any

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
from saqshy.accounts.regions import current_region
from saqshy.algorithms.basemap import MAX_DATA_ZOOM, MAX_ZOOM
from saqshy.core import registry
from saqshy.facilities.choices import FacilityKind
from saqshy.inspections.choices import Clearance
from saqshy.situation import basemap

# The words the incidents layer modules (incidents/static/incidents/map-*.js) show, in the
# request's language.
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
    "exercise": pgettext_lazy("exercise badge", "EXERCISE"),
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
    "noteAdded": _("Note added."),
    "newCall": _("New call"),
    "actions": {
        "en_route": _("Units en route"),
        "on_scene": _("Units on scene"),
        "closed": _("Close incident"),
        "cancelled": _("Cancel incident"),
    },
}


def _start_region(request: HttpRequest) -> Region | None:
    """The region chosen with the header's switch, else the user's first regional grant's,
    else the default demo region."""
    switched = current_region(request)
    if switched is not None:
        return switched
    user: Any = request.user
    grant = user.grants.exclude(region=None).select_related("region").first()
    if grant:
        region: Region | None = grant.region
        return region
    return Region.objects.filter(slug=settings.SAQSHY_DEFAULT_REGION).first()


def _start_view(region: Region | None) -> dict[str, Any]:
    """Centre the map on the start region."""
    if region is None or region.centre_lat is None:
        return {"lat": 48.0, "lon": 67.0, "zoom": 5}
    zoom = 12 if region.kind == "city" else 8
    return {"lat": region.centre_lat, "lon": region.centre_lon, "zoom": zoom}


def layer_urls(today: str) -> dict[str, str]:
    """What the map's own layers load on every (re)connect (the apps' layers add theirs)."""
    return {
        "facilitiesUrl": (
            "/api/facilities/?format=geojson&page_size=1000&fields=id,kind,display_name,capacity,lat,lon"
        ),
        "eventsUrl": f"/api/events/?format=geojson&page_size=1000&date_from={today}",
        "outletsUrl": "/api/pyrotechnics/outlets/?format=geojson&page_size=1000",
        "clearanceUrl": "/api/clearance/",
    }


@login_required
def situation_map(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate().isoformat()
    start = _start_region(request)
    config = {
        "start": _start_view(start),
        "kinds": FacilityKind.legend(),
        **layer_urls(today),
        "eventUrl": "/api/events/{id}/?format=geojson",
        # A scope with more places than this shows counts per cell until the view is close.
        "pointsLimit": settings.SAQSHY_MAP_POINTS_LIMIT,
        # How often at most a layer's counts follow the moves of its places.
        "countsRefreshMs": round(settings.SAQSHY_MAP_COUNTS_REFRESH_SECONDS * 1000),
        "facilitiesClustersUrl": "/api/facilities/clusters/",
        "eventsClustersUrl": f"/api/events/clusters/?date_from={today}",
        "clearance": Clearance.legend(),
        "tilesUrl": "/tiles/{z}/{x}/{y}.mvt",
        "tilesMaxDataZoom": MAX_DATA_ZOOM,
        "maxZoom": MAX_ZOOM,
        "socketPath": "/ws/situation/",
        "timeZone": settings.TIME_ZONE,
    }
    ops = registry.map_config(request.user, start)
    context = {
        "map_config": config,
        "ops_config": {**ops, "csrfToken": get_token(request)},
        "ops_text": OPS_TEXT,
        "layer_scripts": registry.map_scripts(),
        "layer_legends": registry.map_legends(),
    }
    return render(request, "situation/map.html", context)


@require_GET
def tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """A basemap vector tile (MVT, gzip) cut from our own OSM data; no outside tile server is
    involved. Signed-in users only. Data tiles stop at ``MAX_DATA_ZOOM`` (the browser
    over-zooms them); a tile no archive holds is 204 No Content, so the map draws nothing
    there without an error."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    if z > MAX_DATA_ZOOM or x >= 2**z or y >= 2**z:
        raise Http404("no such tile")
    archives, pending = basemap.fresh_archives_and_pending(z, x, y)
    data = basemap.read_tile(archives, z, x, y)
    if data is None:
        response = HttpResponse(status=204)
        if pending or basemap.building():
            response["Cache-Control"] = "no-store"  # an archive is being written: ask again
            return response
    else:
        response = HttpResponse(data, content_type="application/vnd.mapbox-vector-tile")
        response["Content-Encoding"] = "gzip"
    response["Cache-Control"] = "private, max-age=86400"
    return response
