"""Facility records from tagged OSM objects, footprints and floor areas included.

The floor area that feeds the capacity estimate is found as described in ``capacity.py``:
own building outline, buildings inside a non-building site, or the building a point sits in.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from .capacity import (
    LOAD_FACTORS,
    MAX_OPEN_SITE_M2,
    geodesic_area_m2,
    parse_levels,
    resolve_capacity,
    storeys_for,
)
from .classify import display_name
from .model import BuildingRecord, FacilityRecord, GeoJSON

COORD_DIGITS = 6
"""Decimals kept in footprints and building outlines (~0.1 m)."""

POLYGONAL = ("Polygon", "MultiPolygon")


def geojson_many(geoms: Sequence[BaseGeometry], ndigits: int = COORD_DIGITS) -> list[GeoJSON]:
    """GeoJSON dicts of ``geoms``, coordinates rounded, as plain lists (JSON-stable).

    Vectorised because it runs over every building of a city: polygonal input goes through
    ``shapely.to_ragged_array`` and one rounding pass; anything else through GEOS' writer.
    """
    if not geoms:
        return []
    array = np.empty(len(geoms), dtype=object)
    array[:] = list(geoms)
    types = shapely.get_type_id(array)
    polygonal = np.isin(types, (3, 6)) & ~shapely.is_empty(array)
    if not polygonal.all():
        rounded = shapely.transform(array, lambda c: np.round(c, ndigits))
        return [json.loads(text) for text in shapely.to_geojson(rounded)]
    _, coords, offsets = shapely.to_ragged_array(array)
    points = np.round(coords, ndigits).tolist()
    rings = [points[a:b] for a, b in itertools.pairwise(offsets[0].tolist())]
    polygons = [rings[a:b] for a, b in itertools.pairwise(offsets[1].tolist())]
    if len(offsets) == 2:  # all plain Polygons: no multi level
        multis = [[polygon] for polygon in polygons]
    else:
        multis = [polygons[a:b] for a, b in itertools.pairwise(offsets[2].tolist())]
    return [
        {"type": "Polygon", "coordinates": multi[0]}
        if type_id == 3
        else {"type": "MultiPolygon", "coordinates": multi}
        for type_id, multi in zip(types.tolist(), multis, strict=True)
    ]


def geojson_of(geom: BaseGeometry, ndigits: int = COORD_DIGITS) -> GeoJSON:
    """GeoJSON dict of one geometry, coordinates rounded to ``ndigits``."""
    return geojson_many([geom], ndigits)[0]


def is_building(tags: Mapping[str, str]) -> bool:
    """Whether the object is tagged as a building (``building=*`` other than ``no``)."""
    return tags.get("building", "no") != "no"


def address_of(tags: Mapping[str, str]) -> str:
    """``street, housenumber, city`` from the ``addr:*`` tags (or ``addr:full``)."""
    parts = [tags.get(k, "").strip() for k in ("addr:street", "addr:housenumber", "addr:city")]
    joined = ", ".join(p for p in parts if p)
    return joined or tags.get("addr:full", "").strip()


class BuildingIndex:
    """Spatial index over building outlines with their geodesic areas."""

    def __init__(
        self, buildings: Sequence[BuildingRecord], shapes: Sequence[BaseGeometry] | None = None
    ) -> None:
        self.buildings = list(buildings)
        self.shapes = list(shapes) if shapes is not None else [shape(b.geometry) for b in buildings]
        self.tree = shapely.STRtree(self.shapes)
        self.points = shapely.STRtree([s.representative_point() for s in self.shapes])
        self._areas: dict[int, float] = {}

    def area(self, index: int) -> float:
        """Geodesic area of building ``index`` in m²."""
        if index not in self._areas:
            self._areas[index] = geodesic_area_m2(self.shapes[index])
        return self._areas[index]

    def containing(self, point: BaseGeometry) -> list[int]:
        """Indices of the buildings that contain ``point``, smallest first."""
        hits = [int(i) for i in self.tree.query(point, predicate="within")]
        return sorted(hits, key=lambda i: (self.area(i), i))

    def inside(self, site: BaseGeometry) -> list[int]:
        """Indices of the buildings whose representative point lies in ``site``."""
        return sorted(int(i) for i in self.points.query(site, predicate="contains"))


def facility_record(
    osm_ref: str,
    kind: str,
    tags: Mapping[str, str],
    geometry: BaseGeometry,
    index: BuildingIndex | None = None,
    exclude: frozenset[str] = frozenset(),
) -> FacilityRecord:
    """A facility for one OSM object; polygons get a footprint and an area-based capacity.

    ``index`` supplies the buildings inside a non-building site; buildings whose ref is in
    ``exclude`` (facilities of their own) are not counted twice.
    """
    levels = parse_levels(tags.get("building:levels"))
    footprint: GeoJSON | None = None
    floor_area: float | None = None
    if geometry.geom_type in POLYGONAL:
        location = geometry.representative_point()
        footprint = geojson_of(geometry)
        floor_area = _site_floor_area(kind, tags, geometry, levels, index, exclude)
    elif geometry.geom_type in ("LineString", "MultiLineString"):
        location = shapely.line_interpolate_point(geometry, 0.5, normalized=True)
    else:
        location = geometry if geometry.geom_type == "Point" else geometry.centroid
    capacity, source = resolve_capacity(kind, tags, floor_area)
    return FacilityRecord(
        osm_ref=osm_ref,
        kind=kind,
        name=display_name(tags),
        name_kk=tags.get("name:kk", ""),
        name_ru=tags.get("name:ru", ""),
        name_en=tags.get("name:en", ""),
        address=address_of(tags),
        lat=round(float(location.y), 7),
        lon=round(float(location.x), 7),
        footprint=footprint,
        capacity=capacity,
        capacity_source=source,
        operator=tags.get("operator", ""),
        phone=tags.get("phone") or tags.get("contact:phone", ""),
        website=tags.get("website") or tags.get("contact:website", ""),
        storeys=levels,
        tags=dict(sorted(tags.items())),
    )


def _site_floor_area(
    kind: str,
    tags: Mapping[str, str],
    site: BaseGeometry,
    levels: int | None,
    index: BuildingIndex | None,
    exclude: frozenset[str],
) -> float | None:
    factor = LOAD_FACTORS.get(kind)
    rule = factor.site_area if factor else "building"
    if is_building(tags):
        return geodesic_area_m2(site) * storeys_for(kind, levels)
    total = 0.0
    if index is not None:
        for i in index.inside(site):
            if index.buildings[i].osm_ref not in exclude:
                total += index.area(i) * storeys_for(kind, index.buildings[i].levels)
    if total == 0.0 and rule == "fallback":
        outline = geodesic_area_m2(site)
        if outline <= MAX_OPEN_SITE_M2:
            total = outline * storeys_for(kind, levels)
    return total or None


def attach_footprints(
    facilities: Sequence[FacilityRecord],
    buildings: Sequence[BuildingRecord],
    index: BuildingIndex | None = None,
) -> list[FacilityRecord]:
    """Give point facilities the footprint of the building they stand in.

    A building qualifies when it is not a facility itself and no other facility's location
    lies in it, so two facilities never share (and double-count) one building. The capacity
    is re-estimated from the building unless it came from an OSM tag. Idempotent.
    """
    if not buildings:
        return list(facilities)
    index = index or BuildingIndex(buildings)
    own = {f.osm_ref for f in facilities}
    occupants: dict[int, list[int]] = {}
    hits = [index.containing(Point(f.lon, f.lat)) for f in facilities]
    for i, found in enumerate(hits):
        for b in found:
            occupants.setdefault(b, []).append(i)
    result = list(facilities)
    for i, facility in enumerate(facilities):
        if facility.footprint is not None:
            continue
        free = [b for b in hits[i] if occupants[b] == [i] and index.buildings[b].osm_ref not in own]
        if not free:
            continue
        building = index.buildings[free[0]]
        storeys = facility.storeys or building.levels
        floor_area = index.area(free[0]) * storeys_for(facility.kind, storeys, tenant=True)
        capacity, source = facility.capacity, facility.capacity_source
        if source != "osm":
            capacity, source = resolve_capacity(facility.kind, facility.tags, floor_area)
        result[i] = replace(
            facility,
            footprint=building.geometry,
            storeys=storeys,
            capacity=capacity,
            capacity_source=source,
        )
    return result
