"""Alert areas as CAP polygons: boundaries simplified, roads buffered, rings cleaned.

CAP carries an area as closed rings of points; a region's boundary may have thousands of
vertices and holes (enclaves) that CAP cannot express, so only outer rings are kept,
simplified until each ring has at most ``max_points`` points. A road is buffered by a
distance in kilometres on a local equirectangular projection (good to a few per cent over
a few hundred kilometres), which is plenty for an alert area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

KM_PER_DEGREE = 111.32
Ring = list[list[float]]


def _outer_rings(geom: BaseGeometry) -> list[Ring]:
    polygons: list[Polygon]
    if isinstance(geom, Polygon):
        polygons = [geom]
    elif isinstance(geom, MultiPolygon):
        polygons = list(geom.geoms)
    else:
        polygons = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    polygons = sorted((p for p in polygons if not p.is_empty), key=lambda p: -p.area)
    return [[[round(x, 5), round(y, 5)] for x, y, *_ in p.exterior.coords] for p in polygons]


def boundary_rings(
    geojson: dict[str, Any], max_points: int = 200, max_rings: int = 10
) -> list[Ring]:
    """Outer rings of a GeoJSON (Multi)Polygon, largest first, each simplified to at most
    ``max_points`` points (tolerance doubled until it fits), at most ``max_rings`` rings."""
    geom = shapely.make_valid(shape(geojson))
    tolerance = 0.001
    while True:
        simplified = shapely.make_valid(geom.simplify(tolerance, preserve_topology=True))
        rings = _outer_rings(simplified)[:max_rings]
        if all(len(ring) <= max_points for ring in rings) or tolerance > 1:
            return [ring for ring in rings if len(ring) >= 4]
        tolerance *= 2


def buffered_line(coords: Sequence[Sequence[float]], km: float, max_points: int = 100) -> Ring:
    """The ring around a line of ``[lon, lat]`` points at ``km`` kilometres."""
    lat0 = sum(float(p[1]) for p in coords) / len(coords)
    scale = math.cos(math.radians(lat0))
    local = LineString([(float(p[0]) * scale, float(p[1])) for p in coords])
    area = local.buffer(km / KM_PER_DEGREE, quad_segs=4)
    area = area.simplify(km / KM_PER_DEGREE / 20)
    ring = [[round(x / scale, 5), round(y, 5)] for x, y in area.exterior.coords]
    while len(ring) > max_points:
        ring = ring[::2] + ([ring[0]] if ring[::2][-1] != ring[0] else [])
    return ring


def drawn_ring(points: Sequence[Sequence[float]]) -> Ring:
    """A closed, valid ring from drawn ``[lon, lat]`` points; ValueError when it is not one
    (fewer than three distinct points, self-intersecting, outside the globe)."""
    ring = [[float(p[0]), float(p[1])] for p in points]
    for lon, lat in ring:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError("a point lies outside the globe")
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len({(x, y) for x, y in ring}) < 3:
        raise ValueError("a polygon needs at least three points")
    polygon = Polygon(ring)
    if not polygon.is_valid or polygon.area == 0:
        raise ValueError("the polygon crosses itself")
    return [[round(x, 5), round(y, 5)] for x, y in ring]


def rings_intersect(rings: Sequence[Sequence[Sequence[float]]], geojson: dict[str, Any]) -> bool:
    """Whether any of ``rings`` (``[lon, lat]``) overlaps the GeoJSON shape."""
    target = shapely.make_valid(shape(geojson))
    for ring in rings:
        if len(ring) < 4:
            continue
        polygon = shapely.make_valid(Polygon([(float(p[0]), float(p[1])) for p in ring]))
        if polygon.intersects(target):
            return True
    return False
