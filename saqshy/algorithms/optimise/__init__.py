"""The duty optimiser: staffing, rosters, re-planning, the roster validator and patrol plans.

Pure Python on OR-Tools CP-SAT, no Django. Everything goes in and out as frozen dataclasses;
times are **whole hours from the start of the planning horizon** (patrol plans: minutes), so
the adapter in the duty app turns datetimes into hour indices and back.

Stage one, region-wide staffing (:mod:`.staffing`)::

    solve_staffing(StaffingProblem(hours, needs=(Need(post, hour, agency, people, skill,
                   district, priority), ...), pools=(Pool(agency, hour, people, skills,
                   district), ...), budgets=(HoursBudget(...), ...)))
    -> StaffingResult(staffing=(Staffing(post, hour, agency, skill, district, people), ...),
                      shortfalls=(Shortfall(post, hour, ..., reason=ShortReason(...)), ...),
                      stats=SolveStats(status, objective, best_bound, wall_time_s), coverage)

  ``Need``: people a post needs in one hour (readiness reserves are needs at a reserve post).
  ``Pool``: people of one agency with one skill set free in one hour (personnel minus
  absences). ``ShortReason`` says in numbers why a post-hour stays short.

Stage two, one district's roster (:mod:`.roster`, records in :mod:`.model`)::

    solve_roster(RosterProblem(hours, people=(Person(id, agency, skills, weekly_hours,
                 home_district, absences=(Window,), committed=(Window,)), ...),
                 demands=demands_for_district(stage_one_result, needs, district),
                 rules=RosterRules(...), night_hours=night_hours(...), holiday_hours=...,
                 previous=(Shift, ...)))
    -> RosterResult(shifts=(Shift(person, post, start, end, skill), ...),
                    coverage=(Coverage(post, hour, agency, skill, needed, staffed), ...),
                    stats, added_periods, removed_periods)  # .unmet, .coverage_ratio

  ``replan(problem, previous_shifts, at=hour, sick=(person_id,), added=(Need, ...))`` keeps
  what began before ``at`` and changes as little as it can after.
  ``check_roster(problem, shifts) -> [Violation(kind, person, start, end, value, limit)]``
  lists every hard-rule violation. ``greedy_staffing`` and ``greedy_roster`` are the
  baselines. ``score_roster(problem, shifts) -> RosterScore`` scores any roster by the one
  yardstick both are compared on (unmet hours, post hops, short stints under
  ``RosterRules.min_stint_hours``, night/holiday excess, hours away, changes, duty hours).

Patrols (:mod:`.patrol`)::

    plan_patrols(cells=(Cell(id, lat, lon), ...), slots=(PatrolSlot(start_minute, minutes,
                 units, risk={cell_id: score}), ...), seed=nightly_secret_seed)
    -> PatrolPlan(seed, slots=(SlotPlan(start_minute, minutes, quotas, allocation,
                                        visits=(Visit(unit, cell, arrive, depart), ...)), ...))

Strings in results (``ShortReason.describe``) are English for logs; the app formats
translated text from the structured fields.
"""

from saqshy.algorithms.optimise.check import Violation, check_roster
from saqshy.algorithms.optimise.common import SolveStats
from saqshy.algorithms.optimise.model import (
    Coverage,
    Person,
    RosterProblem,
    RosterResult,
    RosterRules,
    Shift,
    Weights,
    Window,
    demands_for_district,
    duty_periods,
    night_hours,
)
from saqshy.algorithms.optimise.patrol import (
    Cell,
    PatrolPlan,
    PatrolRules,
    PatrolSlot,
    SlotPlan,
    Visit,
    largest_remainder,
    plan_patrols,
)
from saqshy.algorithms.optimise.roster import greedy_roster, replan, replan_problem, solve_roster
from saqshy.algorithms.optimise.score import RosterScore, score_roster
from saqshy.algorithms.optimise.staffing import (
    HoursBudget,
    Need,
    Pool,
    Shortfall,
    ShortReason,
    Staffing,
    StaffingProblem,
    StaffingResult,
    greedy_staffing,
    solve_staffing,
)

__all__ = [
    "Cell",
    "Coverage",
    "HoursBudget",
    "Need",
    "PatrolPlan",
    "PatrolRules",
    "PatrolSlot",
    "Person",
    "Pool",
    "RosterProblem",
    "RosterResult",
    "RosterRules",
    "RosterScore",
    "Shift",
    "ShortReason",
    "Shortfall",
    "SlotPlan",
    "SolveStats",
    "Staffing",
    "StaffingProblem",
    "StaffingResult",
    "Violation",
    "Visit",
    "Weights",
    "Window",
    "check_roster",
    "demands_for_district",
    "duty_periods",
    "greedy_roster",
    "greedy_staffing",
    "largest_remainder",
    "night_hours",
    "plan_patrols",
    "replan",
    "replan_problem",
    "score_roster",
    "solve_roster",
    "solve_staffing",
]
