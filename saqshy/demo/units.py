"""The demo's response units in Astana: police, fire and rescue, ambulances at their stations.

About ninety units, a demo-sized share of a capital's night shift (the real city has more),
created through ``incidents.services.create_unit`` at real stations from OpenStreetMap: police
units at police stations, fire and rescue units at fire stations, ambulances at hospitals.
Only stations on the demo's road network are used, so every unit can be routed. Loading is
idempotent: a unit whose call sign its agency already has is left as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saqshy.accounts.models import Agency, Region
from saqshy.accounts.roads import NoRoadGraph, graph_for
from saqshy.algorithms.simulate import haversine_m
from saqshy.facilities.models import Facility
from saqshy.incidents import services as incidents
from saqshy.incidents.models import Unit


@dataclass(frozen=True)
class FleetLine:
    agency: str  # agency code prefix; the city slug is appended
    kind: str  # UnitKind value
    count: int
    call_sign: str  # format with the unit's number
    crew: str
    station_kind: str  # Facility kind of the home stations


FLEET = [
    FleetLine("police", "patrol_car", 24, "Patrol {n:02d}", "2 officers", "police_station"),
    FleetLine("police", "foot_patrol", 10, "Foot {n:02d}", "3 officers on foot", "police_station"),
    FleetLine(
        "police", "traffic_police", 10, "Traffic {n:02d}", "2 traffic officers", "police_station"
    ),
    FleetLine("des", "fire_engine", 12, "Engine {n:02d}", "6 firefighters", "fire_station"),
    FleetLine("des", "ladder", 4, "Ladder {n:02d}", "3 firefighters, 30 m ladder", "fire_station"),
    FleetLine("des", "rescue", 5, "Rescue {n:02d}", "5 rescuers", "fire_station"),
    FleetLine(
        "des", "special_equipment", 5, "Special {n:02d}", "tow truck and snowplough", "fire_station"
    ),
    FleetLine("des", "helicopter", 1, "Heli {n:02d}", "Kazaviaspas crew of 4", "fire_station"),
    FleetLine(
        "health", "ambulance", 22, "Ambulance {n:02d}", "doctor, paramedic, driver", "hospital"
    ),
]
"""The demo fleet: 93 units of three agencies."""

# Not response stations, although OSM tags them police: a prosecutor's and a migration office.
NOT_A_STATION = ("прокуратура", "миграц")
MAX_STATIONS = {"police_station": 14, "fire_station": 6, "hospital": 10}
STATION_SPACING_M = 400.0
"""Two stations closer than this (e.g. buildings of one hospital campus) count as one."""


def _on_roads(region: Region, facilities: list[Facility]) -> list[Facility]:
    try:
        graph = graph_for(region)
    except NoRoadGraph:
        return facilities
    limit = float(settings.SAQSHY_SNAP_MAX_M)
    return [f for f in facilities if graph.snap(f.lat, f.lon)[1] <= limit]


def stations(region: Region, kind: str) -> list[Facility]:
    """Home stations of ``kind`` in ``region``: on the road network, named first, spread out."""
    candidates = [
        f
        for f in Facility.objects.filter(region=region, kind=kind).order_by("osm_ref", "pk")
        if not any(word in (f.name or "").lower() for word in NOT_A_STATION)
    ]
    candidates.sort(key=lambda f: (not f.name, f.osm_ref or "", f.pk))
    chosen: list[Facility] = []
    for facility in _on_roads(region, candidates):
        if all(
            haversine_m(facility.lat, facility.lon, c.lat, c.lon) > STATION_SPACING_M
            for c in chosen
        ):
            chosen.append(facility)
        if len(chosen) >= MAX_STATIONS.get(kind, 10):
            break
    return chosen


def load_units(city: str = "astana") -> Counter[str]:
    """Create the missing demo units of ``city``; returns how many were created by kind."""
    region = Region.objects.get(slug=city)
    created: Counter[str] = Counter()
    existing = set(Unit.objects.filter(region=region).values_list("agency__code", "call_sign"))
    by_kind = {kind: stations(region, kind) for kind in {line.station_kind for line in FLEET}}
    now = timezone.now()
    with transaction.atomic():
        for line in FLEET:
            agency = Agency.objects.get(code=f"{line.agency}-{city}")
            homes = by_kind[line.station_kind]
            if not homes:
                continue
            for n in range(1, line.count + 1):
                call_sign = line.call_sign.format(n=n)
                if (agency.code, call_sign) in existing:
                    continue
                home = homes[(n - 1) % len(homes)]
                incidents.create_unit(
                    acting_user=None,
                    call_sign=call_sign,
                    kind=line.kind,
                    agency=agency,
                    region=region,
                    home_station=home,
                    crew=line.crew,
                    lat=home.lat,
                    lon=home.lon,
                    position_at=now,
                )
                created[line.kind] += 1
    return created
