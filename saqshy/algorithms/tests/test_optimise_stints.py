"""Minimum stints at posts, post hops, the shared roster score (``score_roster``), and stage
one leaving no post empty while another has more than one."""

from __future__ import annotations

from saqshy.algorithms.optimise import (
    Need,
    Person,
    Pool,
    RosterProblem,
    RosterRules,
    Shift,
    StaffingProblem,
    greedy_roster,
    solve_roster,
    solve_staffing,
)
from saqshy.algorithms.optimise.score import score_roster


def _problem(**overrides) -> RosterProblem:
    people = (Person("ann", "police", frozenset(), 40, "yesil"),)
    defaults = {
        "hours": 12,
        "people": people,
        "demands": (),
        "rules": RosterRules(shift_lengths=(8,), min_rest_hours=4),
        "time_limit_s": 5,
        "workers": 1,
    }
    defaults.update(overrides)
    return RosterProblem(**defaults)


def test_score_counts_hops_short_stints_reserve_and_unmet() -> None:
    demands = tuple(Need("a", h, "police", 1, "", "yesil") for h in range(2, 10)) + tuple(
        Need("b", h, "police", 1, "", "yesil") for h in range(2, 10)
    )
    problem = _problem(
        people=(
            Person("ann", "police", frozenset(), 40, "yesil"),
            Person("bek", "police", frozenset(), 40, "nura"),
        ),
        demands=demands,
    )
    shifts = [
        Shift("ann", "a", 2, 3),  # one hour at a: a short stint
        Shift("ann", "b", 3, 6),
        Shift("ann", None, 6, 7),  # the reserve between b and a hides no move
        Shift("ann", "a", 7, 10),
        Shift("bek", "b", 2, 10),  # away from home for 8 hours, never moved
    ]
    score = score_roster(problem, shifts)
    assert score.post_hops == 2
    assert score.short_stints == 1
    assert score.reserve_hours == 1
    assert score.duty_hours == 16
    assert score.away_hours == 8
    # While ann is at b (03:00-06:00, beside bek) and in the reserve (06:00), a has nobody.
    assert score.unmet_person_hours == 4 and score.short_post_hours == 4
    w = problem.weights
    assert score.total == (
        w.short * 4 + w.hop * 2 + w.short_stint * 1 + w.home_district * 8 + w.hour * 16
    )
    # A stay cut by the horizon, or a whole duty period under the minimum, is no short stint.
    cut = [Shift("ann", "a", 0, 1), Shift("ann", "b", 1, 8)]
    assert score_roster(problem, cut).short_stints == 0
    assert score_roster(problem, [Shift("ann", "a", 4, 5)]).short_stints == 0


def test_an_officer_goes_to_the_post_that_needs_them_for_a_whole_stint() -> None:
    # At 02:00 two posts of the same kind each need one officer: "blip" for one hour,
    # "gate" for eight. Only ann is there. Sending her to "blip" first would move her after an
    # hour; both choices leave one person-hour uncovered, so she goes to "gate" and stays.
    demands = (
        Need("blip", 2, "police", 1, "", "yesil"),
        *(Need("gate", h, "police", 1, "", "yesil") for h in range(2, 10)),
    )
    problem = _problem(demands=demands)
    for roster in (greedy_roster(problem), solve_roster(problem)):
        score = score_roster(problem, roster.shifts)
        assert score.unmet_person_hours == 1
        assert score.post_hops == 0 and score.short_stints == 0, roster.shifts
        assert [(s.post, s.start, s.end) for s in roster.shifts if s.post] == [("gate", 2, 10)]


def test_whoever_arrived_last_keeps_their_post_when_a_post_sheds_people() -> None:
    # The gate needs one officer from 02:00 to 11:00 and a second at 03:00; the door needs one
    # from 04:00 to 10:00. Ann comes at 02:00, Bek at 03:00. At 04:00 one of them must leave
    # the gate for the door: Ann, who has been there two hours, not Bek after one.
    demands = (
        *(Need("gate", h, "police", 2 if h == 3 else 1, "", "yesil") for h in range(2, 11)),
        *(Need("door", h, "police", 1, "", "yesil") for h in range(4, 10)),
    )
    people = (
        Person("ann", "police", frozenset(), 40, "yesil"),
        Person("bek", "police", frozenset(), 40, "yesil"),
    )
    problem = _problem(
        hours=14,
        people=people,
        demands=demands,
        rules=RosterRules(shift_lengths=(8,), min_rest_hours=4, start_step=1),
    )
    for roster in (greedy_roster(problem), solve_roster(problem)):
        score = score_roster(problem, roster.shifts)
        assert score.unmet_person_hours == 0
        assert score.short_stints == 0, roster.shifts


def test_stage_one_leaves_no_post_empty_while_another_has_more_than_one() -> None:
    # Three posts of one kind need 4, 1 and 1 paramedics in hour 0; three are free. Shared in
    # proportion (2, 1, 0) one post would have nobody; one each leaves every post manned.
    needs = (
        Need("stadium", 0, "health", 4, "paramedic", "yesil"),
        Need("fair", 0, "health", 1, "paramedic", "yesil"),
        Need("school", 0, "health", 1, "paramedic", "yesil"),
    )
    pools = (Pool("health", 0, 3, frozenset({"paramedic"}), "yesil"),)
    problem = StaffingProblem(hours=1, needs=needs, pools=pools)
    result = solve_staffing(problem)
    staffed = dict.fromkeys(("stadium", "fair", "school"), 0)
    for row in result.staffing:
        staffed[row.post] += row.people
    assert staffed == {"stadium": 1, "fair": 1, "school": 1}
    assert result.coverage == 0.5
    # The same shortage across two kinds of need competing for the same people: the solver
    # leaves one post empty at most, not two.
    needs = (
        Need("stadium", 0, "health", 2, "paramedic", "yesil"),
        Need("fair", 0, "health", 1, "", "yesil"),
        Need("school", 0, "health", 1, "", "yesil"),
    )
    pools = (Pool("health", 0, 2, frozenset({"paramedic"}), "yesil"),)
    result = solve_staffing(StaffingProblem(hours=1, needs=needs, pools=pools))
    manned = {row.post for row in result.staffing if row.people}
    assert len(manned) == 2 and result.coverage == 0.5
