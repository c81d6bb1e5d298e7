"""Great-circle distance is a metric on the sphere; ``nearest`` agrees with brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from saqshy.algorithms.geo import (
    EARTH_RADIUS_M,
    bounding_box,
    distances_m,
    haversine_m,
    nearest,
)

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
places = st.tuples(lats, lons)
# Points around Almaty, as hydrants around a facility would be.
near_lats = st.floats(min_value=43.15, max_value=43.35, allow_nan=False)
near_lons = st.floats(min_value=76.80, max_value=77.05, allow_nan=False)
near_places = st.tuples(near_lats, near_lons)

ASTANA = (51.1605, 71.4704)  # Bayterek
ALMATY = (43.2380, 76.9450)  # Republic Square


def _tolerance(*distances: float) -> float:
    return 1e-6 + 1e-9 * sum(distances)


@given(places)
def test_distance_to_itself_is_zero(a: tuple[float, float]) -> None:
    assert haversine_m(*a, *a) == 0.0


@given(places, places)
def test_distance_is_symmetric_non_negative_and_at_most_half_the_circumference(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    there, back = haversine_m(*a, *b), haversine_m(*b, *a)
    assert there == pytest.approx(back, abs=_tolerance(there))
    assert 0 <= there <= math.pi * EARTH_RADIUS_M + 1e-6


@given(places, places, places)
def test_triangle_inequality(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> None:
    ab, bc, ac = haversine_m(*a, *b), haversine_m(*b, *c), haversine_m(*a, *c)
    assert ac <= ab + bc + _tolerance(ab, bc, ac)


def test_known_distances() -> None:
    astana_almaty = haversine_m(*ASTANA, *ALMATY)
    assert astana_almaty == pytest.approx(970_000, rel=0.01)
    assert haversine_m(0, 0, 1, 0) == pytest.approx(math.pi * EARTH_RADIUS_M / 180)
    assert haversine_m(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_M)
    assert haversine_m(90, 0, 90, 123) == pytest.approx(0, abs=1e-6)


def test_vectorised_matches_scalar() -> None:
    points = [ALMATY, ASTANA, (0.0, 0.0)]
    expected = [haversine_m(*ASTANA, *p) for p in points]
    assert distances_m(points, *ASTANA).tolist() == pytest.approx(expected)
    assert distances_m([], *ASTANA).shape == (0,)


@given(
    st.lists(near_places, max_size=40),
    near_places,
    st.integers(min_value=0, max_value=8),
    st.floats(min_value=0, max_value=30_000, allow_nan=False),
)
def test_nearest_agrees_with_brute_force(
    points: list[tuple[float, float]], here: tuple[float, float], k: int, max_m: float
) -> None:
    found = nearest(points, *here, k=k, max_m=max_m)
    distances = [haversine_m(*here, *p) for p in points]
    within = sorted(
        (d, i) for i, d in enumerate(distances) if d <= max_m
    )  # ties: lower index first
    assert [i for i, _d in found] == [i for _d, i in within[:k]]
    metres = [d for _i, d in found]
    assert metres == sorted(metres)
    assert all(d <= max_m for d in metres)
    for index, d in found:
        assert d == pytest.approx(distances[index])


def test_nearest_edge_cases() -> None:
    points = [(43.0, 77.0), (float("nan"), 77.0), (43.0, 77.01), (43.0, 77.0)]
    assert nearest(points, 43.0, 77.0, k=0) == []
    assert nearest([], 43.0, 77.0, k=3) == []
    assert [i for i, _d in nearest(points, 43.0, 77.0, k=10)] == [0, 3, 2]
    assert [i for i, _d in nearest(points, 43.0, 77.0, k=10, max_m=100)] == [0, 3]
    assert nearest(np.array(points), 43.0, 77.0, k=1) == [(0, 0.0)]
    with pytest.raises(ValueError):
        nearest([(1.0, 2.0, 3.0)], 0, 0, k=1)  # type: ignore[list-item]


@given(
    st.floats(min_value=-80, max_value=80, allow_nan=False),
    st.floats(min_value=-170, max_value=170, allow_nan=False),
    st.floats(min_value=1, max_value=50_000, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.floats(min_value=0, max_value=2 * math.pi, allow_nan=False),
)
def test_bounding_box_contains_the_whole_circle(
    lat: float, lon: float, radius_m: float, fraction: float, bearing: float
) -> None:
    """A point at any bearing and any distance up to the radius lies inside the box."""
    delta = radius_m * fraction / EARTH_RADIUS_M
    phi1, lambda1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(bearing)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    lat2, lon2 = math.degrees(phi2), math.degrees(lambda2)
    min_lat, min_lon, max_lat, max_lon = bounding_box(lat, lon, radius_m)
    eps = 1e-9
    assert min_lat - eps <= lat2 <= max_lat + eps
    assert min_lon - eps <= lon2 <= max_lon + eps


def test_bounding_box_near_a_pole_or_the_antimeridian_spans_every_longitude() -> None:
    assert bounding_box(89.99, 10, 5_000)[1::2] == (-180.0, 180.0)
    assert bounding_box(0, 179.99, 5_000)[1::2] == (-180.0, 180.0)
    min_lat, min_lon, max_lat, max_lon = bounding_box(43.238, 76.945, 2_000)
    assert max_lat - min_lat == pytest.approx(2 * 2_000 / 111_195, rel=1e-3)
    assert max_lon - min_lon > max_lat - min_lat  # a degree of longitude is shorter there
