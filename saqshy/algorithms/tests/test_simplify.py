"""The boundary simplification for the national map: fewer points, rings stay closed and
valid, nothing moves further than the tolerance plus the rounding."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.simplify import count_positions, douglas_peucker, simplify, simplify_ring


def circle(n: int, radius: float = 1.0, wobble: float = 0.0) -> list[list[float]]:
    ring = [
        [
            70 + (radius + wobble * math.sin(7 * i)) * math.cos(2 * math.pi * i / n),
            48 + (radius + wobble * math.sin(7 * i)) * math.sin(2 * math.pi * i / n),
        ]
        for i in range(n)
    ]
    return [*ring, list(ring[0])]


def test_a_straight_line_keeps_its_ends() -> None:
    line = [[0.0, 0.0], [1.0, 0.0001], [2.0, 0.0], [3.0, 0.0]]
    assert douglas_peucker(line, 0.01) == [[0.0, 0.0], [3.0, 0.0]]
    assert douglas_peucker(line, 0.00001) == line


def test_a_dense_polygon_loses_most_of_its_points_and_stays_closed() -> None:
    polygon = {"type": "Polygon", "coordinates": [circle(20000)]}
    light = simplify(polygon, tolerance=0.01, digits=3)
    ring = light["coordinates"][0]
    assert ring[0] == ring[-1]
    assert 4 <= len(ring) < 200
    assert count_positions(light) < count_positions(polygon) / 100


def test_multipolygons_features_and_collections() -> None:
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    multi = {"type": "MultiPolygon", "coordinates": [[square], [circle(500, 0.5)]]}
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"id": 1}, "geometry": multi}],
    }
    out = simplify(collection)
    geometry = out["features"][0]["geometry"]
    assert out["features"][0]["properties"] == {"id": 1}
    assert geometry["coordinates"][0][0] == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    assert simplify(None) is None
    assert simplify({"type": "Point", "coordinates": [1, 2]}) == {
        "type": "Point",
        "coordinates": [1, 2],
    }


def test_a_tiny_ring_is_kept_not_collapsed() -> None:
    tiny = [[70.0, 48.0], [70.0001, 48.0], [70.0001, 48.0001], [70.0, 48.0]]
    ring = simplify_ring(tiny, 0.01, 3)
    assert ring == tiny


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=4, max_value=400),
    radius=st.floats(min_value=0.05, max_value=5),
    wobble=st.floats(min_value=0, max_value=0.2),
    tolerance=st.floats(min_value=0.0005, max_value=0.1),
)
def test_simplified_rings_are_closed_subsets_near_the_original(
    n: int, radius: float, wobble: float, tolerance: float
) -> None:
    original = circle(n, radius, wobble)
    ring = simplify_ring(original, tolerance, 6)
    assert ring[0] == ring[-1]
    assert len(ring) >= 4
    assert len(ring) <= len(original)
    rounded = {(round(x, 6), round(y, 6)) for x, y in original}
    assert all((x, y) in rounded for x, y in ring)
