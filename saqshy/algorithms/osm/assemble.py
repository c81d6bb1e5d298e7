"""Turn reader-neutral ``RawFeature`` objects into the sorted records of an ``OsmExtract``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from shapely.geometry.base import BaseGeometry

from .capacity import parse_levels
from .classify import RULES, classify, display_name
from .facility import (
    POLYGONAL,
    BuildingIndex,
    attach_footprints,
    facility_record,
    geojson_many,
    geojson_of,
    is_building,
)
from .model import (
    BuildingRecord,
    OsmExtract,
    RawFeature,
    RoadRecord,
    WaterRecord,
    ref_sort_key,
)

ROAD_DIGITS = 7
"""Decimals kept in road vertices: OSM's own precision (1e-7°)."""

WATER_AREAS: dict[str, frozenset[str]] = {
    "natural": frozenset({"water"}),
    "waterway": frozenset({"riverbank"}),
    "landuse": frozenset({"reservoir", "basin"}),
}
WATER_LINES = frozenset({"river", "canal", "stream"})

RELEVANT_KEYS = frozenset({rule.key for rule in RULES} | {"building", *WATER_AREAS, "water"})
"""Objects with none of these keys can be dropped by a reader before geometry work."""


def is_relevant(tags: Mapping[str, str]) -> bool:
    """Whether an object may become a facility, a building or water."""
    return any(key in tags for key in RELEVANT_KEYS)


def is_road(tags: Mapping[str, str]) -> bool:
    """A way with a ``highway`` tag that is not an area (``area=yes`` squares are not roads)."""
    return "highway" in tags and tags.get("area") != "yes"


def road_record(
    osm_id: int, tags: Mapping[str, str], coords: Sequence[tuple[float, float]]
) -> RoadRecord:
    """A ``RoadRecord`` with tags copied verbatim and vertices rounded to 1e-7°."""
    return RoadRecord(
        osm_id=osm_id,
        highway=tags.get("highway", ""),
        name=display_name(tags),
        oneway=tags.get("oneway", ""),
        junction=tags.get("junction", ""),
        maxspeed=tags.get("maxspeed", ""),
        lanes=tags.get("lanes", ""),
        coords=tuple((round(x, ROAD_DIGITS), round(y, ROAD_DIGITS)) for x, y in coords),
    )


def water_kind(tags: Mapping[str, str], geom_type: str) -> str:
    """The water kind of an object (``""`` when it is not basemap water)."""
    if geom_type in POLYGONAL:
        for key, values in WATER_AREAS.items():
            if tags.get(key) in values:
                return tags[key]
    elif geom_type in ("LineString", "MultiLineString") and tags.get("waterway") in WATER_LINES:
        return tags["waterway"]
    return ""


def assemble(
    features: Iterable[RawFeature], roads: Iterable[RoadRecord], source: str
) -> OsmExtract:
    """Classify, measure and sort everything a reader produced."""
    building_parts: list[tuple[str, BaseGeometry, int | None]] = []
    water: list[WaterRecord] = []
    candidates: list[tuple[RawFeature, str]] = []
    for feature in features:
        geom_type = feature.geometry.geom_type
        if geom_type in POLYGONAL and is_building(feature.tags):
            levels = parse_levels(feature.tags.get("building:levels"))
            building_parts.append((feature.osm_ref, feature.geometry, levels))
        kind = water_kind(feature.tags, geom_type)
        if kind:
            geometry = geojson_of(feature.geometry)
            water.append(WaterRecord(feature.osm_ref, kind, display_name(feature.tags), geometry))
        facility_kind = classify(feature.tags)
        if facility_kind is not None:
            candidates.append((feature, facility_kind))
    building_parts.sort(key=lambda b: ref_sort_key(b[0]))
    outlines = geojson_many([geom for _, geom, _ in building_parts])
    buildings = [
        BuildingRecord(ref, outline, levels)
        for (ref, _, levels), outline in zip(building_parts, outlines, strict=True)
    ]
    water.sort(key=lambda w: ref_sort_key(w.osm_ref))
    index = BuildingIndex(buildings, [geom for _, geom, _ in building_parts])
    exclude = frozenset(feature.osm_ref for feature, _ in candidates)
    facilities = [
        facility_record(feature.osm_ref, kind, feature.tags, feature.geometry, index, exclude)
        for feature, kind in candidates
    ]
    facilities.sort(key=lambda f: ref_sort_key(f.osm_ref))
    facilities = attach_footprints(facilities, buildings, index)
    return OsmExtract(
        facilities=facilities,
        roads=sorted(roads, key=lambda r: (r.osm_id, r.coords)),
        buildings=buildings,
        water=water,
        source=source,
    )
