from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from saqshy.accounts.models import Region
from saqshy.facilities.choices import FacilityKind
from saqshy.inspections.choices import Clearance
from saqshy.situation import basemap

MAX_ZOOM = 19


def _start_view(user: Any) -> dict[str, Any]:
    """Centre the map on the user's own region, else on the default demo region."""
    grant = user.grants.exclude(region=None).select_related("region").first()
    region = (
        grant.region
        if grant
        else Region.objects.filter(slug=settings.SAQSHY_DEFAULT_REGION).first()
    )
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
    return render(request, "situation/map.html", {"map_config": config})


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
