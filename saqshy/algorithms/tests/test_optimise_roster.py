from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.optimise import (
    Need,
    Person,
    RosterProblem,
    RosterRules,
    Shift,
    Weights,
    Window,
    check_roster,
    duty_periods,
    greedy_roster,
    night_hours,
    replan,
    solve_roster,
)
from saqshy.algorithms.optimise import check as kinds


def _problem(**overrides) -> RosterProblem:
    people = (
        Person("ann", "police", frozenset({"patrol"}), 40, "yesil"),
        Person("bek", "police", frozenset({"patrol", "k9"}), 40, "yesil"),
        Person("cem", "police", frozenset(), 40, "nura"),
    )
    demands = tuple(Need("gate", h, "police", 1, "patrol", "yesil") for h in range(48))
    defaults = {"hours": 48, "people": people, "demands": demands, "time_limit_s": 5, "workers": 1}
    defaults.update(overrides)
    return RosterProblem(**defaults)


def _kinds(problem, shifts):
    return sorted(v.kind for v in check_roster(problem, shifts))


def test_check_roster_finds_each_hard_rule() -> None:
    problem = _problem(
        people=(
            Person("ann", "police", frozenset({"patrol"}), 20, absences=(Window(30, 40),)),
            Person("bek", "health", frozenset({"patrol"}), 40, committed=(Window(20, 24),)),
        )
    )
    assert check_roster(problem, [Shift("ann", "gate", 0, 8, "patrol")]) == []
    assert _kinds(problem, [Shift("ann", "gate", 0, 13, "patrol")]) == [kinds.SHIFT_TOO_LONG]
    assert _kinds(problem, [Shift("ann", "gate", 0, 6, "patrol"), Shift("ann", "gate", 6, 14)]) == [
        kinds.SHIFT_TOO_LONG  # back to back at two posts is one 14-hour duty period
    ]
    assert _kinds(problem, [Shift("ann", "gate", 0, 8), Shift("ann", "gate", 7, 9)]) == [
        kinds.OVERLAP
    ]
    assert _kinds(problem, [Shift("ann", "gate", 0, 8), Shift("ann", "gate", 19, 27)]) == [
        kinds.REST_TOO_SHORT
    ]
    assert _kinds(problem, [Shift("ann", "gate", 0, 12), Shift("ann", "gate", 24, 36)]) == [
        kinds.ABSENCE,
        kinds.WEEKLY_HOURS,
    ]
    assert _kinds(problem, [Shift("ann", "gate", 0, 8, "k9")]) == [kinds.SKILL]
    assert _kinds(problem, [Shift("bek", "gate", 22, 26)]) == [kinds.AGENCY, kinds.COMMITTED]
    assert _kinds(problem, [Shift("bek", None, 30, 34)]) == [kinds.REST_TOO_SHORT]
    assert _kinds(problem, [Shift("zed", "gate", 0, 8)]) == [kinds.UNKNOWN_PERSON]
    assert _kinds(problem, [Shift("ann", "gate", 44, 50)]) == [kinds.BAD_TIMES]


def test_solver_covers_a_post_around_the_clock_within_the_rules() -> None:
    problem = _problem()
    result = solve_roster(problem)
    assert check_roster(problem, result.shifts) == []
    assert result.coverage_ratio == 1.0 and not result.unmet
    assert all(s.person in {"ann", "bek"} for s in result.shifts if s.post == "gate")
    assert result.stats.status in ("OPTIMAL", "FEASIBLE")
    assert result.stats.best_bound <= result.stats.objective


def test_unmet_demand_is_reported_when_nobody_can_serve() -> None:
    problem = _problem(demands=(Need("kennel", 5, "police", 2, "k9"),))
    result = solve_roster(problem)
    assert [(u.post, u.hour, u.needed, u.staffed) for u in result.unmet] == [("kennel", 5, 2, 1)]


def _sick_scenario() -> tuple[RosterProblem, tuple[Shift, ...]]:
    people = tuple(Person(f"p{i}", "police", frozenset({"patrol"}), 48) for i in range(8))
    demands = tuple(
        Need(post, h, "police", 1, "patrol") for post in ("north", "south") for h in range(72)
    )
    problem = RosterProblem(
        hours=72,
        people=people,
        demands=demands,
        rules=RosterRules(shift_lengths=(12,), start_step=12),
        time_limit_s=10,
        workers=1,
    )
    first = solve_roster(problem)
    assert check_roster(problem, first.shifts) == [] and first.coverage_ratio == 1.0
    return problem, first.shifts


def test_replanning_after_one_sickness_changes_only_what_it_must() -> None:
    problem, before = _sick_scenario()
    periods = duty_periods(before)
    sick = next(p for p, windows in periods.items() if any(w.start >= 36 for w in windows))
    at = 30  # between shifts on the 12-hour grid, so the sick person is off duty then
    after = replan(problem, before, at=at, sick=[sick])
    assert after.coverage_ratio == 1.0
    sick_problem = replace(
        problem,
        people=tuple(
            replace(p, absences=(Window(at, 72),)) if p.id == sick else p for p in problem.people
        ),
    )
    assert check_roster(sick_problem, after.shifts) == []
    new_periods = duty_periods(after.shifts)
    assert [w for w in new_periods.get(sick, []) if w.end > at] == []
    lost = [w for w in periods[sick] if w.start >= at]
    assert lost
    # The past is untouched, nobody else loses a shift, and each lost shift is replaced once.
    assert {s for s in after.shifts if s.start < at} == {s for s in before if s.start < at}
    for person, windows in periods.items():
        if person != sick:
            assert set(windows) <= set(new_periods[person])
    assert after.removed_periods == len(lost)
    assert after.added_periods == len(lost)


def test_replanning_for_an_added_event_keeps_the_rest() -> None:
    problem, before = _sick_scenario()
    added = tuple(Need("concert", h, "police", 1, "patrol") for h in range(48, 60))
    after = replan(problem, before, at=40, added=added)
    assert check_roster(replace(problem, demands=problem.demands + added), after.shifts) == []
    assert after.coverage_ratio == 1.0
    assert after.removed_periods == 0 and after.added_periods == 1


def test_a_solver_that_finds_nothing_in_time_falls_back_to_the_greedy_roster(monkeypatch) -> None:
    """Under load CP-SAT may return UNKNOWN within its limit; the district then gets the greedy
    roster (valid, labelled GREEDY), never an empty one."""
    from saqshy.algorithms.optimise import roster as module

    real_solve = module.solve

    def nothing_in_time(model, **kwargs):
        solver, _status = real_solve(model, **{**kwargs, "time_limit_s": 0.01})
        return solver, "UNKNOWN"

    problem = _problem()
    monkeypatch.setattr(module, "solve", nothing_in_time)
    result = solve_roster(problem)
    greedy = greedy_roster(problem)
    assert result.stats.status == "GREEDY"
    assert check_roster(problem, result.shifts) == []
    assert result.coverage_ratio == greedy.coverage_ratio > 0


def test_greedy_baseline_is_valid_and_nights_are_shared() -> None:
    nights = night_hours(48)  # hours 0-5, 22-29 and 46-47: 16 night person-hours
    people = tuple(Person(f"p{i}", "police", frozenset(), 40) for i in range(4))
    problem = RosterProblem(
        hours=48,
        people=people,
        demands=tuple(Need("gate", h, "police", 1) for h in sorted(nights)),
        rules=RosterRules(shift_lengths=(2, 4, 8), start_step=2),
        night_hours=nights,
        time_limit_s=5,
        workers=1,
    )
    greedy = greedy_roster(problem)
    assert check_roster(problem, greedy.shifts) == []

    def night_load(result) -> list[int]:
        load = dict.fromkeys((p.id for p in people), 0)
        for shift in result.shifts:
            load[shift.person] += sum(1 for h in range(shift.start, shift.end) if h in nights)
        return sorted(load.values())

    fair = solve_roster(problem)
    unfair = solve_roster(replace(problem, weights=Weights(fairness=0)))
    for result in (fair, unfair):
        assert check_roster(problem, result.shifts) == [] and result.coverage_ratio == 1.0
        assert result.stats.proven_optimal
    assert night_load(fair) == [4, 4, 4, 4]  # each one's share: 16 hours * 40 / 160
    assert fair.coverage_ratio >= greedy.coverage_ratio


@st.composite
def roster_problems(draw):
    hours = draw(st.sampled_from([24, 36, 48]))
    skills = ("patrol", "k9", "traffic")
    people = []
    for i in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, hours - 1))
        absences = (Window(start, start + draw(st.integers(1, 24))),) if draw(st.booleans()) else ()
        c = draw(st.integers(0, hours - 1))
        committed = (
            (Window(c, min(hours, c + draw(st.integers(1, 8)))),) if draw(st.booleans()) else ()
        )
        people.append(
            Person(
                f"p{i}",
                draw(st.sampled_from(["police", "health"])),
                draw(st.frozensets(st.sampled_from(skills), max_size=2)),
                draw(st.sampled_from([16, 24, 40])),
                draw(st.sampled_from([None, "x", "y"])),
                absences,
                committed,
            )
        )
    demands = []
    for post in ("a", "b"):
        agency = draw(st.sampled_from(["police", "health"]))
        skill = draw(st.sampled_from(("", *skills)))
        first = draw(st.integers(0, hours - 1))
        for hour in range(first, min(hours, first + draw(st.integers(1, 30)))):
            demands.append(Need(post, hour, agency, draw(st.integers(1, 2)), skill, "x"))
    rules = RosterRules(
        max_shift_hours=draw(st.sampled_from([8, 12])),
        min_rest_hours=draw(st.sampled_from([8, 12])),
        overtime_hours=draw(st.sampled_from([0, 4])),
        week_hours=draw(st.sampled_from([24, 168])),
        shift_lengths=draw(st.sampled_from([(8,), (6, 8, 12), (4, 12)])),
        start_step=draw(st.sampled_from([1, 2, 4])),
    )
    return RosterProblem(
        hours=hours,
        people=tuple(people),
        demands=tuple(demands),
        rules=rules,
        night_hours=night_hours(hours),
        holiday_hours=frozenset(range(hours // 2)),
        time_limit_s=2,
        workers=1,
    )


@settings(max_examples=30, deadline=None)
@given(roster_problems())
def test_every_roster_keeps_every_hard_rule(problem: RosterProblem) -> None:
    for result in (solve_roster(problem), greedy_roster(problem)):
        assert check_roster(problem, result.shifts) == []
        assert result.staffed_person_hours <= result.needed_person_hours


@settings(max_examples=20, deadline=None)
@given(roster_problems(), st.data())
def test_replanning_keeps_the_past(problem: RosterProblem, data) -> None:
    before = solve_roster(problem).shifts
    at = data.draw(st.integers(0, problem.hours - 1))
    sick = data.draw(st.sampled_from([p.id for p in problem.people]))
    after = replan(problem, before, at=at, sick=[sick])
    kept = {s for s in before if s.person != sick and s.start < at}
    assert kept <= set(after.shifts)
    assert all(s.end <= at for s in after.shifts if s.person == sick)
    assert all(
        s in before or s.start >= at or (s.person == sick and s.end == at) for s in after.shifts
    )
    sick_problem = replace(
        problem,
        people=tuple(
            replace(p, absences=(*p.absences, Window(at, problem.hours))) if p.id == sick else p
            for p in problem.people
        ),
    )
    assert check_roster(sick_problem, after.shifts) == []
