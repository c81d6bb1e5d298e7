"""Hold-out evaluation: fit every model on the events up to a day, score the period after.

Beside each model's hit rate and PAI, the evaluation reports the *margin* of the better model
over the best baseline at every standard area, with a 95 % interval from a paired bootstrap over
the test period's weeks: both models' flagged cells stay as fitted, the weeks (blocks of seven
days from the first test day, each with all its events) are drawn with replacement, and the
hit-rate difference is recomputed on each draw. Weeks rather than single events, so that a
cluster of same-week events at one place counts as the one piece of luck it is.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from saqshy.algorithms.forecast.events import Events, GriddedEvents, grid_events
from saqshy.algorithms.forecast.grid import (
    DEFAULT_CELL_M,
    FloatArray,
    ForecastInputError,
    Grid,
    IntArray,
)
from saqshy.algorithms.forecast.metrics import (
    LABELS,
    Metric,
    flag_map,
    metrics_of_flags,
    study_area,
)
from saqshy.algorithms.forecast.models import (
    AllHistoryCounts,
    ForecastModel,
    LastPeriodCounts,
    PerfectForesight,
    Prospective,
    ScottKDE,
    Surface,
    TunedKDE,
)


def standard_models() -> list[ForecastModel]:
    """The baselines, Scott's KDE for reference, and the better model, in report order."""
    return [AllHistoryCounts(), LastPeriodCounts(), ScottKDE(), TunedKDE(), Prospective()]


MODEL_NAMES: tuple[str, ...] = tuple(m.name for m in standard_models())
BETTER_MODEL = "prospective"
BASELINES: tuple[str, ...] = ("counts", "last_year", "kde")
BLOCK_DAYS = 7
RESAMPLES = 2000
CONFIDENCE = 0.95


def model_named(name: str) -> ForecastModel:
    for model in standard_models():
        if model.name == name:
            return model
    raise ForecastInputError(f"Unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}.")


@dataclass(frozen=True)
class ModelResult:
    model: str
    metrics: list[Metric]
    params: dict[str, float]
    seconds: float


@dataclass(frozen=True)
class Margin:
    """The better model's hit rate minus the best baseline's at one area, with its interval."""

    label: str
    model: str
    baseline: str
    model_hit_rate: float
    baseline_hit_rate: float
    difference: float
    low: float
    high: float


@dataclass(frozen=True)
class Evaluation:
    grid: Grid
    train_events: int
    test_events: int
    study_cells: int
    results: list[ModelResult]
    margins: list[Margin] = field(default_factory=list)
    # Test events outside the training grid (counted in test_events, and as misses).
    test_outside: int = 0

    @property
    def study_km2(self) -> float:
        return self.study_cells * self.grid.cell_km2


def evaluate(
    events: Events,
    *,
    train_until: int,
    test_until: int,
    cell_m: float = DEFAULT_CELL_M,
    grid_crs: str | None = None,
    models: Sequence[ForecastModel] | None = None,
    perfect: bool = True,
) -> Evaluation:
    """Fit each model on the events up to ``train_until`` and score the days after it up to
    ``test_until`` (inclusive). Raises :class:`ForecastInputError` on an empty period."""
    if test_until <= train_until:
        raise ForecastInputError("The test period must end after the training period.")
    train_mask = events.day <= train_until
    test_mask = (events.day > train_until) & (events.day <= test_until)
    if not train_mask.any():
        raise ForecastInputError("No events in the training period.")
    if not test_mask.any():
        raise ForecastInputError("No events in the test period.")
    # The grid is laid over the training events only: its extent must not reveal where the
    # test events are. A test event outside it counts as a miss for every model.
    training = events.select(train_mask)
    grid = Grid.covering(training.lon, training.lat, cell_m=cell_m, crs=grid_crs)
    history = grid_events(training, grid)
    future = grid_events(events.select(test_mask), grid)
    outside = int(test_mask.sum()) - len(future)
    study = study_area(grid, history.cell)
    truth = future.counts()
    chosen = list(models) if models is not None else standard_models()
    if perfect:
        chosen.append(PerfectForesight(future))
    results = []
    flags: dict[str, list[FloatArray]] = {}
    for model in chosen:
        started = time.perf_counter()
        surface = model.fit(history, train_until)
        seconds = time.perf_counter() - started
        flagged = flag_map(surface.scores, study, grid)
        metrics = metrics_of_flags(flagged, truth, study, grid, missed=outside)
        flags[surface.model] = [shares for _label, _cells, shares in flagged]
        results.append(ModelResult(surface.model, metrics, surface.params, seconds))
    block = (future.day - (train_until + 1)) // BLOCK_DAYS
    tested = events.select(test_mask)
    on_grid = grid.cell_of(*grid.project(tested.lon, tested.lat)) >= 0
    off_block = (tested.day[~on_grid] - (train_until + 1)) // BLOCK_DAYS
    margins = best_baseline_margins(results, flags, future.cell, block, missed_blocks=off_block)
    return Evaluation(
        grid, len(history), len(future) + outside, int(study.sum()), results, margins, outside
    )


def best_baseline_margins(
    results: Sequence[ModelResult],
    flags: dict[str, list[FloatArray]],
    test_cells: IntArray,
    block: IntArray,
    *,
    better: str = BETTER_MODEL,
    baselines: Sequence[str] = BASELINES,
    seed: int = 0,
    missed_blocks: IntArray | None = None,
) -> list[Margin]:
    """At every standard area, ``better``'s hit rate minus the best of ``baselines`` (the one
    with the highest hit rate there), with a paired block-bootstrap interval. Empty when the
    better model or every baseline is missing from ``results``."""
    by_name = {r.model: r for r in results}
    present = [b for b in baselines if b in by_name]
    if better not in by_name or not present:
        return []
    margins = []
    for i, label in enumerate(LABELS):
        base = max(present, key=lambda b: (by_name[b].metrics[i].hit_rate, -present.index(b)))
        per_event = flags[better][i][test_cells] - flags[base][i][test_cells]
        blocks = block
        if missed_blocks is not None and len(missed_blocks):
            # Off-grid test events: both models miss them, a difference of zero each.
            per_event = np.concatenate([per_event, np.zeros(len(missed_blocks))])
            blocks = np.concatenate([block, missed_blocks])
        low, high = paired_bootstrap(per_event, blocks, seed=seed)
        margins.append(
            Margin(
                label,
                better,
                base,
                by_name[better].metrics[i].hit_rate,
                by_name[base].metrics[i].hit_rate,
                float(per_event.mean()),
                low,
                high,
            )
        )
    return margins


def paired_bootstrap(
    per_event: FloatArray,
    block: IntArray,
    *,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile interval of the mean of ``per_event`` (one model's catch of each test event
    minus the other's) when the blocks (``block`` per event: e.g. its test week) are drawn with
    replacement. Deterministic for a given ``seed``."""
    if len(per_event) == 0:
        return 0.0, 0.0
    _ids, inverse = np.unique(block, return_inverse=True)
    sums = np.bincount(inverse, weights=per_event)
    sizes = np.bincount(inverse).astype(np.float64)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(sums), size=(resamples, len(sums)))
    estimates = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(estimates, [tail, 100 - tail])
    return float(low), float(high)


def fit_surface(
    events: Events,
    *,
    until: int,
    model: ForecastModel,
    cell_m: float = DEFAULT_CELL_M,
    grid_crs: str | None = None,
) -> tuple[GriddedEvents, Surface]:
    """Fit ``model`` on the events up to ``until`` on a grid covering them."""
    mask = events.day <= until
    if not mask.any():
        raise ForecastInputError("No events in the training period.")
    history_events = events.select(mask)
    grid = Grid.covering(history_events.lon, history_events.lat, cell_m=cell_m, crs=grid_crs)
    history = grid_events(history_events, grid)
    return history, model.fit(history, until)
