"""CCTV coverage: invariants of the share of a footprint that cameras watch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.coverage import coverage

LON, LAT = 71.43, 51.13  # Astana
STEP = 0.0002  # ~14 m east-west, ~22 m north-south


def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, object]:
    """A lon/lat rectangle from offsets in STEP units around Astana."""
    a, b = LON + x0 * STEP, LAT + y0 * STEP
    c, d = LON + x1 * STEP, LAT + y1 * STEP
    return {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, d], [a, d], [a, b]]]}


rects = st.tuples(
    st.integers(-10, 10), st.integers(-10, 10), st.integers(1, 12), st.integers(1, 12)
).map(lambda r: box(r[0], r[1], r[0] + r[2], r[1] + r[3]))
FOOTPRINT = box(0, 0, 6, 4)


@settings(max_examples=60, deadline=None)
@given(st.lists(rects, max_size=6))
def test_share_is_between_zero_and_one(cameras: list[dict[str, object]]) -> None:
    share = coverage(FOOTPRINT, cameras).share
    assert share is not None
    assert 0.0 <= share <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(rects, max_size=5), rects)
def test_adding_a_camera_never_lowers_the_share(
    cameras: list[dict[str, object]], extra: dict[str, object]
) -> None:
    before = coverage(FOOTPRINT, cameras).share
    after = coverage(FOOTPRINT, [*cameras, extra]).share
    assert before is not None and after is not None
    # Geodesic areas of differently split polygons agree to ~1e-7, not to the last bit.
    assert after >= before - 1e-6


@settings(max_examples=30, deadline=None)
@given(st.lists(rects, max_size=4))
def test_a_camera_over_the_whole_footprint_gives_one(cameras: list[dict[str, object]]) -> None:
    share = coverage(FOOTPRINT, [*cameras, box(-1, -1, 7, 5)]).share
    assert share is not None and abs(share - 1.0) < 1e-9


def test_overlaps_count_once_and_outside_counts_nothing() -> None:
    left = box(0, 0, 3, 4)
    assert abs((coverage(FOOTPRINT, [left, left]).share or 0) - 0.5) < 1e-3
    assert coverage(FOOTPRINT, [box(20, 20, 25, 25)]).share == 0.0
    assert coverage(FOOTPRINT, []).share == 0.0


def test_no_footprint_means_no_share() -> None:
    found = coverage(None, [box(0, 0, 1, 1)])
    assert found.share is None and found.cameras == 1
    assert coverage({"type": "Point", "coordinates": [LON, LAT]}, []).share is None


def test_a_bow_tie_is_repaired_not_refused() -> None:
    a, b = LON, LAT
    bow = {
        "type": "Polygon",
        "coordinates": [[[a, b], [a + 0.01, b + 0.01], [a + 0.01, b], [a, b + 0.01], [a, b]]],
    }
    assert coverage(bow, [bow]).share == 1.0
