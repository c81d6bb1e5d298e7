"""Forecast models behind one interface: ``fit(history, until)`` scores every cell of the grid.

``history`` holds the events up to and including day ``until`` (models never see later ones);
the score of a cell is proportional to how many events the model expects there in the next
period. Every tuned parameter is chosen on a *validation period* carved from the training
data: fit on the events before the last ``VALIDATION_DAYS`` of training, score those days, keep
the best (criterion: :func:`~saqshy.algorithms.forecast.metrics.mean_hit_rate`), then refit on
all of the training data with it.

* ``counts`` — all-history counts per cell (baseline).
* ``last_year`` — counts per cell over the last 365 days of training (baseline; the period is
  the length of the test period).
* ``kde_scott`` — Gaussian kernel density with Scott's-rule bandwidth (reference only: it
  over-smooths city data).
* ``kde`` — Gaussian kernel density with its bandwidth tuned on the validation period
  (baseline).
* ``prospective`` — prospective hotspotting: a kernel density in space *and* time, each event
  weighted by ``0.5 ** (age / half-life)``, with a two-scale kernel: a convex blend
  ``(1 - w) × narrow + w × wide`` of a narrow Gaussian (0–100 m: where the events are, cell by
  cell) and a wide one (200–800 m: the street network around them, which ranks the cells with
  little or no history). The half-life, both bandwidths and the weight are tuned together on
  the last *two* validation years (each forecast from the events before it; the criterion is
  averaged over both, so one lucky year weighs less). The grid includes no decay, no
  smoothing and no wide part, so it can fall back to the counts or a narrow KDE.
* ``perfect`` — the test period's own counts: the ceiling no forecast can pass (reference).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy import ndimage

from saqshy.algorithms.forecast.events import GriddedEvents
from saqshy.algorithms.forecast.grid import FloatArray
from saqshy.algorithms.forecast.metrics import mean_hit_rate, study_area

VALIDATION_DAYS = 365
PERIOD_DAYS = 365
BANDWIDTHS_M: tuple[float, ...] = (25, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1200)


SurfaceFn = Callable[["GriddedEvents", int, float], FloatArray]
"""(training events, last training day, parameter) → a score per cell."""


@dataclass(frozen=True)
class Surface:
    """A fitted forecast: a score per grid cell and the parameters the model chose."""

    model: str
    scores: FloatArray
    params: dict[str, float] = field(default_factory=dict)


class ForecastModel(Protocol):
    name: str

    def fit(self, history: GriddedEvents, until: int) -> Surface: ...


def kde_surface(
    history: GriddedEvents, bandwidth_m: float, weights: FloatArray | None = None
) -> FloatArray:
    """The Gaussian kernel density of the events integrated over each cell (expected events).

    Events are binned on a sub-grid fine enough for the bandwidth (cell / up to 5), smoothed
    there and summed back to cells, so narrow kernels are not blurred by the cell size.
    """
    grid = history.grid
    if bandwidth_m <= 0:
        return _weighted_counts(history, weights)
    factor = int(min(5, max(1, math.ceil(2 * grid.cell_m / bandwidth_m))))
    while factor > 1 and grid.n_cells * factor * factor > 16_000_000:
        factor -= 1
    fine_m = grid.cell_m / factor
    nx, ny = grid.nx * factor, grid.ny * factor
    col = np.clip(((history.x - grid.x0) / fine_m).astype(np.int64), 0, nx - 1)
    row = np.clip(((history.y - grid.y0) / fine_m).astype(np.int64), 0, ny - 1)
    fine = np.bincount(row * nx + col, weights=weights, minlength=nx * ny).reshape(ny, nx)
    smooth = ndimage.gaussian_filter(fine.astype(np.float64), bandwidth_m / fine_m, mode="constant")
    cells = smooth.reshape(grid.ny, factor, grid.nx, factor).sum(axis=(1, 3))
    result: FloatArray = np.maximum(cells.ravel(), 0.0)
    return result


def _weighted_counts(history: GriddedEvents, weights: FloatArray | None) -> FloatArray:
    counts: FloatArray = np.bincount(
        history.cell, weights=weights, minlength=history.grid.n_cells
    ).astype(np.float64)
    return counts


def scott_bandwidth_m(history: GriddedEvents) -> float:
    """Scott's rule for a 2-D Gaussian kernel: n^(-1/6) × the mean standard deviation of x, y."""
    n = len(history)
    if n < 2:
        return history.grid.cell_m
    sigma = (float(np.std(history.x, ddof=1)) + float(np.std(history.y, ddof=1))) / 2
    return sigma * n ** (-1 / 6)


def split_validation(
    history: GriddedEvents, until: int, fold: int = 0
) -> tuple[GriddedEvents, GriddedEvents]:
    """(events before the validation period, events in it): the last ``VALIDATION_DAYS`` up to
    ``until``, or for ``fold`` k the ``VALIDATION_DAYS`` that end k such periods earlier."""
    end = until - fold * VALIDATION_DAYS
    start = end - VALIDATION_DAYS + 1
    return history.between(None, start - 1), history.between(start, end)


def tune(
    history: GriddedEvents,
    until: int,
    candidates: Sequence[float],
    surface: SurfaceFn,
    folds: int = 1,
) -> tuple[float, dict[float, float]]:
    """The candidate whose surface, fitted before the validation period, best forecasts it.

    With ``folds`` > 1 the criterion is averaged over that many consecutive validation periods
    (rolling origin: each is forecast from the events before it), the most recent first; folds
    with no training or no validation events are left out. Returns the best candidate (the
    first of equals) and every candidate's criterion.
    """
    totals = dict.fromkeys(candidates, 0.0)
    used = 0
    for fold in range(folds):
        train, valid = split_validation(history, until, fold)
        if len(train) == 0 or len(valid) == 0:
            continue
        used += 1
        cut = until - (fold + 1) * VALIDATION_DAYS
        study = study_area(history.grid, train.cell)
        truth = valid.counts()
        for c in candidates:
            totals[c] += mean_hit_rate(surface(train, cut, c), truth, study, history.grid)
    if not used:
        return candidates[0], {}
    scores = {c: total / used for c, total in totals.items()}
    best = max(candidates, key=lambda c: (scores[c], -candidates.index(c)))
    return best, scores


@dataclass
class AllHistoryCounts:
    name: str = "counts"

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        return Surface(self.name, history.between(None, until).counts())


@dataclass
class LastPeriodCounts:
    name: str = "last_year"
    period_days: int = PERIOD_DAYS

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        recent = history.between(until - self.period_days + 1, until)
        return Surface(self.name, recent.counts(), {"period_days": float(self.period_days)})


@dataclass
class ScottKDE:
    name: str = "kde_scott"

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        history = history.between(None, until)
        bandwidth = scott_bandwidth_m(history)
        return Surface(self.name, kde_surface(history, bandwidth), {"bandwidth_m": bandwidth})


def _kde(history: GriddedEvents, until: int, bandwidth: float) -> FloatArray:
    return kde_surface(history.between(None, until), bandwidth)


@dataclass
class TunedKDE:
    name: str = "kde"
    bandwidths_m: tuple[float, ...] = BANDWIDTHS_M

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        history = history.between(None, until)
        best, _scores = tune(history, until, self.bandwidths_m, _kde)
        return Surface(self.name, kde_surface(history, best), {"bandwidth_m": best})


HALF_LIVES_DAYS: tuple[float, ...] = (365, 730, 1095, 1825, 2920, math.inf)
PROSPECTIVE_BANDWIDTHS_M: tuple[float, ...] = (0, 25, 50, 100)
WIDE_BANDWIDTHS_M: tuple[float, ...] = (200, 400, 800)
WIDE_WEIGHTS: tuple[float, ...] = (0.0, 0.1, 0.25, 0.5)
VALIDATION_FOLDS = 2


def decay_weights(history: GriddedEvents, until: int, half_life_days: float) -> FloatArray:
    """Each event's weight ``0.5 ** (age in days / half_life)``; 1 for an infinite half-life."""
    age = (until - history.day).astype(np.float64)
    weights: FloatArray = np.power(0.5, age / half_life_days)
    return weights


@dataclass(frozen=True)
class Blend:
    """One prospective candidate: ``(1 - wide_weight) × narrow + wide_weight × wide`` kernels."""

    half_life_days: float
    bandwidth_m: float
    wide_bandwidth_m: float
    wide_weight: float

    @property
    def weights(self) -> tuple[float, float]:
        """The convex weights of the narrow and the wide kernel (they sum to 1)."""
        return 1.0 - self.wide_weight, self.wide_weight

    def params(self) -> dict[str, float]:
        return {
            "half_life_days": self.half_life_days,
            "bandwidth_m": self.bandwidth_m,
            "wide_bandwidth_m": self.wide_bandwidth_m if self.wide_weight else 0.0,
            "wide_weight": self.wide_weight,
        }


def blend_surface(
    history: GriddedEvents,
    until: int,
    blend: Blend,
    cache: dict[tuple[int, int, float, float], FloatArray] | None = None,
) -> FloatArray:
    """The decayed kernel density of ``blend`` (``cache`` keeps each density by the history's
    size, ``until``, half-life and bandwidth, so a grid of blends computes each kernel once)."""
    cache = {} if cache is None else cache

    def density(bandwidth: float) -> FloatArray:
        key = (len(history), until, blend.half_life_days, bandwidth)
        if key not in cache:
            weights = decay_weights(history, until, blend.half_life_days)
            cache[key] = kde_surface(history, bandwidth, weights)
        return cache[key]

    narrow, wide = blend.weights
    scores = density(blend.bandwidth_m)
    if wide:
        scores = narrow * scores + wide * density(blend.wide_bandwidth_m)
    return scores


@dataclass
class Prospective:
    """Prospective hotspotting with a two-scale kernel (see the module docstring)."""

    name: str = "prospective"
    half_lives_days: tuple[float, ...] = HALF_LIVES_DAYS
    bandwidths_m: tuple[float, ...] = PROSPECTIVE_BANDWIDTHS_M
    wide_bandwidths_m: tuple[float, ...] = WIDE_BANDWIDTHS_M
    wide_weights: tuple[float, ...] = WIDE_WEIGHTS
    folds: int = VALIDATION_FOLDS

    def candidates(self) -> list[Blend]:
        """Every blend on the grid; a zero wide weight appears once per narrow kernel."""
        found: list[Blend] = []
        for h in self.half_lives_days:
            for b in self.bandwidths_m:
                for w in self.wide_weights:
                    wides = self.wide_bandwidths_m if w else self.wide_bandwidths_m[:1]
                    found += [Blend(h, b, wide, w) for wide in wides]
        return found

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        history = history.between(None, until)
        options = self.candidates()
        cache: dict[tuple[int, int, float, float], FloatArray] = {}

        def surface(train: GriddedEvents, cut: int, index: float) -> FloatArray:
            return blend_surface(train, cut, options[int(index)], cache)

        indices = [float(i) for i in range(len(options))]
        best, _scores = tune(history, until, indices, surface, self.folds)
        chosen = options[int(best)]
        return Surface(self.name, blend_surface(history, until, chosen), chosen.params())


@dataclass
class PerfectForesight:
    """Scores the test period's own counts; only for evaluation (it sees the future)."""

    future: GriddedEvents
    name: str = "perfect"

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        return Surface(self.name, self.future.counts())
