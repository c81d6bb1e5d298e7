"""A camera's calibration: four image points (pixels) and the four ground points they show.

Stored as ``{"image": [[x, y], …4], "ground": [[lon, lat], …4]}``: the four pairs define the
homography (a plane-to-plane projection) that turns a position in the picture into a position
on the ground, so people counted in the picture can be placed in the watched area. Four pairs
define it exactly when, in each set, the points are distinct and no three lie on one line.
Plain Python: the checks return the problems, the model turns them into field errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Any

POINTS = 4
# Three points count as on one line when the triangle they make is this thin: its area under
# this share of the square of its longest side (a sliver the homography cannot rely on).
THIN = 0.01
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Plane:
    """A local ground plane in metres (east, north) around (``lon0``, ``lat0``): enough for
    the few hundred metres one camera sees."""

    lon0: float
    lat0: float

    def metres(self, lon: float, lat: float) -> tuple[float, float]:
        scale = math.cos(math.radians(self.lat0))
        return (
            (lon - self.lon0) * METRES_PER_DEGREE * scale,
            (lat - self.lat0) * METRES_PER_DEGREE,
        )


def _pairs(value: Any) -> list[tuple[float, float]] | None:
    if not isinstance(value, (list, tuple)) or len(value) != POINTS:
        return None
    points = []
    for point in value:
        if not isinstance(point, (list, tuple)) or len(point) != 2:
            return None
        try:
            x, y = float(point[0]), float(point[1])
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        points.append((x, y))
    return points


def _degenerate(points: list[tuple[float, float]]) -> str | None:
    """``"same"`` when two points coincide, ``"line"`` when three are (nearly) on one line."""
    if len(set(points)) < len(points):
        return "same"
    for a, b, c in combinations(points, 3):
        twice_area = abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
        longest = max(math.dist(a, b), math.dist(b, c), math.dist(a, c))
        if twice_area / 2 < THIN * longest**2:
            return "line"
    return None


def problems(calibration: Any) -> dict[str, str]:
    """What is wrong with a calibration, by part (``image``, ``ground``) and kind:
    ``shape`` (not four pairs of numbers), ``range`` (pixels negative, ground outside the
    globe), ``same`` (two points coincide) or ``line`` (three on one line). Empty: usable."""
    if not isinstance(calibration, dict):
        return {"image": "shape"}
    found: dict[str, str] = {}
    image = _pairs(calibration.get("image"))
    ground = _pairs(calibration.get("ground"))
    if image is None:
        found["image"] = "shape"
    elif any(x < 0 or y < 0 for x, y in image):
        found["image"] = "range"
    else:
        kind = _degenerate(image)
        if kind:
            found["image"] = kind
    if ground is None:
        found["ground"] = "shape"
    elif any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in ground):
        found["ground"] = "range"
    else:
        # Compare shapes in metres, not degrees (a degree of longitude is shorter up north).
        plane = Plane(ground[0][0], sum(lat for _lon, lat in ground) / POINTS)
        metres = [plane.metres(lon, lat) for lon, lat in ground]
        kind = _degenerate(metres)
        if kind:
            found["ground"] = kind
    return found


def normalised(calibration: dict[str, Any]) -> dict[str, list[list[float]]]:
    """The stored form of a usable calibration: pixels and degrees as plain floats."""
    return {
        "image": [[round(float(x), 1), round(float(y), 1)] for x, y in calibration["image"]],
        "ground": [[round(float(x), 7), round(float(y), 7)] for x, y in calibration["ground"]],
    }
