"""Background work of the duty app: plan runs (``manage.py db_worker`` runs them).

``run_plan(run_id)`` loads the region's records, runs stage one for the whole region, then
stage two district by district (progress after each, pushed live on the topic ``planrun``),
writes the roster in one transaction and stores the summary. Any error marks the run failed
with its message. ``execute`` does the same inline (the demo loader uses it).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from saqshy.algorithms import optimise as opt
from saqshy.algorithms.optimise.common import worst_status
from saqshy.core import messages
from saqshy.duty import wording
from saqshy.duty.choices import PlanKind, PlanStatus
from saqshy.duty.models import PlanRun
from saqshy.duty.patrols.services import create_patrol_plan
from saqshy.duty.rosters import planning, plans

logger = logging.getLogger(__name__)

STAGE_ONE_SHARE = 10  # percent of the progress bar for reading and stage one
WRITE_SHARE = 5
MAX_GAPS_STORED = 500


@task()
def run_plan(run_id: int) -> dict[str, Any]:
    """The background task: compute plan run ``run_id`` (see the module docstring)."""
    return execute(run_id)


def execute(run_id: int) -> dict[str, Any]:
    """Run ``run_id`` if this call claims it.

    The claim is a compare-and-set (``UPDATE … SET status = 'running' WHERE status =
    'queued'``): of two workers handed the same run (a re-delivered task, a second
    ``execute``), exactly one computes and writes it; the other returns at once.
    """
    now = timezone.now()
    claimed = PlanRun.objects.filter(pk=run_id, status=PlanStatus.QUEUED).update(
        status=PlanStatus.RUNNING, started_at=now, updated_at=now
    )
    run = PlanRun.objects.select_related("region", "district", "requested_by").get(pk=run_id)
    if not claimed:
        return {"run": run.pk, "status": run.status}
    plans.progress(run, 1, wording.RUN_READING.text())
    try:
        if run.kind == PlanKind.PATROL:
            _patrol(run)
        else:
            _roster(run)
    except Exception as error:
        logger.exception("plan run %s failed", run.pk)
        plans.fail(run.pk, wording.RUN_FAILED.text(error=str(error)))
        raise
    return {"run": run.pk, "status": PlanStatus.DONE, "coverage": run.coverage}


def _finite(value: float) -> float | None:
    """A solver figure, or None where the solver stopped before it had one (inf/NaN are not
    JSON and say nothing to a planner)."""
    return value if math.isfinite(value) else None


def _sum_stats(stats: list[opt.SolveStats]) -> tuple[str, float, float, float, float]:
    status = worst_status(s.status for s in stats) if stats else "OPTIMAL"
    objective = sum(s.objective for s in stats)
    bound = sum(s.best_bound for s in stats)
    wall = sum(s.wall_time_s for s in stats)
    gap = max(0.0, objective - bound) / max(1.0, abs(objective))
    return status, objective, bound, gap, wall


def _roster(run: PlanRun) -> None:
    replanning = run.kind == PlanKind.REPLAN
    absence = plans.absence_of(run) if replanning else None
    data = planning.load_region(
        run.region,
        run.starts_at,
        run.ends_at,
        ignore_absences=[absence.pk] if absence else [],
    )
    horizon = data.horizon
    plans.progress(run, 4, wording.RUN_STAGE_ONE.text())
    stage_one = opt.solve_staffing(data.staffing_problem(run.time_limit_s))
    gaps = [planning.gap_row(data, span) for span in planning.staffing_gaps(stage_one)]
    summary: dict[str, Any] = {
        "hours": horizon.hours,
        "posts": len({need.post for need in data.needs}),
        "people": len(data.people),
        "stage_one": {
            "status": stage_one.stats.status,
            "wall_time_s": round(stage_one.stats.wall_time_s, 3),
            "subproblems": stage_one.stats.subproblems,
            "needed_hours": stage_one.needed_person_hours,
            "staffed_hours": stage_one.staffed_person_hours,
            "coverage": stage_one.coverage,
            "short_post_hours": len(stage_one.shortfalls),
        },
        "districts": [],
    }
    if run.kind == PlanKind.STAFFING:
        _store(run, gaps, summary, [stage_one.stats])
        run.coverage = stage_one.coverage
        run.needed_hours = stage_one.needed_person_hours
        run.staffed_hours = stage_one.staffed_person_hours
        plans.finish(run)
        return
    at_hour = 0
    sick: list[str] = []
    if replanning:
        at = dt.datetime.fromisoformat(str(run.params.get("at") or run.starts_at.isoformat()))
        at_hour = horizon.index(at)
        if run.params.get("person"):
            sick = [str(run.params["person"])]
    if run.district_id:
        districts = [run.district.slug] if run.district else []
    elif sick:
        districts = [data.district_of.get(sick[0], planning.NO_DISTRICT)]
    else:
        districts = data.district_keys()
    plans.progress(
        run,
        STAGE_ONE_SHARE,
        wording.RUN_STAGE_ONE_DONE.text(coverage=100 * stage_one.coverage),
    )
    rosters: list[tuple[str, list[opt.Shift]]] = []
    stats = [stage_one.stats]
    by_agency: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rostered: dict[str, set[str]] = defaultdict(set)
    needed = staffed = 0
    for number, district in enumerate(districts):
        name = _district_name(data, district)
        plans.progress(
            run,
            STAGE_ONE_SHARE
            + (100 - STAGE_ONE_SHARE - WRITE_SHARE) * number // max(1, len(districts)),
            wording.RUN_STAGE_TWO.text(
                district=_district_names(data, district), n=number + 1, total=len(districts)
            ),
        )
        problem = data.roster_problem(district, stage_one, time_limit_s=run.time_limit_s)
        if replanning:
            result = opt.replan(
                problem,
                problem.previous,
                at=at_hour,
                sick=[p for p in sick if data.district_of.get(p) == district],
            )
        else:
            result = opt.solve_roster(problem)
        violations = opt.check_roster(
            _as_sick(problem, sick, at_hour) if sick else problem, result.shifts
        )
        stats.append(result.stats)
        gaps.extend(
            planning.gap_row(data, span, district or None) for span in planning.roster_gaps(result)
        )
        for row in result.coverage:
            by_agency[row.agency][0] += row.needed
            by_agency[row.agency][1] += min(row.staffed, row.needed)
        for shift in result.shifts:
            rostered[data.people[shift.person].agency].add(shift.person)
        needed += result.needed_person_hours
        staffed += result.staffed_person_hours
        stored = planning.storable_shifts(result.shifts, problem.fixed)
        rosters.append((district, stored))
        summary["districts"].append(
            {
                "district": district,
                "name": name,
                "people": len(problem.people),
                "needed_hours": result.needed_person_hours,
                "staffed_hours": result.staffed_person_hours,
                "coverage": result.coverage_ratio,
                "status": result.stats.status,
                "objective": _finite(result.stats.objective),
                "best_bound": _finite(result.stats.best_bound),
                "gap": _finite(result.stats.gap),
                "wall_time_s": round(result.stats.wall_time_s, 3),
                "shifts": len(stored),
                "violations": len(violations),
                "added_periods": result.added_periods,
                "removed_periods": result.removed_periods,
            }
        )
    summary["agencies"] = [
        {
            "agency": data.agencies[agency].code if agency in data.agencies else agency,
            "name": data.agencies[agency].name_en if agency in data.agencies else agency,
            "needed_hours": numbers[0],
            "staffed_hours": numbers[1],
            "people_rostered": len(rostered.get(agency, ())),
        }
        for agency, numbers in sorted(by_agency.items())
    ]
    plans.progress(run, 100 - WRITE_SHARE, wording.RUN_WRITING.text())
    changes = plans.write_shifts(run, data, rosters)
    run.changes = changes
    run.shift_count = sum(len(shifts) for _d, shifts in rosters)
    # Coverage of what the region needs: stage one's shortfalls count as unstaffed.
    short_stage_one = (
        stage_one.needed_person_hours - stage_one.staffed_person_hours if not run.district_id else 0
    )
    run.needed_hours = needed + short_stage_one
    run.staffed_hours = staffed
    run.coverage = staffed / run.needed_hours if run.needed_hours else 1.0
    _store(run, gaps, summary, stats)
    plans.finish(run)


def _as_sick(problem: opt.RosterProblem, sick: list[str], at: int) -> opt.RosterProblem:
    people = tuple(
        planning._with_absence(person, opt.Window(at, problem.hours))
        if person.id in sick and at < problem.hours
        else person
        for person in problem.people
    )
    return opt.RosterProblem(
        hours=problem.hours, people=people, demands=problem.demands, rules=problem.rules
    )


def _district_names(data: planning.RegionInput, key: str) -> dict[str, str]:
    """The district's name in each language, for a line rendered in the reader's."""
    district = data.districts.get(key)
    if district is not None:
        return messages.localized_name(district)
    return messages.in_each_language(lambda: _("No home district"))


def _district_name(data: planning.RegionInput, key: str) -> str:
    district = data.districts.get(key)
    return district.name_en if district else _("No home district")


def _store(
    run: PlanRun, gaps: list[dict[str, Any]], summary: dict[str, Any], stats: list[opt.SolveStats]
) -> None:
    gaps.sort(key=lambda row: (-row["short_hours"], row["starts_at"], row["post_name"]))
    run.gap_spans = len(gaps)
    run.gaps = gaps[:MAX_GAPS_STORED]
    run.summary = summary
    status, objective, bound, gap, wall = _sum_stats(stats)
    run.solver_status = status
    run.objective = _finite(objective)
    run.best_bound = _finite(bound)
    run.gap = None if status in ("GREEDY", "UNKNOWN") else _finite(gap)
    run.wall_time_s = wall
    run.message = wording.RUN_DONE.text()


def _patrol(run: PlanRun) -> None:
    plans.progress(run, 10, wording.RUN_PATROLS.text())
    plan = create_patrol_plan(
        acting_user=run.requested_by,
        region=run.region,
        starts_at=run.starts_at,
        ends_at=run.ends_at,
        slot_minutes=int(run.params.get("slot_minutes", 60)),
    )
    run.summary = {"patrol_plan": plan.pk, "stops": plan.stops.count(), "crews": plan.crews}
    run.solver_status = "GREEDY"
    run.message = wording.RUN_DONE.text()
    plans.finish(run)
