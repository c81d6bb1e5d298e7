"""Web Mercator tile math shared by the vector-tile encoder, its Django adapter and tests.

XYZ tiles (y counted from the top) in spherical Web Mercator (EPSG:3857), the scheme of
Leaflet and every standard tile server, plus reading GeoJSON files (plain or gzip).
"""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAX_ZOOM = 19
"""Deepest zoom the map offers (data tiles stop earlier and are over-zoomed)."""

EARTH_RADIUS_M = 6378137.0
ORIGIN_SHIFT_M = math.pi * EARTH_RADIUS_M
"""Half the width of the Web Mercator world square, in metres."""
MAX_LATITUDE = 85.0511287798066
"""Latitude at which the Web Mercator world becomes square; points beyond are clamped."""

Bounds = tuple[float, float, float, float]


def validate_tile(z: int, x: int, y: int) -> None:
    """Raise ValueError unless (z, x, y) addresses an existing XYZ tile with z <= MAX_ZOOM.

    Non-integer coordinates raise TypeError (a routing bug rather than a bad request).
    """
    for name, value in (("z", z), ("x", x), ("y", y)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"tile {name} must be an integer, got {value!r}")
    if not 0 <= z <= MAX_ZOOM:
        raise ValueError(f"tile zoom z={z} is outside 0..{MAX_ZOOM}")
    n = 1 << int(z)
    if not 0 <= x < n:
        raise ValueError(f"tile x={x} is outside 0..{n - 1} at zoom {z}")
    if not 0 <= y < n:
        raise ValueError(f"tile y={y} is outside 0..{n - 1} at zoom {z}")


def tile_size_m(z: int) -> float:
    """Edge length in Web Mercator metres of a tile at zoom ``z``."""
    return 2.0 * ORIGIN_SHIFT_M / (1 << z)


def tile_bounds(z: int, x: int, y: int) -> Bounds:
    """Web Mercator (minx, miny, maxx, maxy) in metres of XYZ tile z/x/y (y counted from top)."""
    validate_tile(z, x, y)
    size = tile_size_m(z)
    minx = -ORIGIN_SHIFT_M + x * size
    maxy = ORIGIN_SHIFT_M - y * size
    return (minx, maxy - size, minx + size, maxy)


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """Project one lon/lat point (degrees) to Web Mercator metres, clamping the latitude."""
    lat = min(max(lat, -MAX_LATITUDE), MAX_LATITUDE)
    mx = EARTH_RADIUS_M * math.radians(lon)
    my = EARTH_RADIUS_M * math.asinh(math.tan(math.radians(lat)))
    return mx, my


def mercator_to_lonlat(mx: float, my: float) -> tuple[float, float]:
    """Inverse of :func:`lonlat_to_mercator` (degrees)."""
    lon = math.degrees(mx / EARTH_RADIUS_M)
    lat = math.degrees(math.atan(math.sinh(my / EARTH_RADIUS_M)))
    return lon, lat


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ tile (x, y) containing a lon/lat point at zoom ``z``.

    Computed from the same Web Mercator arithmetic as :func:`tile_bounds`, so the returned
    tile's bounds contain the projected point; longitudes wrap and latitudes are clamped.
    """
    validate_tile(z, 0, 0)
    lon = (lon + 180.0) % 360.0 - 180.0
    mx, my = lonlat_to_mercator(lon, lat)
    size = tile_size_m(z)
    last = (1 << z) - 1
    tx = math.floor((mx + ORIGIN_SHIFT_M) / size)
    ty = math.floor((ORIGIN_SHIFT_M - my) / size)
    return min(max(tx, 0), last), min(max(ty, 0), last)


def project_coords(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    """Vectorised lon/lat -> Web Mercator for an (N, 2) array, used with shapely.transform."""
    lon = coords[:, 0]
    lat = np.clip(coords[:, 1], -MAX_LATITUDE, MAX_LATITUDE)
    out = np.empty_like(coords)
    out[:, 0] = EARTH_RADIUS_M * np.radians(lon)
    out[:, 1] = EARTH_RADIUS_M * np.arcsinh(np.tan(np.radians(lat)))
    return out


def iter_geojson_features(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Yield the features of each file; gzip is detected from its magic bytes, not the name."""
    for path in paths:
        with open(path, "rb") as fh:
            raw = fh.read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = json.loads(raw)
        if isinstance(doc, list):
            yield from doc
        elif doc.get("type") == "FeatureCollection":
            yield from doc.get("features") or []
        elif doc.get("type") == "Feature":
            yield doc
