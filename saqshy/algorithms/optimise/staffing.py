"""Stage one: how many people of each agency and skill staff each post in each hour.

The region's needs (post, hour, agency, skill, people) are met from pools of available people
(agency, hour, skill set, home district, count). One person counts once per hour even if they
hold several skills, so a pool serves any need whose skill is in its set (or that asks for no
particular skill). Minimised, lexicographically through the weights: the short person-hours,
each weighted by its need's priority, then the person-hours staffed from another district.

**Decomposition.** Without hour budgets, different hours and different agencies share nothing,
so the region splits into one small transportation problem per agency and hour, each solved
to proven optimality in milliseconds. A :class:`HoursBudget` (people-hours an agency can give
over a span, the way shifts tie hours together) couples the hours of its agency, which is then
solved as one problem. Needs that are interchangeable for the objective (same agency, hour,
skill, district and priority) are merged into one demand class before solving and split back
across their posts afterwards (largest remainder on the people asked for), which leaves the
optimum unchanged and makes the models a few hundred variables each. A class's people go back to
its posts one per post first, then in proportion to what each still needs, so a shortage leaves
as few posts empty as the class allows (the greedy baseline, first come first served, empties
the posts it reaches last).

**Why a post-hour stays short.** At an optimum no augmenting path reaches a short demand class,
so the alternating search from it (pools that can serve it, the classes those pools already
serve, their pools …) finds a set of needs whose pools are all exhausted: a Hall violator.
:class:`ShortReason` reports it in numbers — the agency, the hour, the skills asked for, the
people able to serve them and the people they need — or names the binding hour budget.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from saqshy.algorithms.optimise.common import (
    FEASIBLE,
    GREEDY,
    OPTIMAL,
    SolveStats,
    solve,
    worst_status,
)

CAPACITY = "capacity"  # every person able to serve these needs at that hour is already used
BUDGET = "budget"  # people are there, but the agency's hour budget for the span is spent
UNRESOLVED = "unresolved"  # the solver stopped before proving that nothing more fits


@dataclass(frozen=True)
class Need:
    """``people`` of ``agency`` (with ``skill``; ``""`` means any member) at ``post`` during
    ``hour`` (an index from the start of the horizon). ``priority`` weighs a short
    person-hour against other needs (higher is met first). Readiness reserves are needs too,
    at a post the caller names for the reserve."""

    post: str
    hour: int
    agency: str
    people: int
    skill: str = ""
    district: str | None = None
    priority: int = 1


@dataclass(frozen=True)
class Pool:
    """``people`` of ``agency`` with exactly these ``skills``, free to work in ``hour``
    (headcount minus absences, the caller's choice of shift availability)."""

    agency: str
    hour: int
    people: int
    skills: frozenset[str] = frozenset()
    district: str | None = None


@dataclass(frozen=True)
class HoursBudget:
    """At most ``people_hours`` of ``agency`` staffed over hours ``first_hour`` to
    ``end_hour`` (exclusive): how shifts tie the hours of a day together."""

    agency: str
    first_hour: int
    end_hour: int
    people_hours: int


@dataclass(frozen=True)
class StaffingProblem:
    hours: int
    needs: tuple[Need, ...]
    pools: tuple[Pool, ...]
    budgets: tuple[HoursBudget, ...] = ()
    district_mismatch_cost: int = 1
    time_limit_s: float = 10.0
    workers: int = 1


@dataclass(frozen=True)
class Staffing:
    """``people`` of ``agency`` serving as ``skill`` at ``post`` in ``hour``, drawn from
    ``district`` (the home district of their pool)."""

    post: str
    hour: int
    agency: str
    skill: str
    district: str | None
    people: int


@dataclass(frozen=True)
class ShortReason:
    """Why needs stay short: at ``hour``, ``available`` people of ``agency`` can serve the
    needs for ``skills`` (``""`` is "any skill") at ``posts``, which together ask for
    ``needed``. For ``kind == BUDGET`` the people exist but ``budget`` is spent."""

    kind: str
    agency: str
    hour: int
    skills: tuple[str, ...]
    available: int
    needed: int
    posts: tuple[str, ...]
    budget: HoursBudget | None = None

    def describe(self) -> str:
        """An English sentence for logs and benchmarks; the app formats its own, translated,
        from the fields."""
        skills = ", ".join(skill or "any" for skill in self.skills)
        if self.kind == BUDGET and self.budget is not None:
            return (
                f"agency {self.agency} has spent its {self.budget.people_hours} people-hours "
                f"for hours {self.budget.first_hour}-{self.budget.end_hour}"
            )
        if self.kind == UNRESOLVED:
            return f"not proven: the solver stopped before resolving hour {self.hour}"
        return (
            f"agency {self.agency} has {self.available} people with skill {skills} "
            f"at hour {self.hour}, posts need {self.needed}"
        )


@dataclass(frozen=True)
class Shortfall:
    post: str
    hour: int
    agency: str
    skill: str
    needed: int
    staffed: int
    reason: ShortReason

    @property
    def short(self) -> int:
        return self.needed - self.staffed


@dataclass(frozen=True)
class StaffingResult:
    staffing: tuple[Staffing, ...]
    shortfalls: tuple[Shortfall, ...]
    stats: SolveStats
    needed_person_hours: int
    staffed_person_hours: int

    @property
    def coverage(self) -> float:
        """Share of the needed person-hours that are staffed (1.0 with no needs)."""
        if not self.needed_person_hours:
            return 1.0
        return self.staffed_person_hours / self.needed_person_hours


@dataclass(frozen=True)
class _Class:
    agency: str
    hour: int
    skill: str
    district: str | None
    priority: int


@dataclass(frozen=True)
class _PoolKey:
    agency: str
    hour: int
    skills: frozenset[str]
    district: str | None


@dataclass
class _Component:
    classes: list[_Class] = field(default_factory=list)
    pools: list[_PoolKey] = field(default_factory=list)


def _serves(pool: _PoolKey, klass: _Class) -> bool:
    return not klass.skill or klass.skill in pool.skills


def _classes_and_pools(
    problem: StaffingProblem,
) -> tuple[dict[_Class, list[Need]], dict[_PoolKey, int]]:
    classes: dict[_Class, list[Need]] = defaultdict(list)
    for need in problem.needs:
        if need.people <= 0:
            continue
        if not 0 <= need.hour < problem.hours:
            raise ValueError(f"need at hour {need.hour} lies outside the horizon")
        key = _Class(need.agency, need.hour, need.skill, need.district, max(1, need.priority))
        classes[key].append(need)
    pools: dict[_PoolKey, int] = defaultdict(int)
    for pool in problem.pools:
        if pool.people > 0:
            pools[_PoolKey(pool.agency, pool.hour, pool.skills, pool.district)] += pool.people
    return classes, pools


def _components(
    problem: StaffingProblem, classes: Iterable[_Class], pools: Iterable[_PoolKey]
) -> dict[tuple[str, int], _Component]:
    """Sub-problems keyed by (agency, hour), or (agency, -1) for an agency with budgets."""
    budgeted = {budget.agency for budget in problem.budgets}
    components: dict[tuple[str, int], _Component] = defaultdict(_Component)
    for klass in classes:
        hour = -1 if klass.agency in budgeted else klass.hour
        components[(klass.agency, hour)].classes.append(klass)
    for pool in pools:
        hour = -1 if pool.agency in budgeted else pool.hour
        if (pool.agency, hour) in components:
            components[(pool.agency, hour)].pools.append(pool)
    return components


def solve_staffing(problem: StaffingProblem) -> StaffingResult:
    """Staff every need the pools allow, proving optimality per sub-problem."""
    started = time.perf_counter()
    classes, pools = _classes_and_pools(problem)
    demand = {klass: sum(need.people for need in needs) for klass, needs in classes.items()}
    posts = {klass: len(needs) for klass, needs in classes.items()}
    flows: dict[tuple[_PoolKey, _Class], int] = {}
    statuses: list[str] = []
    objective = bound = 0.0
    components = _components(problem, classes, pools)
    unresolved: set[tuple[str, int]] = set()
    deadline = started + problem.time_limit_s
    for _key, component in sorted(components.items(), key=lambda item: item[0]):
        status, comp_objective, comp_bound, comp_flows = _solve_component(
            problem, component, pools, demand, deadline - time.perf_counter(), posts
        )
        statuses.append(status)
        objective += comp_objective
        bound += comp_bound
        flows.update(comp_flows)
        if status != OPTIMAL:
            unresolved.update((klass.agency, klass.hour) for klass in component.classes)
    covered: dict[_Class, list[tuple[str | None, int]]] = defaultdict(list)
    for (pool, klass), amount in flows.items():
        if amount:
            covered[klass].append((pool.district, amount))
    staffing, shortfalls = _split_back(problem, classes, pools, flows, covered, unresolved)
    stats = SolveStats(
        status=worst_status(statuses),
        objective=objective,
        best_bound=bound,
        wall_time_s=time.perf_counter() - started,
        subproblems=len(components),
    )
    result = _result(staffing, shortfalls, stats, problem)
    if any(status not in (OPTIMAL, FEASIBLE) for status in statuses):
        # A sub-problem found nothing within the limit (a loaded machine, a huge region): its
        # needs would stay unstaffed. The greedy staffing, labelled as the heuristic it is,
        # when it staffs at least as much.
        greedy = greedy_staffing(problem)
        if greedy.staffed_person_hours >= result.staffed_person_hours:
            elapsed = time.perf_counter() - started
            return replace(greedy, stats=replace(greedy.stats, wall_time_s=elapsed))
    return result


def _result(
    staffing: list[Staffing],
    shortfalls: list[Shortfall],
    stats: SolveStats,
    problem: StaffingProblem,
) -> StaffingResult:
    needed = sum(need.people for need in problem.needs if need.people > 0)
    return StaffingResult(
        staffing=tuple(staffing),
        shortfalls=tuple(shortfalls),
        stats=stats,
        needed_person_hours=needed,
        staffed_person_hours=sum(row.people for row in staffing),
    )


def _solve_component(
    problem: StaffingProblem,
    component: _Component,
    pools: dict[_PoolKey, int],
    demand: dict[_Class, int],
    time_left: float,
    posts: dict[_Class, int] | None = None,
) -> tuple[str, float, float, dict[tuple[_PoolKey, _Class], int]]:
    model = cp_model.CpModel()
    pools_by_hour: dict[int, list[_PoolKey]] = defaultdict(list)
    for pool in component.pools:
        pools_by_hour[pool.hour].append(pool)
    edges: dict[tuple[_PoolKey, _Class], cp_model.IntVar] = {}
    for klass in component.classes:
        for pool in pools_by_hour[klass.hour]:
            if _serves(pool, klass):
                upper = min(pools[pool], demand[klass])
                edges[(pool, klass)] = model.new_int_var(0, upper, "")
    into: dict[_Class, list[cp_model.IntVar]] = defaultdict(list)
    out_of: dict[_PoolKey, list[cp_model.IntVar]] = defaultdict(list)
    for (pool, klass), var in edges.items():
        into[klass].append(var)
        out_of[pool].append(var)
    for pool, variables in out_of.items():
        model.add(sum(variables) <= pools[pool])
    shorts: list[tuple[_Class, cp_model.IntVar]] = []
    for klass in component.classes:
        short = model.new_int_var(0, demand[klass], "")
        model.add(sum(into[klass]) + short == demand[klass])
        shorts.append((klass, short))
    agency = component.classes[0].agency
    for budget in problem.budgets:
        if budget.agency != agency:
            continue
        within = [
            var
            for (pool, _klass), var in edges.items()
            if budget.first_hour <= pool.hour < budget.end_hour
        ]
        if within:
            model.add(sum(within) <= budget.people_hours)
    mismatch = [
        var
        for (pool, klass), var in edges.items()
        if klass.district is not None and pool.district != klass.district
    ]
    # Short person-hours (by priority) first, then posts left with nobody, then district
    # mismatch. ``empty`` counts a class's posts that its people cannot give one
    # person each (they go back one per post first, see ``_presence_first``): a convex cost on
    # the class's inflow, so the model stays a network flow.
    empties = []
    for klass, short in shorts:
        count = min((posts or {}).get(klass, 0), demand[klass])
        if count >= 1:
            empty = model.new_int_var(0, count, "")
            model.add(empty >= short - (demand[klass] - count))
            empties.append(empty)
    # One short person-hour outweighs any amount of district mismatch, and an empty post
    # too: one more person can man at most one empty post, so a short person-hour at twice
    # the cost of an empty post is never traded for emptier posts.
    big = 1 + problem.district_mismatch_cost * sum(pools[pool] for pool in component.pools)
    model.minimize(
        sum(2 * big * klass.priority * short for klass, short in shorts)
        + big * sum(empties)
        + problem.district_mismatch_cost * sum(mismatch)
    )
    solver, status = solve(model, time_limit_s=time_left, workers=problem.workers, network=True)
    if status not in (OPTIMAL, FEASIBLE):
        return status, 0.0, 0.0, {}
    values = {key: int(solver.value(var)) for key, var in edges.items()}
    return status, solver.objective_value, solver.best_objective_bound, values


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` (at most ``sum(weights)``) in proportion to ``weights``."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _presence_first(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` (at most ``sum(weights)``) so that first every post gets one person
    (the largest needs first while people last), then the rest in proportion to what each
    still needs: no post is left empty while another has more than one."""
    order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    base = [0] * len(weights)
    for i in order[:total]:
        if weights[i] > 0:
            base[i] = 1
    extra = _largest_remainder(
        total - sum(base), [w - b for w, b in zip(weights, base, strict=True)]
    )
    return [b + e for b, e in zip(base, extra, strict=True)]


def _split_back(
    problem: StaffingProblem,
    classes: dict[_Class, list[Need]],
    pools: dict[_PoolKey, int],
    flows: dict[tuple[_PoolKey, _Class], int],
    covered: dict[_Class, list[tuple[str | None, int]]],
    unresolved: set[tuple[str, int]],
) -> tuple[list[Staffing], list[Shortfall]]:
    staffing: list[Staffing] = []
    shortfalls: list[Shortfall] = []
    reasons: dict[_Class, ShortReason] = {}
    for klass, needs in sorted(classes.items(), key=lambda item: _class_order(item[0])):
        # Same-district people first, so the split keeps them at their own district's posts.
        sources = sorted(covered.get(klass, []), key=lambda s: (s[0] != klass.district, str(s[0])))
        total = sum(amount for _district, amount in sources)
        shares = _presence_first(total, [need.people for need in needs])
        cursor = 0
        for need, share in zip(needs, shares, strict=True):
            left = share
            while left:
                district, amount = sources[cursor]
                take = min(left, amount)
                staffing.append(
                    Staffing(need.post, need.hour, need.agency, need.skill, district, take)
                )
                left -= take
                if take == amount:
                    cursor += 1
                else:
                    sources[cursor] = (district, amount - take)
            if share < need.people:
                if klass not in reasons:
                    reasons[klass] = _reason(problem, klass, classes, pools, flows, unresolved)
                shortfalls.append(
                    Shortfall(
                        need.post,
                        need.hour,
                        need.agency,
                        need.skill,
                        need.people,
                        share,
                        reasons[klass],
                    )
                )
    return staffing, shortfalls


def _class_order(klass: _Class) -> tuple[int, str, str, str, int]:
    return (klass.hour, klass.agency, klass.skill, str(klass.district), -klass.priority)


def _reason(
    problem: StaffingProblem,
    short: _Class,
    classes: dict[_Class, list[Need]],
    pools: dict[_PoolKey, int],
    flows: dict[tuple[_PoolKey, _Class], int],
    unresolved: set[tuple[str, int]],
) -> ShortReason:
    """The alternating search from a short class (see the module docstring)."""
    if (short.agency, short.hour) in unresolved:
        return ShortReason(UNRESOLVED, short.agency, short.hour, (short.skill,), 0, 0, ())
    hour_pools = [p for p in pools if p.agency == short.agency and p.hour == short.hour]
    hour_classes = [k for k in classes if k.agency == short.agency and k.hour == short.hour]
    reached_classes = {short}
    reached_pools: set[_PoolKey] = set()
    frontier = [short]
    while frontier:
        klass = frontier.pop()
        for pool in hour_pools:
            if pool in reached_pools or not _serves(pool, klass):
                continue
            reached_pools.add(pool)
            for other in hour_classes:
                if other not in reached_classes and flows.get((pool, other), 0) > 0:
                    reached_classes.add(other)
                    frontier.append(other)
    used = dict.fromkeys(reached_pools, 0)
    for (pool, _klass), amount in flows.items():
        if pool in used:
            used[pool] += amount
    skills = tuple(sorted({klass.skill for klass in reached_classes}))
    posts = tuple(sorted({need.post for klass in reached_classes for need in classes[klass]}))
    available = sum(pools[pool] for pool in reached_pools)
    needed = sum(need.people for klass in reached_classes for need in classes[klass])
    if all(used[pool] >= pools[pool] for pool in reached_pools):
        return ShortReason(CAPACITY, short.agency, short.hour, skills, available, needed, posts)
    budget = next(
        (
            b
            for b in problem.budgets
            if b.agency == short.agency and b.first_hour <= short.hour < b.end_hour
        ),
        None,
    )
    return ShortReason(BUDGET, short.agency, short.hour, skills, available, needed, posts, budget)


def greedy_staffing(problem: StaffingProblem) -> StaffingResult:
    """The baseline a planner would get from a spreadsheet: needs in the given order take
    people first-come from the first pool that can serve them (own district first), with no
    look-ahead at what the multi-skilled people are needed for elsewhere."""
    started = time.perf_counter()
    left: dict[tuple[str, int, frozenset[str], str | None], int] = defaultdict(int)
    for pool in problem.pools:
        left[(pool.agency, pool.hour, pool.skills, pool.district)] += max(0, pool.people)
    by_hour: dict[tuple[str, int], list[tuple[str, int, frozenset[str], str | None]]] = defaultdict(
        list
    )
    for key in left:
        by_hour[(key[0], key[1])].append(key)
    budget_left = {budget: budget.people_hours for budget in problem.budgets}
    staffing: list[Staffing] = []
    shortfalls: list[Shortfall] = []
    for need in problem.needs:
        if need.people <= 0:
            continue
        budgets = [
            b
            for b in budget_left
            if b.agency == need.agency and b.first_hour <= need.hour < b.end_hour
        ]
        wanted = min([need.people, *(budget_left[b] for b in budgets)])
        got = 0
        candidates = sorted(
            by_hour[(need.agency, need.hour)], key=lambda key: key[3] != need.district
        )
        for key in candidates:
            if got == wanted:
                break
            if need.skill and need.skill not in key[2]:
                continue
            take = min(wanted - got, left[key])
            if take:
                left[key] -= take
                got += take
                staffing.append(
                    Staffing(need.post, need.hour, need.agency, need.skill, key[3], take)
                )
        for budget in budgets:
            budget_left[budget] -= got
        if got < need.people:
            reason = ShortReason(
                CAPACITY, need.agency, need.hour, (need.skill,), got, need.people, (need.post,)
            )
            shortfalls.append(
                Shortfall(need.post, need.hour, need.agency, need.skill, need.people, got, reason)
            )
    stats = SolveStats(GREEDY, 0.0, 0.0, time.perf_counter() - started)
    return _result(staffing, shortfalls, stats, problem)
