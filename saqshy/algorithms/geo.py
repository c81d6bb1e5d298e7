"""Great-circle distances on the mean Earth sphere, and the nearest points to a place.

Pure numpy, no Django: the domain code hands in plain ``(lat, lon)`` pairs in degrees and gets
back indices into them with distances in metres. The sphere (radius R₁ = 6,371,008.8 m, the
IUGG mean radius) is within 0.5 % of the ellipsoid, which is ample for "the nearest hydrant".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8

Points = Sequence[tuple[float, float]] | npt.NDArray[np.float64]


def _as_array(points: Points) -> npt.NDArray[np.float64]:
    array = np.asarray(points, dtype=np.float64)
    if array.size == 0:
        return np.empty((0, 2), dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError("points must be a sequence of (lat, lon) pairs")
    return array


def distances_m(points: Points, lat: float, lon: float) -> npt.NDArray[np.float64]:
    """Haversine distance in metres from (``lat``, ``lon``) to each of ``points`` (degrees)."""
    array = _as_array(points)
    phi1 = math.radians(lat)
    phi2 = np.radians(array[:, 0])
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = np.radians(array[:, 1] - lon) / 2
    a = np.sin(half_dphi) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    a = np.clip(a, 0.0, 1.0)
    result: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arctan2(np.sqrt(a), np.sqrt(1 - a))
    return result


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    return float(distances_m([(lat2, lon2)], lat1, lon1)[0])


def nearest(
    points: Points, lat: float, lon: float, k: int, max_m: float = math.inf
) -> list[tuple[int, float]]:
    """The ``k`` points closest to (``lat``, ``lon``) within ``max_m`` metres.

    Returns ``(index into points, metres)`` pairs, nearest first; equal distances keep the
    order of ``points``. Points with a missing (NaN) coordinate are never returned.
    """
    if k <= 0:
        return []
    distances = distances_m(points, lat, lon)
    (within,) = np.nonzero(distances <= max_m)  # NaN compares False, so it drops out here
    order = within[np.argsort(distances[within], kind="stable")][:k]
    return [(int(i), float(distances[i])) for i in order]


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """``(min_lat, min_lon, max_lat, max_lon)`` in degrees containing every point within
    ``radius_m`` of (``lat``, ``lon``): a cheap database prefilter before exact distances."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    coslat = math.cos(math.radians(lat))
    if lat + dlat >= 90 or lat - dlat <= -90:  # a pole is inside: every longitude
        return max(lat - dlat, -90.0), -180.0, min(lat + dlat, 90.0), 180.0
    # The widest longitude span of the circle, at the latitude where it touches its meridians.
    dlon = math.degrees(math.asin(min(1.0, math.sin(radius_m / EARTH_RADIUS_M) / coslat)))
    if lon - dlon < -180 or lon + dlon > 180:  # across the antimeridian: every longitude
        return lat - dlat, -180.0, lat + dlat, 180.0
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon
