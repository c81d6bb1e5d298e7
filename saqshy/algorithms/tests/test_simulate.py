"""The simulator's pure helpers: rates, thinning, sampling, motion along a polyline."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.simulate import (
    NIGHT_HOURS,
    TYPE_SHARES,
    RateModel,
    Track,
    haversine_m,
    hour_shape,
    jitter,
    next_arrival,
    night_clock,
    night_hour,
    on_scene_seconds,
    weighted_choice,
)

ASTANA = (51.128, 71.43)


def test_shares_sum_to_one_and_the_peak_is_just_after_midnight() -> None:
    assert sum(TYPE_SHARES.values()) == pytest.approx(1.0)
    model = RateModel(peak_per_hour=48.0)
    totals = {hour: model.total(hour) for hour in range(24)}
    assert max(totals, key=totals.__getitem__) in (0, 1)
    night = [(18 + h) % 24 for h in range(NIGHT_HOURS)]
    # The demo keeps the map alive: the quietest night hour still has a third of the peak.
    assert min(totals[h] for h in night) > max(totals.values()) / 3


def test_night_clock_starts_at_six_pm_and_loops() -> None:
    assert night_clock(0) == "18:00"
    assert night_hour(6 * 3600 + 59) == 0
    assert night_clock(6 * 3600 + 61) == "00:01"
    assert night_hour(NIGHT_HOURS * 3600) == 18


def test_thinning_reproduces_the_rate_curve() -> None:
    rng = random.Random(7)
    model = RateModel(peak_per_hour=200.0)
    t, counts = 0.0, [0] * 24
    while True:
        found = next_arrival(rng, model, t)
        assert found is not None
        t, _code = found
        if t >= 4 * NIGHT_HOURS * 3600:
            break
        counts[night_hour(t)] += 1
    # Four nights: the count in each night hour is within 20 % of 4 × rate(hour).
    for hour in [(18 + h) % 24 for h in range(NIGHT_HOURS)]:
        expected = 4 * model.total(hour)
        assert abs(counts[hour] - expected) < 0.2 * expected + 10, (hour, counts[hour], expected)


def test_arrival_types_follow_the_shares() -> None:
    rng = random.Random(3)
    model = RateModel(peak_per_hour=100.0)
    t, seen = 0.0, dict.fromkeys(TYPE_SHARES, 0)
    for _ in range(5000):
        found = next_arrival(rng, model, t)
        assert found is not None
        t, code = found
        seen[code] += 1
    assert seen["medical"] > seen["crime"] > seen["suspicious_object"]
    assert seen["traffic_accident"] > 400


def test_a_zero_model_never_produces_arrivals() -> None:
    assert next_arrival(random.Random(1), RateModel(peak_per_hour=0.0), 0.0) is None


def test_hour_shape_from_observations() -> None:
    shape = hour_shape([18, 18, 18, 3], smoothing=0.0)
    assert sum(shape) == pytest.approx(24.0)
    assert shape[18] == pytest.approx(3 * shape[3])
    assert shape[12] == 0.0
    assert hour_shape([]) == pytest.approx((1.0,) * 24)
    with pytest.raises(ValueError):
        hour_shape([24])


@given(st.dictionaries(st.sampled_from("abcdef"), st.floats(0.0, 10.0), min_size=1))
def test_weighted_choice_only_picks_positive_weights(weights: dict[str, float]) -> None:
    rng = random.Random(0)
    if not any(w > 0 for w in weights.values()):
        with pytest.raises(ValueError):
            weighted_choice(rng, weights)
        return
    for _ in range(20):
        assert weights[weighted_choice(rng, weights)] > 0


@given(st.integers(0, 10_000), st.sampled_from([*sorted(TYPE_SHARES), "unknown"]))
def test_on_scene_time_is_bounded(seed: int, code: str) -> None:
    seconds = on_scene_seconds(random.Random(seed), code)
    assert 180.0 <= seconds <= 180.0 * 60


@given(st.integers(0, 10_000), st.floats(1.0, 2000.0))
def test_jitter_stays_inside_the_disc(seed: int, radius: float) -> None:
    lat, lon = jitter(random.Random(seed), *ASTANA, radius)
    assert haversine_m(*ASTANA, lat, lon) <= radius * 1.01 + 0.01


coords = st.lists(
    st.tuples(st.floats(71.3, 71.6), st.floats(51.05, 51.25)), min_size=2, max_size=12
)


@settings(max_examples=200)
@given(coords, st.floats(1.0, 3600.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_track_moves_forward_along_the_line(
    line: list[tuple[float, float]], seconds: float, f1: float, f2: float
) -> None:
    track = Track(line, seconds)
    a, b = sorted((f1, f2))
    # Arc length covered grows with time; the straight distance from the start never exceeds it.
    p_a, p_b = track.at_time(a * seconds), track.at_time(b * seconds)
    start = (line[0][1], line[0][0])
    # (Interpolating in degrees bends a segment slightly off the great circle: 1 % slack.)
    assert haversine_m(*start, *p_a) <= track.meters * a * 1.01 + 1.0
    assert haversine_m(*start, *p_b) <= track.meters * b * 1.01 + 1.0
    # Moving from a to b covers at most the arc length between them.
    assert haversine_m(*p_a, *p_b) <= track.meters * (b - a) * 1.01 + 1.0
    assert track.at_time(-5) == pytest.approx(start)
    assert track.at_time(seconds * 2) == pytest.approx((line[-1][1], line[-1][0]))
    assert track.done(seconds) and not track.done(seconds * 0.5)


def test_track_interpolates_between_vertices() -> None:
    track = Track([[71.40, 51.10], [71.40, 51.12], [71.44, 51.12]], seconds=100)
    first = haversine_m(51.10, 71.40, 51.12, 71.40)
    lat, lon = track.at_distance(first / 2)
    assert (lat, lon) == pytest.approx((51.11, 71.40))
    lat, lon = track.at_distance(first + (track.meters - first) / 2)
    assert (lat, lon) == pytest.approx((51.12, 71.42), abs=1e-9)
    assert Track([[71.4, 51.1]], 0).at_time(10) == (51.1, 71.4)
    with pytest.raises(ValueError):
        Track([], 1)
