"""Pure parts of the national demo generator: shares by population, points inside polygons.

No Django: the generator (``saqshy.demo.national``) feeds region populations and boundary
polygons in and writes the records.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


def allocate(total: int, weights: Mapping[str, float], floor: int = 1) -> dict[str, int]:
    """Split ``total`` over the keys in proportion to ``weights`` (largest remainder).

    Every key gets at least ``floor`` when the total allows it (a region never ends up with
    no units at all at a small scale); the counts always sum to ``total``.
    """
    keys = sorted(weights)
    if not keys or total <= 0:
        return dict.fromkeys(keys, 0)
    base = floor if total >= floor * len(keys) else 0
    left = total - base * len(keys)
    weight_sum = sum(max(0.0, weights[k]) for k in keys) or float(len(keys))
    exact = {k: left * (max(0.0, weights[k]) or 0.0) / weight_sum for k in keys}
    if not any(exact.values()):
        exact = {k: left / len(keys) for k in keys}
    counts = {k: math.floor(v) for k, v in exact.items()}
    rest = left - sum(counts.values())
    by_remainder = sorted(keys, key=lambda k: (-(exact[k] - counts[k]), k))
    for k in by_remainder[:rest]:
        counts[k] += 1
    return {k: counts[k] + base for k in keys}


def scaled(target: int, scale: float) -> int:
    """``target`` at ``scale``, at least 1 for any positive scale."""
    return max(1, round(target * scale)) if scale > 0 else 0


class Area:
    """A polygon to draw uniform random points from (rejection sampling in its bounding box)."""

    def __init__(self, geometry: Mapping[str, Any] | BaseGeometry) -> None:
        geom = geometry if isinstance(geometry, BaseGeometry) else shape(geometry)
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        self.geometry = geom
        shapely.prepare(self.geometry)
        self.bounds = geom.bounds
        box_area = (self.bounds[2] - self.bounds[0]) * (self.bounds[3] - self.bounds[1])
        self.fill = geom.area / box_area if box_area > 0 else 0.0

    def points(self, rng: random.Random, n: int) -> list[tuple[float, float]]:
        """``n`` points (lat, lon) inside the polygon, rounded to 6 decimals (~0.1 m)."""
        if n <= 0:
            return []
        if self.fill <= 0:
            raise ValueError("the area has no surface to place points in")
        found: list[tuple[float, float]] = []
        generator = np.random.default_rng(rng.getrandbits(63))
        min_x, min_y, max_x, max_y = self.bounds
        while len(found) < n:
            want = n - len(found)
            batch = int(want / self.fill * 1.3) + 16
            xs = generator.uniform(min_x, max_x, batch)
            ys = generator.uniform(min_y, max_y, batch)
            inside = shapely.contains_xy(self.geometry, xs, ys)
            for x, y in zip(xs[inside][:want], ys[inside][:want], strict=True):
                lat, lon = round(float(y), 6), round(float(x), 6)
                if shapely.contains_xy(self.geometry, lon, lat):  # still inside once rounded
                    found.append((lat, lon))
        return found

    def contains(self, lat: float, lon: float) -> bool:
        return bool(shapely.contains_xy(self.geometry, lon, lat))


def weighted_index(rng: random.Random, weights: Sequence[float]) -> int:
    """An index drawn with probability proportional to ``weights``."""
    return rng.choices(range(len(weights)), weights=weights, k=1)[0]
