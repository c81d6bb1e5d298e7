"""Setup of the New Year's Eve load test, run inside Django (``manage.py shell``) by
``nye_run.py``: what the locust profile needs and cannot make itself without Django.

- ``units`` units in Astana (the demo's, plus ``NYE-…`` ones of the three response
  agencies), each sending positions with its agency dispatcher's token, or from its vehicle
  tracker (``AVL-<unit id>``, fitted here) over MQTT;
- API tokens (knox) of the dispatchers, the duty officer, the planners and the analyst;
- ``maps`` signed-in sessions of operators (the maps' WebSocket authenticates by session);
- the map's snapshot URLs (every layer's ``…Url`` without a placeholder) and the pages and
  API lists planners and analysts browse.

Writes one JSON file; the locustfile reads it (no Django in the locust process).
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from knox.models import AuthToken

from saqshy.accounts.models import Agency, Region, User
from saqshy.core import registry
from saqshy.demo.people import DISPATCHERS
from saqshy.incidents import services
from saqshy.incidents.models import Incident, Unit
from saqshy.ingest.choices import DeviceKind
from saqshy.ingest.models import Device
from saqshy.reports.models import DailyReport
from saqshy.situation.views import layer_urls

CITY = "astana"
KIND_OF_AGENCY = {"police-astana": "patrol_car", "des-astana": "fire_engine",
                  "health-astana": "ambulance"}  # fmt: skip
MAP_USERS = ("duty_astana", "coordinator_astana", "head_astana", "analyst", "admin",
             *DISPATCHERS.values())  # fmt: skip
BROWSERS = ("planner_astana", "analyst", "head_astana")


def _units(region: Region, wanted: int) -> list[dict[str, Any]]:
    agencies = {a.code: a for a in Agency.objects.filter(code__in=KIND_OF_AGENCY)}
    have = Unit.objects.filter(region=region, agency__code__in=KIND_OF_AGENCY).count()
    codes = sorted(KIND_OF_AGENCY)
    for k in range(have, wanted):
        code = codes[k % len(codes)]
        services.create_unit(
            acting_user=None, call_sign=f"NYE-{k:04d}", kind=KIND_OF_AGENCY[code],
            agency=agencies[code], region=region, lat=51.10 + (k % 50) * 0.002,
            lon=71.35 + (k // 50) * 0.004,
        )  # fmt: skip
    chosen = Unit.objects.filter(region=region, agency__code__in=KIND_OF_AGENCY).order_by("pk")
    _fit_trackers(region, list(chosen[:wanted]))
    return [
        {"id": pk, "agency": code, "call_sign": call_sign, "tracker": tracker}
        for pk, code, call_sign, tracker in chosen.values_list(
            "pk", "agency__code", "call_sign", "tracker__serial"
        )[:wanted]
    ]


def _fit_trackers(region: Region, units: list[Unit]) -> None:
    """A vehicle tracker ``AVL-<unit id>`` for each unit that has none."""
    bare = [unit for unit in units if unit.tracker_id is None]
    Device.objects.bulk_create(
        [Device(serial=f"AVL-{u.pk}", kind=DeviceKind.TRACKER, region=region) for u in bare],
        ignore_conflicts=True,
    )
    serials = dict(Device.objects.filter(serial__startswith="AVL-").values_list("serial", "pk"))
    for unit in bare:
        unit.tracker_id = serials[f"AVL-{unit.pk}"]
    Unit.objects.bulk_update(bare, ["tracker"])


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def prepare(out: str, units: int = 2000, maps: int = 200) -> None:
    region = Region.objects.get(slug=CITY)
    users = {u.username: u for u in User.objects.filter(username__in={*MAP_USERS, *BROWSERS})}
    tokens = {name: AuthToken.objects.create(users[name])[1] for name in users}
    config = registry.map_config(users["duty_astana"], region)
    # A layer's counts per cell (``…ClustersUrl``) are asked only by a map whose scope holds
    # more places than SAQSHY_MAP_POINTS_LIMIT, and then with the view's zoom and box: a
    # city's map loads the whole list instead.
    layers = sorted(
        url for key, url in config.items()
        if key.endswith("Url") and not key.endswith("ClustersUrl") and isinstance(url, str)
        and url.startswith("/api/") and "{" not in url and not url.startswith("/api/routing/")
    )  # fmt: skip
    layers += sorted(layer_urls(timezone.localdate().isoformat()).values())
    incidents = list(
        Incident.objects.filter(region=region).order_by("-pk").values_list("pk", flat=True)[:50]
    )
    reports = list(DailyReport.objects.order_by("-pk").values_list("pk", flat=True)[:10])
    pages = [reverse("incidents:list"), reverse("incidents:indicators"), reverse("reports:list"),
             reverse("indicators:region"), reverse("facilities:list"),
             *(reverse("incidents:detail", args=[pk]) for pk in incidents[:10]),
             *(reverse("reports:detail", args=[pk]) for pk in reports)]  # fmt: skip
    lists = ["/api/incidents/?page_size=50", "/api/incidents/?open=true&page_size=50",
             "/api/facilities/?page_size=50", "/api/units/?page_size=50",
             "/api/indicators/response/", "/api/reports/?page_size=20",
             *(f"/api/incidents/{pk}/" for pk in incidents[:20])]  # fmt: skip
    names = [n for n in MAP_USERS if n in users]
    fixture = {
        "agencies": {code: DISPATCHERS[code] for code in KIND_OF_AGENCY},
        "tokens": tokens,
        "units": _units(region, units),
        "sessions": [_session(users[names[k % len(names)]]) for k in range(maps)],
        "layers": layers,
        "pages": pages,
        "lists": lists,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    Path(out).write_text(json.dumps(fixture), encoding="utf-8")
    print(f"prepared: {len(fixture['units'])} units, {maps} map sessions, layers {layers}")
