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
    AddressRecord,
    BuildingRecord,
    OsmExtract,
    PlaceRecord,
    RawFeature,
    RoadRecord,
    WaterRecord,
    ref_sort_key,
)
from .uses import building_use

ROAD_DIGITS = 7
"""Decimals kept in road vertices: OSM's own precision (1e-7°)."""

WATER_AREAS: dict[str, frozenset[str]] = {
    "natural": frozenset({"water"}),
    "waterway": frozenset({"riverbank"}),
    "landuse": frozenset({"reservoir", "basin"}),
}
WATER_LINES = frozenset({"river", "canal", "stream"})

ADDRESS_KEYS = ("addr:housenumber", "addr:street")
PLACE_KINDS = frozenset(
    {
        "city",
        "town",
        "village",
        "hamlet",
        "suburb",
        "quarter",
        "neighbourhood",
        "square",
        "locality",
        "isolated_dwelling",
        "islet",
    }
)
NAME_LANGUAGES = ("kk", "ru", "en")

RELEVANT_KEYS = frozenset(
    {rule.key for rule in RULES} | {"building", *WATER_AREAS, "water", "place", *ADDRESS_KEYS}
)
"""Objects with none of these keys can be dropped by a reader before geometry work."""


def language_names(tags: Mapping[str, str]) -> dict[str, str]:
    """``{"kk": ..., "ru": ..., "en": ...}`` from the ``name:<lang>`` tags that are set."""
    names = {lang: tags.get(f"name:{lang}", "").strip() for lang in NAME_LANGUAGES}
    return {lang: name for lang, name in names.items() if name}


def street_and_number(tags: Mapping[str, str]) -> tuple[str, str]:
    """``(street, housenumber)`` from ``addr:*`` tags (a place name stands in for a street)."""
    street = tags.get("addr:street", "").strip() or tags.get("addr:place", "").strip()
    return street, tags.get("addr:housenumber", "").strip()


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
        names=language_names(tags),
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
    building_parts: list[tuple[str, BaseGeometry, int | None, Mapping[str, str]]] = []
    water: list[WaterRecord] = []
    places: list[PlaceRecord] = []
    addresses: list[AddressRecord] = []
    candidates: list[tuple[RawFeature, str]] = []
    for feature in features:
        geom_type = feature.geometry.geom_type
        building = geom_type in POLYGONAL and is_building(feature.tags)
        if building:
            levels = parse_levels(feature.tags.get("building:levels"))
            building_parts.append((feature.osm_ref, feature.geometry, levels, feature.tags))
        place = _place(feature)
        if place is not None:
            places.append(place)
        address = None if building else _address(feature)
        if address is not None:
            addresses.append(address)
        kind = water_kind(feature.tags, geom_type)
        if kind:
            geometry = geojson_of(feature.geometry)
            water.append(WaterRecord(feature.osm_ref, kind, display_name(feature.tags), geometry))
        facility_kind = classify(feature.tags)
        if facility_kind is not None:
            candidates.append((feature, facility_kind))
    building_parts.sort(key=lambda b: ref_sort_key(b[0]))
    outlines = geojson_many([geom for _, geom, _, _ in building_parts])
    buildings = [
        BuildingRecord(
            ref, outline, levels, *street_and_number(tags), display_name(tags), building_use(tags)
        )
        for (ref, _, levels, tags), outline in zip(building_parts, outlines, strict=True)
    ]
    water.sort(key=lambda w: ref_sort_key(w.osm_ref))
    places.sort(key=lambda p: ref_sort_key(p.osm_ref))
    addresses.sort(key=lambda a: ref_sort_key(a.osm_ref))
    index = BuildingIndex(buildings, [geom for _, geom, _, _ in building_parts])
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
        places=places,
        addresses=addresses,
    )


def _anchor(geometry: BaseGeometry) -> tuple[float, float]:
    point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
    return round(point.x, ROAD_DIGITS), round(point.y, ROAD_DIGITS)


def _place(feature: RawFeature) -> PlaceRecord | None:
    kind = feature.tags.get("place", "")
    name = display_name(feature.tags)
    if kind not in PLACE_KINDS or not name or feature.geometry.is_empty:
        return None
    lon, lat = _anchor(feature.geometry)
    return PlaceRecord(feature.osm_ref, kind, name, language_names(feature.tags), lon, lat)


def _address(feature: RawFeature) -> AddressRecord | None:
    street, housenumber = street_and_number(feature.tags)
    if not street or not housenumber or feature.geometry.is_empty:
        return None
    lon, lat = _anchor(feature.geometry)
    return AddressRecord(feature.osm_ref, street, housenumber, lon, lat)
