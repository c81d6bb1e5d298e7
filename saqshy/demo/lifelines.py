"""The demo's lifelines: Astana's utility facilities watched as sites, and a weather station.

Each heating, power and water facility of the region becomes a ``UtilitySite`` with a
telemetry gateway (serial ``<region>-<facility kind>-<facility id>``), its kind from its OSM
tags in the bundle's facilities file, the region's energy agency, and a service area: its
Voronoi cell among the sites of its kind, clipped to the norm ``lifelines_service_radius_m``,
with the basemap buildings inside and the people estimated from them. Idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saqshy.accounts.models import Region
from saqshy.accounts.queries import norm
from saqshy.algorithms.lifelines import SitePoint, service_areas
from saqshy.demo.lifeline_streams import WEATHER_STATION
from saqshy.demo.loader import bundle_path
from saqshy.facilities.models import Facility
from saqshy.ingest.choices import DeviceKind
from saqshy.ingest.models import Device
from saqshy.lifelines import services
from saqshy.lifelines.choices import site_kind
from saqshy.lifelines.models import UtilitySite

FACILITY_KINDS = ("energy_site", "heating_plant", "water_utility")


@dataclass
class LifelinesResult:
    sites: int = 0
    created: int = 0
    people: int = 0


def _osm_tags(slug: str) -> dict[str, dict[str, Any]]:
    path = bundle_path("facilities", f"{slug}.geojson")
    if not path.exists():
        return {}
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    return {
        f["properties"].get("osm_ref", ""): f["properties"].get("tags") or {}
        for f in features
        if f["properties"].get("kind") in FACILITY_KINDS
    }


def _device(serial: str, region: Region, lat: float | None, lon: float | None) -> Device:
    device, _created = Device.objects.get_or_create(
        serial=serial,
        defaults={"kind": DeviceKind.SITE_GATEWAY, "region": region, "lat": lat, "lon": lon},
    )
    return device


def load_lifelines(slug: str, say: Callable[[str], None] = print) -> LifelinesResult:
    region = Region.objects.get(slug=slug)
    agency = services.energy_agency(region.pk)
    result = LifelinesResult()
    if agency is None:
        say(f"lifelines {slug}: no energy agency, no sites")
        return result
    _device(WEATHER_STATION, region, region.centre_lat, region.centre_lon)
    tags = _osm_tags(slug)
    facilities = list(
        Facility.objects.filter(region=region, kind__in=FACILITY_KINDS).order_by("pk")
    )
    for facility in facilities:
        if UtilitySite.objects.filter(facility=facility).exists():
            continue
        code = f"{slug}-{facility.kind.replace('_', '-')}-{facility.pk}"
        services.create_site(
            acting_user=None,
            facility=facility,
            code=code,
            kind=site_kind(facility.kind, tags.get(facility.osm_ref or ""), facility.name),
            gateway=_device(code, region, facility.lat, facility.lon),
            region=region,
            agency=agency,
        )
        result.created += 1
    sites = list(UtilitySite.objects.filter(region=region).select_related("facility"))
    areas = service_areas(
        [SitePoint(s.pk, s.kind, s.facility.lat, s.facility.lon) for s in sites],
        radius_m=norm("lifelines_service_radius_m", region.pk),
    )
    for site in sites:
        if site.service_area != areas[site.pk]:
            services.set_service_area(
                acting_user=None, site=site, area=areas[site.pk], region_slug=slug
            )
        result.people += site.people
    result.sites = len(sites)
    return result
