"""Hotspot forecasts: metrics on hand-made grids, their invariants, KDE bandwidth tuning."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.forecast.evaluate import (
    ModelResult,
    best_baseline_margins,
    paired_bootstrap,
)
from saqshy.algorithms.forecast.events import Events, GriddedEvents, grid_events
from saqshy.algorithms.forecast.grid import Grid, utm_crs
from saqshy.algorithms.forecast.metrics import (
    LABELS,
    Metric,
    evaluate_surface,
    flag_map,
    flag_shares,
    flagged_hits,
    mean_hit_rate,
    study_area,
)
from saqshy.algorithms.forecast.models import (
    VALIDATION_DAYS,
    AllHistoryCounts,
    Blend,
    LastPeriodCounts,
    Prospective,
    TunedKDE,
    blend_surface,
    decay_weights,
    kde_surface,
    split_validation,
    tune,
)
from saqshy.algorithms.forecast.slots import hours_weight, slot_shares

GRID = Grid(crs="EPSG:32642", x0=0.0, y0=0.0, cell_m=250.0, nx=10, ny=10)


def test_utm_zone_of_astana_and_the_south():
    assert utm_crs(51.13, 71.43) == "EPSG:32642"
    assert utm_crs(-33.9, 18.4) == "EPSG:32734"


def test_flagged_hits_takes_the_top_cells():
    scores = np.array([5.0, 1.0, 3.0, 0.0])
    hits = np.array([2.0, 7.0, 1.0, 4.0])
    assert flagged_hits(scores, hits, 1) == 2.0
    assert flagged_hits(scores, hits, 2) == 3.0
    assert flagged_hits(scores, hits, 2.5) == pytest.approx(6.5)  # half of the third cell
    assert flagged_hits(scores, hits, 10) == 14.0


def test_ties_at_the_cut_count_their_expected_share():
    scores = np.array([1.0, 1.0, 1.0, 1.0])
    hits = np.array([4.0, 0.0, 0.0, 0.0])
    assert flagged_hits(scores, hits, 1) == pytest.approx(1.0)  # 1/4 of the tied group
    # ...whatever order the cells come in.
    assert flagged_hits(scores, hits[::-1].copy(), 1) == pytest.approx(1.0)


def test_hit_rate_and_pai_on_a_hand_made_grid():
    # Study area: all 100 cells (events in the four corners). 1 % = 1 cell, 5 % = 5 cells.
    training = np.array([0, 9, 90, 99])
    study = study_area(GRID, training)
    assert study.sum() == 100
    scores = np.zeros(100)
    scores[[0, 1, 2, 3, 4]] = [5, 4, 3, 2, 1]
    test = np.zeros(100)
    test[0], test[3], test[50] = 2, 1, 1  # 4 test events
    metrics = {m.label: m for m in evaluate_surface(scores, test, study, GRID)}
    assert metrics["1%"].hit_rate == pytest.approx(2 / 4)
    assert metrics["1%"].pai == pytest.approx((2 / 4) / 0.01)
    assert metrics["5%"].hit_rate == pytest.approx(3 / 4)
    # 1 km² is 16 cells of 250 m: the 5 scored cells and 11 of the 95 tied zeros (1 event).
    assert metrics["1km2"].hit_rate == pytest.approx((3 + 11 / 95) / 4)
    assert metrics["1km2"].flagged_km2 == pytest.approx(1.0)
    assert [m.label for m in evaluate_surface(scores, test, study, GRID)] == list(LABELS)


def test_study_area_is_the_convex_hull_of_the_training_cells():
    # Events in cells (0,0), (4,0) and (0,4): the hull is the triangle below the diagonal.
    training = np.array([0, 4, 40])
    study = study_area(GRID, training).reshape(10, 10)
    assert study[0, 0] and study[2, 2] and study[0, 4] and study[4, 0]
    assert not study[3, 3] and not study[5, 0] and not study[9, 9]
    # Two cells make no hull: the study area is those cells.
    assert study_area(GRID, np.array([0, 1])).sum() == 2


scores_and_hits = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(0, 9), min_size=n, max_size=n),
    )
)


@given(scores_and_hits, st.floats(0, 60), st.floats(0, 60))
def test_hits_are_monotone_in_the_flagged_area(data, a, b):
    scores, hits = np.array(data[0], float), np.array(data[1], float)
    small, large = sorted((a, b))
    assert flagged_hits(scores, hits, small) <= flagged_hits(scores, hits, large) + 1e-9
    assert flagged_hits(scores, hits, large) <= hits.sum() + 1e-9


@given(st.lists(st.integers(0, 9), min_size=100, max_size=100), st.integers(0, 3))
@settings(max_examples=50)
def test_pai_is_hit_rate_over_area_share_and_a_flat_surface_scores_one(test, level):
    truth = np.array(test, dtype=float)
    study = np.ones(100, dtype=bool)
    flat = np.full(100, float(level))
    for metric in evaluate_surface(flat, truth, study, GRID):
        share = metric.flagged_km2 / (100 * GRID.cell_km2)
        if truth.sum():
            assert metric.pai == pytest.approx(metric.hit_rate / share)
            assert metric.pai == pytest.approx(1.0)  # random flagging: PAI 1


def _history(points: list[tuple[float, float, int]]) -> GriddedEvents:
    x = np.array([p[0] for p in points])
    y = np.array([p[1] for p in points])
    day = np.array([p[2] for p in points], dtype=np.int64)
    cell = GRID.cell_of(x, y)
    return GriddedEvents(GRID, x, y, cell, day, np.full(len(points), -1, dtype=np.int64))


def test_kde_conserves_the_events_and_spreads_with_the_bandwidth():
    history = _history([(1375.0, 1375.0, 0)] * 4)  # a cell centre
    narrow = kde_surface(history, 25)
    wide = kde_surface(history, 400)
    assert narrow.sum() == pytest.approx(4, rel=1e-3)
    assert wide.sum() == pytest.approx(4, rel=1e-2)
    assert narrow[GRID.cell_of(np.array([1375.0]), np.array([1375.0]))[0]] > 3.9
    assert wide.max() < narrow.max()


def test_baselines_count_all_history_and_the_last_period():
    history = _history([(100.0, 100.0, 0), (100.0, 100.0, 500), (900.0, 100.0, 600)])
    counts = AllHistoryCounts().fit(history, 600).scores
    recent = LastPeriodCounts().fit(history, 600).scores
    assert counts[0] == 2 and counts[3] == 1
    assert recent[0] == 1 and recent[3] == 1  # day 0 is more than 365 days before day 600


def _clustered(seed: int, spread_m: float) -> GriddedEvents:
    rng = np.random.default_rng(seed)
    centres = np.array([[600.0, 600.0], [1800.0, 1900.0], [1500.0, 700.0]])
    n = 600
    which = rng.integers(0, 3, n)
    xy = centres[which] + rng.normal(0, spread_m, (n, 2))
    xy = np.clip(xy, 1, 2499)
    days = rng.integers(0, 3 * VALIDATION_DAYS, n)
    return _history([(float(a), float(b), int(d)) for (a, b), d in zip(xy, days, strict=True)])


def test_kde_bandwidth_is_the_validation_optimum():
    history = _clustered(7, 300.0)
    until = 3 * VALIDATION_DAYS - 1
    model = TunedKDE(bandwidths_m=(25, 100, 300, 800))
    chosen = model.fit(history, until).params["bandwidth_m"]
    train, valid = split_validation(history, until)
    study = study_area(GRID, train.cell)
    criterion = {
        b: mean_hit_rate(kde_surface(train, b), valid.counts(), study, GRID)
        for b in model.bandwidths_m
    }
    assert chosen == max(model.bandwidths_m, key=lambda b: criterion[b])
    assert criterion[chosen] > criterion[25]  # events spread 300 m: a 25 m kernel is too narrow


def test_prospective_tunes_on_validation_and_nests_the_counts():
    history = _clustered(3, 60.0)
    until = 3 * VALIDATION_DAYS - 1
    surface = Prospective().fit(history, until)
    assert surface.params["half_life_days"] in Prospective().half_lives_days
    assert surface.params["bandwidth_m"] in Prospective().bandwidths_m
    plain = Prospective(half_lives_days=(float("inf"),), bandwidths_m=(0,), wide_weights=(0.0,))
    np.testing.assert_allclose(plain.fit(history, until).scores, history.counts())


def test_blend_weights_are_convex_and_the_surface_mixes_the_two_kernels():
    history = _clustered(5, 120.0)
    until = 3 * VALIDATION_DAYS - 1
    for candidate in Prospective().candidates():
        narrow, wide = candidate.weights
        assert narrow + wide == pytest.approx(1.0)
        assert 0 <= wide <= 1
    blend = Blend(half_life_days=730, bandwidth_m=50, wide_bandwidth_m=400, wide_weight=0.25)
    weights = decay_weights(history, until, 730)
    expected = 0.75 * kde_surface(history, 50, weights) + 0.25 * kde_surface(history, 400, weights)
    np.testing.assert_allclose(blend_surface(history, until, blend), expected)
    # A mix of two densities of the same events keeps their (decayed) total, less the part of
    # the wide kernel smoothed off this small grid's edge.
    total = blend_surface(history, until, blend).sum()
    assert 0.9 * weights.sum() < total <= weights.sum() + 1e-9


def test_prospective_blend_is_the_validation_optimum_over_both_folds():
    history = _clustered(11, 150.0)
    until = 3 * VALIDATION_DAYS - 1
    model = Prospective(
        half_lives_days=(365, float("inf")),
        bandwidths_m=(0, 50),
        wide_bandwidths_m=(400,),
        wide_weights=(0.0, 0.5),
        folds=2,
    )
    surface = model.fit(history, until)
    # The criterion by hand: mean hit rate on each of the two last years, fitted before each.
    criterion = {}
    for blend in model.candidates():
        per_fold = []
        for fold in (0, 1):
            train, valid = split_validation(history, until, fold)
            cut = until - (fold + 1) * VALIDATION_DAYS
            study = study_area(GRID, train.cell)
            scores = blend_surface(train, cut, blend)
            per_fold.append(mean_hit_rate(scores, valid.counts(), study, GRID))
        criterion[blend] = sum(per_fold) / 2
    best = max(model.candidates(), key=lambda b: criterion[b])
    assert surface.params == best.params()
    # ...and the final surface is refitted on all of the training data with it.
    np.testing.assert_allclose(surface.scores, blend_surface(history, until, best))


def test_validation_folds_are_consecutive_years_before_the_cut():
    history = _clustered(2, 100.0)
    until = 3 * VALIDATION_DAYS - 1
    train0, valid0 = split_validation(history, until, 0)
    train1, valid1 = split_validation(history, until, 1)
    assert valid0.day.min() >= until - VALIDATION_DAYS + 1 and valid0.day.max() <= until
    assert valid1.day.max() < until - VALIDATION_DAYS + 1
    assert valid1.day.min() >= until - 2 * VALIDATION_DAYS + 1
    assert train0.day.max() < valid0.day.min() and train1.day.max() < valid1.day.min()
    # A fold with no training events is left out; with none left, the first candidate wins.
    best, scores = tune(history, until, [1.0, 2.0], lambda t, c, p: t.counts() * p, folds=9)
    assert scores and best == 1.0  # proportional surfaces tie: the first of equals
    assert (
        tune(history.between(until, until), until, [3.0, 4.0], lambda t, c, p: t.counts())[0] == 3.0
    )


@given(scores_and_hits, st.floats(0, 60))
def test_flag_shares_take_the_area_and_agree_with_the_hits(data, cells):
    scores, hits = np.array(data[0], float), np.array(data[1], float)
    shares = flag_shares(scores, cells)
    assert shares.sum() == pytest.approx(min(cells, len(scores)))
    assert ((shares >= 0) & (shares <= 1 + 1e-12)).all()
    assert float(shares @ hits) == pytest.approx(flagged_hits(scores, hits, cells))


def test_flag_map_flags_study_cells_for_shares_and_any_cell_for_fixed_areas():
    study = np.zeros(100, dtype=bool)
    study[:50] = True
    scores = np.arange(100, dtype=float)  # the best cells lie outside the study area
    flags = {label: shares for label, _cells, shares in flag_map(scores, study, GRID)}
    assert flags["1%"][~study].sum() == 0 and flags["1%"][49] == pytest.approx(0.5)
    assert flags["1km2"][~study].sum() == pytest.approx(16)  # 1 km² is 16 cells of 250 m


def _metric_results(rates: dict[str, float]) -> list[ModelResult]:
    return [
        ModelResult(name, [Metric(label, 1.0, rate, 1.0) for label in LABELS], {}, 0.0)
        for name, rate in rates.items()
    ]


@given(
    st.lists(st.floats(-1, 1), min_size=1, max_size=80),
    st.integers(1, 20),
    st.integers(0, 2**16),
)
@settings(max_examples=50)
def test_bootstrap_interval_covers_the_point_estimate(per_event, blocks, seed):
    values = np.array(per_event)
    block = np.arange(len(values)) % blocks
    low, high = paired_bootstrap(values, block, resamples=400, seed=seed)
    assert low <= high
    # The full-sample mean lies inside the resampled range; the percentiles lie within it too.
    assert values.min() - 1e-12 <= low and high <= values.max() + 1e-12
    if blocks == 1 or np.ptp(values) == 0:
        assert low == pytest.approx(values.mean()) and high == pytest.approx(values.mean())


def test_bootstrap_interval_is_narrow_for_a_steady_gain_and_wide_for_a_lucky_week():
    steady = np.full(500, 0.02)
    week = np.arange(500) // 10
    assert paired_bootstrap(steady, week) == pytest.approx((0.02, 0.02))
    lucky = np.zeros(500)
    lucky[:10] = 1.0  # all of the gain in one week of fifty
    low, high = paired_bootstrap(lucky, week)
    assert low <= lucky.mean() <= high and low == 0.0 and high > 2 * lucky.mean()


def test_margins_pick_the_best_baseline_and_measure_the_difference():
    cells = np.array([0, 0, 1, 2, 3, 3])  # six test events in four cells
    block = np.array([0, 0, 1, 1, 2, 2])
    better = np.array([1.0, 1.0, 0.0, 0.0])  # flags cells 0 and 1
    weak = np.array([0.0, 0.0, 0.0, 1.0])
    strong = np.array([0.0, 1.0, 1.0, 0.0])
    results = _metric_results({"prospective": 3 / 6, "counts": 2 / 6, "kde": 2.5 / 6})
    flags = {"prospective": [better] * 6, "counts": [weak] * 6, "kde": [strong] * 6}
    margins = best_baseline_margins(results, flags, cells, block)
    assert [m.label for m in margins] == list(LABELS)
    for margin in margins:
        assert margin.baseline == "kde"  # the higher baseline hit rate
        assert margin.difference == pytest.approx((3 - 2) / 6)  # caught 0,0,1 vs 1,2
        assert margin.low <= margin.difference <= margin.high
    assert best_baseline_margins(results[1:], flags, cells, block) == []


def test_events_are_gridded_in_metres():
    lat = np.array([51.1280, 51.1280])
    lon = np.array([71.4300, 71.4336])  # ~250 m apart east-west
    grid = Grid.covering(lon, lat, cell_m=100.0, margin_m=0)
    gridded = grid_events(Events(lon, lat, np.zeros(2, np.int64), np.zeros(2, np.int64)), grid)
    assert abs(gridded.x[1] - gridded.x[0] - 251.7) < 2
    assert gridded.cell[0] != gridded.cell[1]
    clon, clat = grid.centres_lonlat(gridded.cell[:1])
    assert abs(clat[0] - lat[0]) < 0.001 and abs(clon[0] - lon[0]) < 0.002


def test_slot_shares_follow_a_busy_cell_and_sum_to_one():
    cells = np.array([1] * 20 + [2] * 20)
    hours = np.array([23] * 20 + [12] * 20)
    shares = slot_shares(cells, hours, np.array([1, 2, 3]))
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    assert shares[0].argmax() == 5 and shares[1].argmax() == 3
    np.testing.assert_allclose(shares[2], [0, 0, 0, 0.5, 0, 0.5])  # no own events: the area
    assert hours_weight(list(range(24))).tolist() == [1.0] * 6
