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
  weighted by ``0.5 ** (age / half-life)``; the half-life and the bandwidth are tuned together on
  the validation period (the grid includes no decay and no smoothing, so it can fall back to
  either baseline when the validation period says so).
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


def split_validation(history: GriddedEvents, until: int) -> tuple[GriddedEvents, GriddedEvents]:
    """(events before the validation period, events in it): the last ``VALIDATION_DAYS``."""
    start = until - VALIDATION_DAYS + 1
    return history.between(None, start - 1), history.between(start, until)


def tune(
    history: GriddedEvents, until: int, candidates: Sequence[float], surface: SurfaceFn
) -> tuple[float, dict[float, float]]:
    """The candidate whose surface, fitted before the validation period, best forecasts it.

    Returns the best candidate (the first of equals) and every candidate's criterion.
    """
    train, valid = split_validation(history, until)
    if len(train) == 0 or len(valid) == 0:
        return candidates[0], {}
    study = study_area(history.grid, train.cell)
    truth = valid.counts()
    scores = {
        c: mean_hit_rate(surface(train, until - VALIDATION_DAYS, c), truth, study, history.grid)
        for c in candidates
    }
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
PROSPECTIVE_BANDWIDTHS_M: tuple[float, ...] = (0, 25, 50, 75, 100, 150)


def decay_weights(history: GriddedEvents, until: int, half_life_days: float) -> FloatArray:
    """Each event's weight ``0.5 ** (age in days / half_life)``; 1 for an infinite half-life."""
    age = (until - history.day).astype(np.float64)
    weights: FloatArray = np.power(0.5, age / half_life_days)
    return weights


@dataclass
class Prospective:
    name: str = "prospective"
    half_lives_days: tuple[float, ...] = HALF_LIVES_DAYS
    bandwidths_m: tuple[float, ...] = PROSPECTIVE_BANDWIDTHS_M

    def candidates(self) -> list[tuple[float, float]]:
        return [(h, b) for h in self.half_lives_days for b in self.bandwidths_m]

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        history = history.between(None, until)
        options = self.candidates()

        def surface(train: GriddedEvents, cut: int, index: float) -> FloatArray:
            half_life, bandwidth = options[int(index)]
            return kde_surface(train, bandwidth, decay_weights(train, cut, half_life))

        best, _scores = tune(history, until, [float(i) for i in range(len(options))], surface)
        half_life, bandwidth = options[int(best)]
        scores = kde_surface(history, bandwidth, decay_weights(history, until, half_life))
        return Surface(self.name, scores, {"half_life_days": half_life, "bandwidth_m": bandwidth})


@dataclass
class PerfectForesight:
    """Scores the test period's own counts; only for evaluation (it sees the future)."""

    future: GriddedEvents
    name: str = "perfect"

    def fit(self, history: GriddedEvents, until: int) -> Surface:
        return Surface(self.name, self.future.counts())
