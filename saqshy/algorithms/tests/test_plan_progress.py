from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saqshy.algorithms import plan_progress as pp

START = dt.date(2026, 12, 20)
DEADLINE = dt.date(2027, 1, 10)


def test_count_against_count_target() -> None:
    assert pp.completion(6812, None, 7000) == pytest.approx(97.314, abs=1e-3)


def test_share_against_percent_target() -> None:
    assert pp.completion(49, 50, 100) == pytest.approx(98.0)
    assert pp.completion(0, 0, 100) is None
    assert pp.completion(5, None, None) is None


def test_elapsed_bounds() -> None:
    assert pp.elapsed(START, DEADLINE, START - dt.timedelta(days=1)) == 0
    assert pp.elapsed(START, DEADLINE, DEADLINE) == 100
    assert pp.elapsed(START, DEADLINE, START) == pytest.approx(100 / 22)


def test_overdue_only_when_not_done() -> None:
    late = DEADLINE + dt.timedelta(days=1)
    assert pp.is_overdue("in_progress", DEADLINE, late)
    assert pp.is_overdue("planned", DEADLINE, late)
    assert not pp.is_overdue("done", DEADLINE, late)
    assert not pp.is_overdue("cancelled", DEADLINE, late)
    assert not pp.is_overdue("in_progress", DEADLINE, DEADLINE)


def test_assessments() -> None:
    middle = dt.date(2026, 12, 31)
    kwargs = {"start": START, "deadline": DEADLINE}
    assert pp.assess(status="in_progress", today=middle, reached=60, **kwargs).state == "on_track"
    assert pp.assess(status="in_progress", today=middle, reached=10, **kwargs).state == "behind"
    assert pp.assess(status="in_progress", today=middle, reached=None, **kwargs).state == (
        "unmeasured"
    )
    assert (
        pp.assess(status="in_progress", today=middle, reached=None, has_figure=True, **kwargs).state
        == "no_target"
    )
    early = START - dt.timedelta(days=3)
    assert pp.assess(status="planned", today=early, reached=0, **kwargs).state == "not_started"
    late = DEADLINE + dt.timedelta(days=2)
    assert pp.assess(status="in_progress", today=late, reached=120, **kwargs).state == "overdue"
    assert pp.assess(status="done", today=late, reached=50, **kwargs).state == "done"


@given(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.floats(min_value=1, max_value=1e6, allow_nan=False),
)
def test_completion_scales_linearly(value: float, target: float) -> None:
    single = pp.completion(value, None, target)
    double = pp.completion(2 * value, None, target)
    assert single is not None and double is not None
    assert double == pytest.approx(2 * single)


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=-10, max_value=80))
def test_elapsed_is_monotone_and_bounded(length: int, offset: int) -> None:
    deadline = START + dt.timedelta(days=length)
    today = START + dt.timedelta(days=offset)
    now = pp.elapsed(START, deadline, today)
    later = pp.elapsed(START, deadline, today + dt.timedelta(days=1))
    assert 0 <= now <= later <= 100


@given(st.integers(min_value=0, max_value=60), st.floats(min_value=0, max_value=200))
def test_reached_target_is_never_behind(offset: int, reached: float) -> None:
    today = START + dt.timedelta(days=offset)
    state = pp.assess(
        status="in_progress", start=START, deadline=DEADLINE, today=today, reached=reached
    ).state
    if reached >= 100:
        assert state in {"reached", "overdue"}
    if today > DEADLINE:
        assert state == "overdue"
