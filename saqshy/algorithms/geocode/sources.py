"""Geocoding records from the basemap bundle's GeoJSON features.

The bundle (``data/basemap/<slug>.geojson.gz``, ``var/basemap/<slug>.geojson.gz``) carries a
``layer`` property per feature: ``building`` features with ``housenumber``, ``street`` (and
``name``); ``road`` lines with ``name``, ``name:kk``, ``name:ru``, ``name:en``; ``place``
points (``kind``, ``name``, ``name:*``) and ``address`` points (``housenumber``,
``street``). The raw OSM keys (``addr:street``, ``addr:housenumber``) are read as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import shape

from .index import AddressRecord, Names, PlaceRecord, StreetRecord, footprint_centre


@dataclass
class Records:
    """Everything one region's features give the geocoder."""

    streets: list[StreetRecord] = field(default_factory=list)
    addresses: list[AddressRecord] = field(default_factory=list)
    places: list[PlaceRecord] = field(default_factory=list)


def _text(props: dict[str, Any], *keys: str) -> str:
    for name in keys:
        value = props.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def names_of(props: dict[str, Any]) -> Names:
    return Names(
        _text(props, "name"),
        _text(props, "name:kk", "name_kk"),
        _text(props, "name:ru", "name_ru"),
        _text(props, "name:en", "name_en"),
    )


def _lines(geometry: dict[str, Any]) -> list[tuple[tuple[float, float], ...]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "LineString":
        parts = [coords]
    elif kind == "MultiLineString":
        parts = coords
    else:
        return []
    return [tuple((float(x), float(y)) for x, y, *_z in part) for part in parts if len(part) > 1]


def records_from_features(features: Iterable[dict[str, Any]]) -> Records:
    """Street lines, addresses (buildings and points) and named places of ``features``."""
    out = Records()
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        layer = props.get("layer")
        if layer == "road":
            names = names_of(props)
            if names.local or names.variants():
                if not names.local:
                    names = Names(names.variants()[0], names.kk, names.ru, names.en)
                for line in _lines(geometry):
                    out.streets.append(StreetRecord(names, line))
            continue
        street = _text(props, "street", "addr:street")
        number = _text(props, "housenumber", "addr:housenumber")
        if layer == "building" and street and number:
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            footprint = shape(geometry)
            if footprint.is_empty:
                continue
            lon, lat = footprint_centre(footprint)
            out.addresses.append(AddressRecord(street, number, lon, lat, footprint))
        elif layer == "address" and street and number and geometry.get("type") == "Point":
            lon, lat = (float(c) for c in geometry["coordinates"][:2])
            out.addresses.append(AddressRecord(street, number, lon, lat))
        elif layer == "place" and geometry.get("type") == "Point":
            names = names_of(props)
            if names.variants():
                lon, lat = (float(c) for c in geometry["coordinates"][:2])
                out.places.append(PlaceRecord(names, lon, lat, "place"))
    return out
