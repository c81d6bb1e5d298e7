"""A run whose solver stopped before it found a bound is still stored as valid JSON."""

from __future__ import annotations

import json
import math

from saqshy.algorithms import optimise as opt
from saqshy.duty.models import PlanRun
from saqshy.duty.rosters import tasks


def test_a_solver_without_a_bound_leaves_no_infinity_in_the_run() -> None:
    stats = opt.SolveStats(
        status="UNKNOWN", objective=math.inf, best_bound=-math.inf, wall_time_s=1
    )
    run = PlanRun()
    tasks._store(run, [], {"objective": tasks._finite(stats.objective)}, [stats])
    assert run.objective is None and run.best_bound is None and run.gap is None
    json.dumps(run.summary, allow_nan=False)


def test_finite_figures_are_kept() -> None:
    stats = opt.SolveStats(status="FEASIBLE", objective=12.0, best_bound=10.0, wall_time_s=1)
    run = PlanRun()
    tasks._store(run, [], {}, [stats])
    assert (run.objective, run.best_bound) == (12.0, 10.0)
    assert run.gap is not None and 0 < run.gap < 1
