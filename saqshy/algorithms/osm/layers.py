"""Offline-basemap GeoJSON features (water, buildings, roads, places, addresses).

The features carry a ``layer`` property (``water``, ``building``, ``road``, ``place``,
``address``) that the basemap and the geocoder select on, and come in drawing order: water,
then buildings, then roads, then the labelled points. Buildings carry ``housenumber``,
``street``, ``name`` and ``use`` (``residential``/``other``) when known; roads and places
``name:kk``/``name:ru``/``name:en``. Coordinates are rounded (6 decimals, ~0.1 m) to keep
files small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .model import OsmExtract

BASEMAP_DIGITS = 6


def rounded_coords(value: Any, digits: int) -> Any:
    """GeoJSON coordinates (any nesting) rounded to ``digits`` decimals."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(float(v), digits) for v in value]
        return [rounded_coords(v, digits) for v in value]
    return value


def _line(coords: Iterable[Sequence[float]], digits: int) -> list[list[float]]:
    """Rounded vertices with the repeats that rounding creates removed."""
    out: list[list[float]] = []
    for x, y in coords:
        point = [round(x, digits), round(y, digits)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def basemap_features(extract: OsmExtract, digits: int = BASEMAP_DIGITS) -> list[dict[str, Any]]:
    """Water, building and road features of ``extract`` for an offline basemap.

    Roads keep the routing-relevant tags (``oneway``, ``junction``, ``maxspeed``, ``lanes``)
    and the OSM way id; buildings their storey count; water its kind and name.
    """
    features: list[dict[str, Any]] = []
    for water in extract.water:
        geometry = {
            "type": water.geometry["type"],
            "coordinates": rounded_coords(water.geometry["coordinates"], digits),
        }
        props: dict[str, Any] = {"layer": "water", "kind": water.kind, "name": water.name}
        features.append(_feature(geometry, props))
    for building in extract.buildings:
        geometry = {
            "type": building.geometry["type"],
            "coordinates": rounded_coords(building.geometry["coordinates"], digits),
        }
        props = {"layer": "building", "levels": building.levels}
        props.update(_present(housenumber=building.housenumber, street=building.street))
        props.update(_present(name=building.name, use=building.use))
        features.append(_feature(geometry, props))
    for road in extract.roads:
        line = _line(road.coords, digits)
        if len(line) < 2:
            continue
        road_props: dict[str, Any] = {
            "layer": "road",
            "osm_id": road.osm_id,
            "highway": road.highway,
            "name": road.name,
            "oneway": road.oneway,
            "junction": road.junction,
            "maxspeed": road.maxspeed,
            "lanes": road.lanes,
        }
        road_props.update({f"name:{lang}": name for lang, name in sorted(road.names.items())})
        features.append(_feature({"type": "LineString", "coordinates": line}, road_props))
    for place in extract.places:
        place_props: dict[str, Any] = {"layer": "place", "kind": place.kind, "name": place.name}
        place_props.update({f"name:{lang}": name for lang, name in sorted(place.names.items())})
        features.append(_feature(_point(place.lon, place.lat, digits), place_props))
    for address in extract.addresses:
        address_props = {
            "layer": "address",
            "street": address.street,
            "housenumber": address.housenumber,
        }
        features.append(_feature(_point(address.lon, address.lat, digits), address_props))
    return features


def _present(**values: str) -> dict[str, str]:
    """The non-empty ones of ``values`` (absent properties keep the files small)."""
    return {key: value for key, value in values.items() if value}


def _point(lon: float, lat: float, digits: int) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, digits), round(lat, digits)]}
