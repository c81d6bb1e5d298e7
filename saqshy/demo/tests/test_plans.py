"""The demo's computed roster for the New Year window and its patrol plans."""

from __future__ import annotations

import pytest

from saqshy.algorithms import optimise as opt
from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.demo.duty import load_duty
from saqshy.demo.plans import load_plans, roster_window
from saqshy.demo.season import load_season
from saqshy.demo.trips import load_trips
from saqshy.demo.units import load_units
from saqshy.duty.models import PatrolPlan, PlanRun, Shift
from saqshy.duty.rosters import planning

pytestmark = pytest.mark.django_db


def test_demo_roster_and_patrols_are_computed_honestly_and_once() -> None:
    loader.load_regions()
    loader.load_people()
    loader.load_facilities("astana")
    load_season(say=lambda _line: None)
    load_units("astana")
    load_duty("astana")
    load_trips("astana")

    result = load_plans("astana")

    run = result.run
    assert run is not None and run.status == "done", run and run.message
    starts_at, ends_at = roster_window()
    assert (run.starts_at, run.ends_at) == (starts_at, ends_at)
    shifts = Shift.objects.filter(plan_run=run)
    assert shifts.count() == run.shift_count > 1000
    # Coverage is what the optimiser reports, high but (honestly) short in a few places.
    assert run.coverage is not None and 0.9 < run.coverage <= 1.0
    assert run.gap_spans >= len(run.gaps)
    for gap in run.gaps:
        assert planning.gap_text(gap)
    # Every agency with posts is rostered, the energy crews at utility sites among them.
    agencies = {row["agency"]: row for row in run.summary["agencies"]}
    assert agencies["energy-astana"]["people_rostered"] > 0
    assert shifts.filter(person__agency__code="energy-astana", post__kind="utility").exists()
    # No hard rule is broken by the stored roster, checked against the records themselves.
    data = planning.load_region(run.region, starts_at, ends_at)
    stored = [
        opt.Shift(
            str(s.person_id),
            str(s.post_id),
            data.horizon.index(s.starts_at),
            data.horizon.index(s.ends_at, up=True),
            s.skill,
        )
        for s in Shift.objects.filter(person__region=run.region)
    ]
    problem = opt.RosterProblem(
        hours=data.horizon.hours, people=tuple(data.people.values()), demands=data.needs
    )
    assert opt.check_roster(problem, stored) == []

    plan = result.patrol_plan
    assert plan is not None and plan.crews > 0 and plan.stops.count() > plan.crews
    assert plan.forecast is not None

    entries = AuditEntry.objects.count()
    again = load_plans("astana")
    assert again.roster_skipped and again.patrol_skipped
    assert (PlanRun.objects.count(), PatrolPlan.objects.count()) == (1, 1)
    assert AuditEntry.objects.count() == entries
