"""Hold-out evaluation: fit every model on the events up to a day, score the period after."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from saqshy.algorithms.forecast.events import Events, GriddedEvents, grid_events
from saqshy.algorithms.forecast.grid import DEFAULT_CELL_M, ForecastInputError, Grid
from saqshy.algorithms.forecast.metrics import Metric, evaluate_surface, study_area
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
class Evaluation:
    grid: Grid
    train_events: int
    test_events: int
    study_cells: int
    results: list[ModelResult]

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
    used = events.select(train_mask | test_mask)
    grid = Grid.covering(used.lon, used.lat, cell_m=cell_m, crs=grid_crs)
    gridded = grid_events(used, grid)
    history = gridded.between(None, train_until)
    future = gridded.between(train_until + 1, test_until)
    study = study_area(grid, history.cell)
    truth = future.counts()
    chosen = list(models) if models is not None else standard_models()
    if perfect:
        chosen.append(PerfectForesight(future))
    results = []
    for model in chosen:
        started = time.perf_counter()
        surface = model.fit(history, train_until)
        seconds = time.perf_counter() - started
        metrics = evaluate_surface(surface.scores, truth, study, grid)
        results.append(ModelResult(surface.model, metrics, surface.params, seconds))
    return Evaluation(grid, len(history), len(future), int(study.sum()), results)


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
