"""Lighter GeoJSON boundaries for a national map: Douglas–Peucker per ring, then rounding.

A region's boundary from OSM may hold hundreds of thousands of points; a choropleth of the
whole country needs a few hundred per region. ``simplify`` keeps every ring closed and valid
(at least four positions, first equal to last); a ring that would collapse keeps its
rounded original instead, so no region ever disappears from the map. Pure Python.
"""

from __future__ import annotations

import math
from typing import Any

Position = list[float]
Ring = list[Position]


def _distance(point: Position, start: Position, end: Position) -> float:
    """Distance from ``point`` to the segment ``start``–``end`` (planar degrees)."""
    (x, y), (x1, y1), (x2, y2) = point[:2], start[:2], end[:2]
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def douglas_peucker(line: Ring, tolerance: float) -> Ring:
    """The points of ``line`` that keep it within ``tolerance`` (iterative: no recursion
    limit on long lines). The first and the last point are always kept."""
    if len(line) < 3:
        return [list(p) for p in line]
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = -1.0, first
        for i in range(first + 1, last):
            d = _distance(line[i], line[first], line[last])
            if d > farthest:
                farthest, index = d, i
        if farthest > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [list(p) for p, kept in zip(line, keep, strict=True) if kept]


def _round(ring: Ring, digits: int) -> Ring:
    out: Ring = []
    for position in ring:
        point = [round(position[0], digits), round(position[1], digits)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def simplify_ring(ring: Ring, tolerance: float, digits: int) -> Ring:
    """A closed ring simplified and rounded; the rounded original if that would collapse."""
    if len(ring) < 4:
        return _round(ring, digits)
    # Split a closed ring in two halves so its two ends (the same point) are not the only
    # anchors: Douglas–Peucker on a closed loop otherwise measures from a zero-length base.
    middle = len(ring) // 2
    first = douglas_peucker(ring[: middle + 1], tolerance)
    second = douglas_peucker(ring[middle:], tolerance)
    simplified = _round(first[:-1] + second, digits)
    if len(simplified) >= 4 and simplified[0] == simplified[-1]:
        return simplified
    # Too small for the rounding: keep it at a finer one (about 10 cm).
    rounded = _round(ring, max(digits, 6))
    if rounded and rounded[0] != rounded[-1]:
        rounded.append(list(rounded[0]))
    return rounded


def simplify(geometry: dict[str, Any] | None, tolerance: float = 0.01, digits: int = 3) -> Any:
    """A Polygon, MultiPolygon, Feature or FeatureCollection with every ring simplified
    (``tolerance`` and rounding in degrees: 0.01° is about 1 km). Other geometries and
    ``None`` pass through unchanged."""
    if not geometry:
        return geometry
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [simplify_ring(r, tolerance, digits) for r in geometry["coordinates"]]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [
            [simplify_ring(r, tolerance, digits) for r in polygon]
            for polygon in geometry["coordinates"]
        ]
        return {"type": "MultiPolygon", "coordinates": polygons}
    if kind == "Feature":
        return {**geometry, "geometry": simplify(geometry.get("geometry"), tolerance, digits)}
    if kind == "FeatureCollection":
        return {
            **geometry,
            "features": [simplify(f, tolerance, digits) for f in geometry.get("features", [])],
        }
    return geometry


def count_positions(geometry: Any) -> int:
    """How many positions a GeoJSON value holds (for tests and for logging the saving)."""
    if isinstance(geometry, dict):
        if "coordinates" in geometry:
            return count_positions(geometry["coordinates"])
        if "geometry" in geometry:
            return count_positions(geometry["geometry"])
        return sum(count_positions(f) for f in geometry.get("features", []))
    if isinstance(geometry, list) and geometry and isinstance(geometry[0], (int, float)):
        return 1
    if isinstance(geometry, list):
        return sum(count_positions(item) for item in geometry)
    return 0
