"""What every solve reports, and the CP-SAT plumbing shared by both stages."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

# Status names, best first. A combined status of several sub-problems is the worst of theirs.
OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
GREEDY = "GREEDY"  # a heuristic answer: no bound, no claim of optimality
UNKNOWN = "UNKNOWN"  # the solver found nothing within its time limit
INFEASIBLE = "INFEASIBLE"
MODEL_INVALID = "MODEL_INVALID"
_ORDER = (OPTIMAL, FEASIBLE, GREEDY, UNKNOWN, INFEASIBLE, MODEL_INVALID)


@dataclass(frozen=True)
class SolveStats:
    """How a solve went: the solver's status, the objective it reached, the best proven bound
    on the objective (it minimises, so ``best_bound <= objective``), the relative gap between
    them (0 means proven optimal) and the wall time in seconds, model building included."""

    status: str
    objective: float
    best_bound: float
    wall_time_s: float
    subproblems: int = 1

    @property
    def gap(self) -> float:
        """``(objective - best_bound) / max(1, |objective|)``; ``inf`` without a bound."""
        if self.status in (GREEDY, UNKNOWN, INFEASIBLE, MODEL_INVALID):
            return math.inf
        return max(0.0, self.objective - self.best_bound) / max(1.0, abs(self.objective))

    @property
    def proven_optimal(self) -> bool:
        return self.status == OPTIMAL


def worst_status(statuses: Iterable[str]) -> str:
    ranked = [_ORDER.index(status) for status in statuses]
    return _ORDER[max(ranked)] if ranked else OPTIMAL


def solve(
    model: cp_model.CpModel,
    *,
    time_limit_s: float,
    workers: int,
    seed: int = 0,
    network: bool = False,
    light_presolve: bool = False,
) -> tuple[cp_model.CpSolver, str]:
    """Solve ``model`` with CP-SAT and return the solver and its status name.

    ``network``: the model is a flow problem whose LP relaxation is integral. Presolve is
    skipped (its dominance detection alone can take seconds on a 30,000-variable
    transportation model) and the full linear relaxation is used, which then proves the
    optimum at the root. ``light_presolve``: skip presolve on a large model that comes with a
    complete hint, so the search starts from the hint within a second instead of after
    most of the time limit."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    if network:
        solver.parameters.cp_model_presolve = False
        solver.parameters.linearization_level = 2
    if light_presolve:
        solver.parameters.cp_model_presolve = False
    status = solver.solve(model)
    return solver, solver.status_name(status)
