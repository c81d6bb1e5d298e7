from __future__ import annotations

from collections import defaultdict

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.optimise import (
    HoursBudget,
    Need,
    Pool,
    StaffingProblem,
    greedy_staffing,
    solve_staffing,
)
from saqshy.algorithms.optimise.staffing import BUDGET, CAPACITY


def _staffed(result, post, hour=0):
    return sum(row.people for row in result.staffing if row.post == post and row.hour == hour)


def test_short_post_hour_names_the_numbers() -> None:
    problem = StaffingProblem(
        hours=24,
        needs=(
            Need("square", 23, "police", 10, "k9"),
            Need("stadium", 23, "police", 5, "k9"),
            Need("square", 22, "police", 10, "k9"),
        ),
        pools=(
            Pool("police", 23, 12, frozenset({"k9"})),
            Pool("police", 22, 12, frozenset({"k9"})),
        ),
    )
    result = solve_staffing(problem)
    assert result.stats.proven_optimal and result.stats.gap == 0
    assert result.staffed_person_hours == 12 + 10
    assert {(s.post, s.hour) for s in result.shortfalls} <= {("square", 23), ("stadium", 23)}
    assert sum(s.short for s in result.shortfalls) == 3
    reason = result.shortfalls[0].reason
    assert (reason.kind, reason.agency, reason.hour) == (CAPACITY, "police", 23)
    assert (reason.available, reason.needed, reason.skills) == (12, 15, ("k9",))
    assert reason.posts == ("square", "stadium")
    assert (
        reason.describe() == "agency police has 12 people with skill k9 at hour 23, posts need 15"
    )
    # Shortage is shared in proportion to the needs, not left on one post.
    assert (_staffed(result, "square", 23), _staffed(result, "stadium", 23)) == (8, 4)


def test_solver_uses_multi_skilled_people_where_only_they_fit_and_greedy_does_not() -> None:
    problem = StaffingProblem(
        hours=1,
        needs=(Need("gate", 0, "police", 1, "patrol"), Need("gate", 0, "police", 1, "k9")),
        pools=(
            Pool("police", 0, 1, frozenset({"patrol", "k9"})),
            Pool("police", 0, 1, frozenset({"patrol"})),
        ),
    )
    assert solve_staffing(problem).coverage == 1.0
    greedy = greedy_staffing(problem)
    assert greedy.coverage == 0.5
    assert [(s.skill, s.short) for s in greedy.shortfalls] == [("k9", 1)]


def test_own_district_first_and_priority_when_short() -> None:
    problem = StaffingProblem(
        hours=1,
        needs=(
            Need("school", 0, "police", 2, "", "yesil", priority=1),
            Need("embassy", 0, "police", 2, "", "yesil", priority=5),
        ),
        pools=(Pool("police", 0, 2, district="nura"), Pool("police", 0, 1, district="yesil")),
    )
    result = solve_staffing(problem)
    assert _staffed(result, "embassy") == 2 and _staffed(result, "school") == 1
    assert result.stats.objective > 0
    from_own = sum(r.people for r in result.staffing if r.district == "yesil")
    assert from_own == 1  # all of Yesil's people used; the rest come from Nura


def test_hour_budget_ties_hours_and_is_named() -> None:
    budget = HoursBudget("health", 0, 3, 4)
    problem = StaffingProblem(
        hours=3,
        needs=tuple(Need("fair", h, "health", 2, "paramedic") for h in range(3)),
        pools=tuple(Pool("health", h, 5, frozenset({"paramedic"})) for h in range(3)),
        budgets=(budget,),
    )
    result = solve_staffing(problem)
    assert result.stats.proven_optimal and result.stats.subproblems == 1
    assert result.staffed_person_hours == 4
    assert {s.reason.kind for s in result.shortfalls} == {BUDGET}
    assert result.shortfalls[0].reason.budget == budget


SKILLS = ("", "patrol", "k9", "traffic")


@st.composite
def staffing_problems(draw):
    hours = draw(st.integers(1, 3))
    agencies = ("police", "health")
    needs = draw(
        st.lists(
            st.builds(
                Need,
                post=st.sampled_from(["a", "b", "c", "d"]),
                hour=st.integers(0, hours - 1),
                agency=st.sampled_from(agencies),
                people=st.integers(0, 6),
                skill=st.sampled_from(SKILLS),
                district=st.sampled_from([None, "x", "y"]),
                priority=st.integers(1, 3),
            ),
            max_size=12,
        )
    )
    pools = draw(
        st.lists(
            st.builds(
                Pool,
                agency=st.sampled_from(agencies),
                hour=st.integers(0, hours - 1),
                people=st.integers(0, 6),
                skills=st.frozensets(st.sampled_from(SKILLS[1:]), max_size=3),
                district=st.sampled_from([None, "x", "y"]),
            ),
            max_size=8,
        )
    )
    return StaffingProblem(hours=hours, needs=tuple(needs), pools=tuple(pools), time_limit_s=5)


def _max_flow(problem: StaffingProblem, agency: str, hour: int) -> int:
    graph = nx.DiGraph()
    for i, pool in enumerate(problem.pools):
        if pool.agency == agency and pool.hour == hour:
            graph.add_edge("source", ("pool", i), capacity=pool.people)
            for j, need in enumerate(problem.needs):
                same = need.agency == agency and need.hour == hour
                if same and (not need.skill or need.skill in pool.skills):
                    graph.add_edge(("pool", i), ("need", j), capacity=10**6)
    for j, need in enumerate(problem.needs):
        if need.agency == agency and need.hour == hour:
            graph.add_edge(("need", j), "sink", capacity=need.people)
    if "source" not in graph or "sink" not in graph:
        return 0
    return int(nx.maximum_flow_value(graph, "source", "sink"))


@settings(max_examples=60, deadline=None)
@given(staffing_problems())
def test_never_short_where_capacity_allows(problem: StaffingProblem) -> None:
    result = solve_staffing(problem)
    assert result.stats.proven_optimal
    staffed: dict[tuple[str, int], int] = defaultdict(int)
    for row in result.staffing:
        staffed[(row.agency, row.hour)] += row.people
    keys = {(n.agency, n.hour) for n in problem.needs}
    for agency, hour in keys:
        assert staffed[(agency, hour)] == _max_flow(problem, agency, hour)
    # No post-hour gets more than it asked for, and each pool gives at most what it has.
    asked: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for need in problem.needs:
        asked[(need.post, need.hour, need.agency, need.skill)] += need.people
    got: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for row in result.staffing:
        got[(row.post, row.hour, row.agency, row.skill)] += row.people
    assert all(got[key] <= asked[key] for key in got)
    for shortfall in result.shortfalls:
        reason = shortfall.reason
        assert reason.kind == CAPACITY and reason.available < reason.needed
        # Every person able to serve any of the named skills at that hour is counted.
        able = sum(
            pool.people
            for pool in problem.pools
            if pool.agency == reason.agency
            and pool.hour == reason.hour
            and ("" in reason.skills or pool.skills & set(reason.skills))
        )
        assert reason.available == able
    assert greedy_staffing(problem).staffed_person_hours <= result.staffed_person_hours


def test_no_time_left_gives_the_greedy_staffing_labelled_as_such(monkeypatch) -> None:
    """A sub-problem the solver cannot finish in time must not leave its posts empty."""
    from saqshy.algorithms.optimise import staffing

    # What CP-SAT answers when the limit runs out before a first solution: UNKNOWN, no flows.
    monkeypatch.setattr(staffing, "_solve_component", lambda *args: ("UNKNOWN", 0.0, 0.0, {}))
    needs = tuple(Need(f"post-{h}", h, "police", 2, "patrol") for h in range(6))
    pools = tuple(Pool("police", h, 3, frozenset({"patrol"})) for h in range(6))
    problem = StaffingProblem(hours=6, needs=needs, pools=pools, time_limit_s=1.0)
    result = solve_staffing(problem)
    assert result.stats.status == "GREEDY"
    assert result.coverage == greedy_staffing(problem).coverage == 1.0
