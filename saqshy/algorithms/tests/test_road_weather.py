"""Road-weather rules: windows from an hourly series, levels and worst values."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.road_weather import (
    BLACK_ICE,
    BLIZZARD,
    EXTREME_COLD,
    HEAVY_SNOW,
    LEVELS,
    ORANGE,
    RED,
    STORM_WIND,
    YELLOW,
    HourlyWeather,
    Thresholds,
    hour_levels,
    strongest,
    warning_windows,
)

T0 = dt.datetime(2025, 12, 31, 18)


def series(*rows: tuple[float, float, float], start: dt.datetime = T0) -> list[HourlyWeather]:
    """(temperature, gust, snowfall) per hour from ``start``."""
    return [
        HourlyWeather(start + dt.timedelta(hours=i), t, g, s) for i, (t, g, s) in enumerate(rows)
    ]


def test_a_blizzard_night_is_one_window_with_its_worst_values() -> None:
    hours = series(
        (-20, 30, 0),
        (-22, 60, 0.3),
        (-25, 85, 0.5),
        (-27, 70, 0.4),
        (-28, 40, 0.2),
        (-28, 20, 0),
    )
    [blizzard] = [w for w in warning_windows(hours) if w.kind == BLIZZARD]
    assert blizzard.start == T0 + dt.timedelta(hours=1)
    assert blizzard.end == T0 + dt.timedelta(hours=4)
    assert blizzard.level == RED
    assert blizzard.hours == 3
    assert blizzard.max_gust_kmh == 85
    assert blizzard.min_temperature_c == -27
    assert blizzard.snowfall_cm == pytest.approx(1.2)
    wind = [w for w in warning_windows(hours) if w.kind == STORM_WIND]
    assert wind == []  # one hour of storm gusts is too short a spell


def test_wind_without_snow_is_no_blizzard_and_a_short_spell_is_dropped() -> None:
    calm = (-5, 20, 0)
    hours = series((-5, 80, 0), (-5, 80, 0), calm, calm, (-5, 20, 0.5), (-5, 75, 0))
    kinds = [(w.kind, w.hours) for w in warning_windows(hours)]
    assert kinds == [(STORM_WIND, 2)]


def test_extreme_cold_levels_follow_the_thresholds() -> None:
    hours = series((-29.9, 0, 0), (-30, 0, 0), (-33, 0, 0), (-35, 0, 0), (-31, 0, 0))
    [cold] = warning_windows(hours)
    assert (cold.kind, cold.level, cold.hours, cold.min_temperature_c) == (
        EXTREME_COLD,
        RED,
        4,
        -35,
    )
    milder = Thresholds(cold_orange_c=-32, cold_red_c=-40)
    [cold] = warning_windows(hours, milder)
    assert (cold.level, cold.hours) == (ORANGE, 2)


def test_short_gaps_merge_and_long_gaps_split() -> None:
    cold, mild = (-31, 0, 0), (-10, 0, 0)
    merged = series(cold, cold, mild, mild, cold, cold)
    assert [w.hours for w in warning_windows(merged)] == [4]
    split = series(cold, cold, mild, mild, mild, cold, cold)
    assert [w.hours for w in warning_windows(split)] == [2, 2]


def test_a_gap_in_the_series_breaks_the_snow_sum() -> None:
    snowy = [(-5, 10, 0.8)] * 6
    hours = series(*snowy) + series(*snowy, start=T0 + dt.timedelta(days=1))
    assert not [w for w in warning_windows(hours) if w.kind == HEAVY_SNOW]
    continuous = series(*snowy, *snowy)
    [snow] = [w for w in warning_windows(continuous) if w.kind == HEAVY_SNOW]
    assert snow.level == YELLOW
    assert snow.start == T0 + dt.timedelta(hours=6)
    assert snow.hours == 6


def test_rain_then_frost_is_black_ice() -> None:
    hours = [
        HourlyWeather(T0, 2, 10, 0, precipitation_mm=1.0),
        HourlyWeather(T0 + dt.timedelta(hours=1), 0.5, 10, 0, precipitation_mm=0.5),
        HourlyWeather(T0 + dt.timedelta(hours=2), -1, 10, 0),
        HourlyWeather(T0 + dt.timedelta(hours=3), -2, 10, 0),
        HourlyWeather(T0 + dt.timedelta(hours=12), -2, 10, 0),
    ]
    [ice] = warning_windows(hours)
    assert (ice.kind, ice.start, ice.hours) == (BLACK_ICE, T0 + dt.timedelta(hours=1), 3)
    freezing = [HourlyWeather(T0 + dt.timedelta(hours=i), -1, 5, weather_code=67) for i in (0, 1)]
    assert [(w.kind, w.level) for w in warning_windows(freezing)] == [(BLACK_ICE, ORANGE)]


def test_unordered_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        warning_windows(series((-31, 0, 0), (-31, 0, 0))[::-1])


def test_strongest_prefers_level_then_gust() -> None:
    a = series((-5, 60, 0.2), (-5, 60, 0.2), (-5, 60, 0.2))
    b = series((-5, 84, 0.2), (-5, 84, 0.2), start=T0 + dt.timedelta(days=2))
    best = strongest(warning_windows(a + b))
    assert best is not None and best.level == RED and best.start == b[0].at
    assert strongest([]) is None


hour_rows = st.lists(
    st.tuples(
        st.floats(-45, 5, allow_nan=False),
        st.floats(0, 110, allow_nan=False),
        st.sampled_from([0.0, 0.0, 0.1, 0.5, 1.5]),
        st.sampled_from([0.0, 0.0, 0.5, 2.0]),
        st.sampled_from([None, 3, 71, 61, 66, 56]),
        st.booleans(),
    ),
    max_size=60,
)


def build(rows: list[tuple[float, float, float, float, int | None, bool]]) -> list[HourlyWeather]:
    hours, at = [], T0
    for t, g, s, p, code, skip in rows:
        at += dt.timedelta(hours=3 if skip else 1)
        hours.append(HourlyWeather(at, t, g, s, g / 2, p, code))
    return hours


@settings(max_examples=150, deadline=None)
@given(hour_rows)
def test_windows_cover_only_marked_hours_and_report_their_worst(rows: list) -> None:
    hours = build(rows)
    t = Thresholds()
    levels = hour_levels(hours, t)
    windows = warning_windows(hours, t)
    for kind in levels:
        mine = [w for w in windows if w.kind == kind]
        # Windows of one kind are ordered and disjoint, at least min_hours long.
        for before, after in itertools.pairwise(mine):
            assert before.end <= after.start
        for w in mine:
            inside = [
                (h, lvl)
                for h, lvl in zip(hours, levels[kind], strict=True)
                if w.start <= h.at < w.end and lvl is not None
            ]
            assert len(inside) == w.hours >= t.min_hours
            assert inside[0][0].at == w.start and inside[-1][0].at + dt.timedelta(hours=1) == w.end
            assert w.level == max((lvl for _h, lvl in inside), key=LEVELS.index)
            assert w.min_temperature_c == min(h.temperature_c for h, _ in inside)
            assert w.max_gust_kmh == max(h.gust_kmh for h, _ in inside)
        # Every marked hour lies in a window unless its spell was too short.
        covered = sum(w.hours for w in mine)
        assert covered <= sum(1 for lvl in levels[kind] if lvl is not None)


@settings(max_examples=100, deadline=None)
@given(hour_rows, st.floats(0, 30, allow_nan=False))
def test_stricter_thresholds_never_add_warning_hours(rows: list, extra: float) -> None:
    hours = build(rows)
    loose = Thresholds()
    strict = Thresholds(
        cold_orange_c=loose.cold_orange_c - extra,
        cold_red_c=loose.cold_red_c - extra,
        wind_orange_kmh=loose.wind_orange_kmh + extra,
        wind_red_kmh=loose.wind_red_kmh + extra,
        blizzard_orange_kmh=loose.blizzard_orange_kmh + extra,
        blizzard_red_kmh=loose.blizzard_red_kmh + extra,
    )
    a, b = hour_levels(hours, loose), hour_levels(hours, strict)
    for kind in (BLIZZARD, EXTREME_COLD, STORM_WIND):
        for la, lb in zip(a[kind], b[kind], strict=True):
            assert LEVELS.index(lb) <= LEVELS.index(la) if lb is not None else True
            assert not (la is None and lb is not None)
    assert warning_windows(hours, loose) == warning_windows(hours, loose)
