"""Largest-remainder allocation of devices to buildings: exact total, within one of the
exact share, deterministic; and the home guess for basemap buildings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saqshy.algorithms.homes import BuildingWeight, allocate, likely_home, weight_of

weights = st.lists(
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
).filter(lambda ws: sum(ws) > 0)


def _buildings(ws: list[float]) -> list[BuildingWeight]:
    return [BuildingWeight(f"way/{i}", w) for i, w in enumerate(ws)]


@given(st.integers(min_value=0, max_value=50_000), weights)
def test_counts_sum_to_n_and_stay_within_one_of_the_quota(n: int, ws: list[float]) -> None:
    result = allocate(n, _buildings(ws))
    assert sum(a.count for a in result) == n
    total = sum(ws)
    for allocation, w in zip(result, ws, strict=True):
        exact = n * w / total
        assert abs(allocation.count - exact) < 1 + 1e-9
        assert allocation.count >= 0
    assert [a.ref for a in result] == [f"way/{i}" for i in range(len(ws))]


@given(st.integers(min_value=0, max_value=5_000), weights)
def test_same_input_same_answer(n: int, ws: list[float]) -> None:
    assert allocate(n, _buildings(ws)) == allocate(n, _buildings(list(ws)))


def test_a_zero_weight_building_gets_nothing_and_ties_go_to_the_first() -> None:
    result = allocate(3, _buildings([1.0, 0.0, 1.0, 1.0, 1.0]))
    assert [a.count for a in result] == [1, 0, 1, 1, 0]


def test_bigger_buildings_get_more() -> None:
    result = allocate(100, _buildings([weight_of(500, 9), weight_of(500, 1), weight_of(100, 1)]))
    # quotas 88.24, 9.80, 1.96: floors 88, 9, 1 and the two left go to the larger remainders
    assert [a.count for a in result] == [88, 10, 2]


def test_flats_override_floor_area() -> None:
    assert weight_of(1000.0, 10, flats=80) == 80.0
    assert weight_of(200.0, None) == 200.0
    assert weight_of(200.0, 5) == 1000.0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        allocate(-1, _buildings([1.0]))
    with pytest.raises(ValueError):
        allocate(1, _buildings([0.0, 0.0]))
    with pytest.raises(ValueError):
        allocate(1, _buildings([float("nan")]))
    assert [a.count for a in allocate(0, _buildings([0.0]))] == [0]


@pytest.mark.parametrize(
    ("use", "housenumber", "name", "area", "home"),
    [
        ("residential", "", "", 300.0, True),
        ("other", "5", "", 300.0, False),
        ("", "5", "", 300.0, True),
        ("", "", "", 300.0, False),
        ("", "5", "Mega Silk Way", 300.0, False),
        ("", "5", "", 18.0, False),
        ("", "11", "", 28_000.0, False),
        ("residential", "11", "", 28_000.0, True),
    ],
)
def test_likely_home(use: str, housenumber: str, name: str, area: float, home: bool) -> None:
    assert likely_home(use=use, housenumber=housenumber, name=name, area_m2=area) is home
