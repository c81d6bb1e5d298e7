"""Reads of the lifelines app: the heating curve of a region, outdoor temperature, the crew
on shift at a site, the latest readings, and the buildings inside a service area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from pyproj import Geod
from shapely.geometry import shape
from shapely.prepared import prep

from saqshy.accounts.queries import norm
from saqshy.algorithms.basemap.tilemath import iter_geojson_features
from saqshy.algorithms.lifelines import Building, HeatingCurve, people_affected
from saqshy.duty.models import Post, Shift
from saqshy.geocoding.loader import basemap_files
from saqshy.ingest.models import Reading
from saqshy.lifelines.models import Threshold, UtilitySite

OUTDOOR = "outdoor_temp"
_GEOD = Geod(ellps="WGS84")


def heating_curve(region_id: int | None) -> HeatingCurve:
    """The region's heating schedule from its norms."""
    return HeatingCurve(
        design_outdoor=norm("lifelines_design_outdoor_temp", region_id),
        design_supply=norm("lifelines_design_supply_temp", region_id),
        mild_outdoor=norm("lifelines_mild_outdoor_temp", region_id),
        mild_supply=norm("lifelines_mild_supply_temp", region_id),
        tolerance=norm("lifelines_supply_tolerance", region_id),
    )


def outdoor_temperature(site: UtilitySite, at: dt.datetime) -> float | None:
    """The outdoor temperature at ``at``: the site's own sensor, else the region's weather
    station (any device of the region reporting ``outdoor_temp``), latest at or before."""
    base = Reading.objects.filter(parameter=OUTDOOR, at__lte=at, at__gt=at - dt.timedelta(hours=3))
    own = base.filter(device_id=site.gateway_id).order_by("-at").values_list("value", flat=True)
    for value in own[:1]:
        return float(value)
    regional = (
        base.filter(device__region_id=site.region_id)
        .order_by("-at")
        .values_list("value", flat=True)
    )
    for value in regional[:1]:
        return float(value)
    return None


def thresholds_for(site: UtilitySite) -> dict[str, Threshold]:
    """Parameter code -> the threshold that applies to ``site`` (its own over its kind's)."""
    rows = (
        Threshold.objects.filter(Q(site=site) | Q(site__isnull=True, site_kind=site.kind))
        .select_related("parameter")
        .order_by("site_id")
    )
    found: dict[str, Threshold] = {}
    for row in rows:
        if row.site_id is not None or row.parameter.code not in found:
            found[row.parameter.code] = row
    return found


def crew_post(site: UtilitySite) -> Post | None:
    """The repair-crew post derived for the site's facility (``facility:<id>:utility``)."""
    return (
        Post.objects.filter(
            region_id=site.region_id, derived_from=f"facility:{site.facility_id}:utility"
        )
        .order_by("pk")
        .first()
    )


def crew_on_shift(post: Post, at: dt.datetime) -> list[Shift]:
    """The shifts at ``post`` running at ``at``, with their people."""
    return list(
        Shift.objects.filter(post=post, starts_at__lte=at, ends_at__gt=at)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def latest_readings(
    sites: Iterable[UtilitySite],
) -> dict[int, dict[str, tuple[dt.datetime, float]]]:
    """Site id -> parameter -> (time, value) of its latest reading (one query per site)."""
    result: dict[int, dict[str, tuple[dt.datetime, float]]] = {}
    for site in sites:
        latest: dict[str, tuple[dt.datetime, float]] = {}
        rows = (
            Reading.objects.filter(device_id=site.gateway_id)
            .order_by("-at")
            .values_list("parameter", "at", "value")[:50]
        )
        for parameter, at, value in rows:
            latest.setdefault(parameter, (at, value))
        result[site.pk] = latest
    return result


def readings(site: UtilitySite, since: dt.datetime, until: dt.datetime) -> Any:
    """The site's readings in ``[since, until]``, oldest first."""
    return Reading.objects.filter(device_id=site.gateway_id, at__gte=since, at__lte=until).order_by(
        "at", "parameter"
    )


def buildings_in(region_slug: str, area: dict[str, Any]) -> list[Building]:
    """The basemap's building footprints (area in m², levels) whose centre lies in ``area``."""
    path = basemap_files().get(region_slug)
    if path is None or not area:
        return []
    polygon = shape(area)
    inside = prep(polygon)
    west, south, east, north = polygon.bounds
    found = []
    for feature in iter_geojson_features([path]):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if props.get("layer") != "building" or geometry.get("type") != "Polygon":
            continue
        ring = geometry["coordinates"][0]
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        if not (west <= lon <= east and south <= lat <= north):
            continue
        footprint = shape(geometry)
        if not inside.contains(footprint.centroid):
            continue
        area_m2, _perimeter = _GEOD.geometry_area_perimeter(footprint)
        levels = props.get("levels")
        found.append(Building(abs(area_m2), int(levels) if isinstance(levels, int) else None))
    return found


def people_in(region_id: int, buildings: list[Building]) -> int:
    return people_affected(
        buildings, floor_m2_per_person=norm("lifelines_floor_m2_per_person", region_id)
    )


def site_states(sites: list[UtilitySite]) -> dict[int, str]:
    """Site id -> its state: an open outage, an open alert, no telemetry at all, or normal."""
    from saqshy.lifelines.choices import SiteState
    from saqshy.lifelines.models import Alert, Outage

    ids = [site.pk for site in sites]
    outage = set(
        Outage.objects.filter(site_id__in=ids, restored_at=None).values_list("site_id", flat=True)
    )
    warning = set(
        Alert.objects.filter(site_id__in=ids, cleared_at=None).values_list("site_id", flat=True)
    )
    heard_devices = set(
        Reading.objects.filter(device_id__in=[site.gateway_id for site in sites])
        .values_list("device_id", flat=True)
        .distinct()
    )
    heard = {site.pk for site in sites if site.gateway_id in heard_devices}
    states = {}
    for pk in ids:
        if pk in outage:
            states[pk] = SiteState.OUTAGE
        elif pk in warning:
            states[pk] = SiteState.WARNING
        elif pk in heard:
            states[pk] = SiteState.NORMAL
        else:
            states[pk] = SiteState.SILENT
    return states


def map_features(sites: list[UtilitySite]) -> list[dict[str, Any]]:
    """GeoJSON features of the sites (points) for the map, with the open outage's area."""
    from saqshy.lifelines.choices import SiteKind, SiteState
    from saqshy.lifelines.models import Outage

    states = site_states(sites)
    outages = {o.site_id: o for o in Outage.objects.filter(site__in=sites, restored_at=None)}
    features = []
    for site in sites:
        outage = outages.get(site.pk)
        state = states[site.pk]
        features.append(
            {
                "type": "Feature",
                "id": site.pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [site.facility.lon, site.facility.lat],
                },
                "properties": {
                    "name": str(site.facility),
                    "kind": site.kind,
                    "kind_label": str(SiteKind.label(site.kind)),
                    "state": state,
                    "state_label": str(SiteState.label(state)),
                    "colour": SiteState.colour(state),
                    "people": site.people,
                    "outage": outage.pk if outage else None,
                    "outage_people": outage.people if outage else None,
                    "area": site.service_area if outage else None,
                },
            }
        )
    return features
