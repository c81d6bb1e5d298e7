"""Hotspot forecasts: metrics on hand-made grids, their invariants, KDE bandwidth tuning."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.forecast.events import Events, GriddedEvents, grid_events
from saqshy.algorithms.forecast.grid import Grid, utm_crs
from saqshy.algorithms.forecast.metrics import (
    LABELS,
    evaluate_surface,
    flagged_hits,
    mean_hit_rate,
    study_area,
)
from saqshy.algorithms.forecast.models import (
    VALIDATION_DAYS,
    AllHistoryCounts,
    LastPeriodCounts,
    Prospective,
    TunedKDE,
    kde_surface,
    split_validation,
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
    plain = Prospective(half_lives_days=(float("inf"),), bandwidths_m=(0,)).fit(history, until)
    np.testing.assert_allclose(plain.scores, history.counts())


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
