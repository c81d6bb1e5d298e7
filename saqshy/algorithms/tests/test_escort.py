from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saqshy.algorithms.escort import Commitment, Window, conflicts, needed

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def commitment(ref: int, start: float, end: float, kind: str = "trip") -> Commitment:
    return Commitment(kind, ref, f"{kind} {ref}", at(start), at(end))


def test_buffer_reaches_a_commitment_that_ends_shortly_before_departure() -> None:
    trip = Window(at(2), at(6))
    before = commitment(1, 0, 1.5)
    assert conflicts(trip, [before]) == []
    assert conflicts(trip, [before], HOUR) == [before]


def test_touching_intervals_do_not_conflict() -> None:
    trip = Window(at(2), at(6))
    assert conflicts(trip, [commitment(1, 0, 1), commitment(2, 7, 9)], HOUR) == []
    assert len(conflicts(trip, [commitment(3, 0, 1.01), commitment(4, 6.99, 9)], HOUR)) == 2


def test_results_are_ordered_by_start() -> None:
    trip = Window(at(0), at(10))
    found = conflicts(trip, [commitment(1, 5, 6), commitment(2, 1, 2, "absence")])
    assert [c.ref for c in found] == [2, 1]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        Window(at(2), at(2))
    with pytest.raises(ValueError):
        needed(Window(at(0), at(1)), -HOUR)


hours = st.integers(min_value=-48 * 4, max_value=48 * 4).map(lambda q: q / 4)
spans = st.integers(min_value=1, max_value=24 * 4).map(lambda q: q / 4)


@st.composite
def intervals(draw: st.DrawFn) -> tuple[float, float]:
    start = draw(hours)
    return start, start + draw(spans)


@given(
    trip=intervals(),
    others=st.lists(intervals(), max_size=20),
    buffer_quarters=st.integers(min_value=0, max_value=16),
)
def test_conflict_iff_some_instant_is_shared(
    trip: tuple[float, float], others: list[tuple[float, float]], buffer_quarters: int
) -> None:
    buffer = buffer_quarters / 4
    commitments = [commitment(i, s, e) for i, (s, e) in enumerate(others)]
    found = {c.ref for c in conflicts(Window(at(trip[0]), at(trip[1])), commitments, buffer * HOUR)}
    lo, hi = trip[0] - buffer, trip[1] + buffer
    for i, (s, e) in enumerate(others):
        # Sample the quarter hours: every endpoint is on that grid, so a shared instant
        # exists exactly when a shared quarter-hour midpoint does.
        shared = any(
            lo <= q / 8 < hi and s <= q / 8 < e
            for q in range(int(min(lo, s) * 8) - 1, int(max(hi, e) * 8) + 2)
        )
        assert (i in found) == shared


@given(trip=intervals(), others=st.lists(intervals(), max_size=10), shift=hours)
def test_moving_everything_in_time_changes_nothing(
    trip: tuple[float, float], others: list[tuple[float, float]], shift: float
) -> None:
    def found(offset: float) -> list[int]:
        commitments = [commitment(i, s + offset, e + offset) for i, (s, e) in enumerate(others)]
        window = Window(at(trip[0] + offset), at(trip[1] + offset))
        return [c.ref for c in conflicts(window, commitments, HOUR)]

    assert found(0) == found(shift)


@given(trip=intervals(), others=st.lists(intervals(), max_size=10), a=spans, b=spans)
def test_a_longer_buffer_never_frees_an_escort(
    trip: tuple[float, float], others: list[tuple[float, float]], a: float, b: float
) -> None:
    window = Window(at(trip[0]), at(trip[1]))
    commitments = [commitment(i, s, e) for i, (s, e) in enumerate(others)]
    short, long = sorted((a, b))
    assert {c.ref for c in conflicts(window, commitments, short * HOUR)} <= {
        c.ref for c in conflicts(window, commitments, long * HOUR)
    }
