"""Stage two: individual rosters for one district, the greedy baseline, and re-planning.

**Formulation.** Each person gets a boolean per candidate duty period (a start every
``start_step`` hours and each allowed length, plus their periods in ``previous``), kept only
where it overlaps no absence, keeps the rest around fixed shifts and committed windows, fits
the weekly hours and covers some hour the person could serve. Shift length holds by
construction. Rest holds through one at-most-one constraint per person and start time: two
periods conflict exactly when their intervals *extended by the rest* intersect, and intervals
pairwise intersect when they share a point, so the cliques are tight. Weekly hours are one
linear constraint per person and week.

Coverage is counted on *segments* (the hours between consecutive start/end points of the
candidates, two hours with the default grid) because the set of people on duty is constant
inside one. People with the same agency, skill set and home district form a group; per segment
an integer flow sends the group's on-duty count to demand classes (agency, skill, post
district, priority) it can serve, with a short variable per class. The objective adds short
person-hours (weighted by priority), duty periods changed against ``previous``, night and
holiday hours above each person's fair share (proportional to contracted hours), person-hours
away from the home district and a small cost per hour on duty. The greedy roster is given as
a hint, so the solver starts from the baseline and improves it.

Afterwards, people are put at posts hour by hour: each stays at the post of the previous hour
(or of the previous roster) while it still needs them, so shifts mostly stay at one post.
Whoever must move goes to a post that keeps needing people for a whole minimum stint
(``RosterRules.min_stint_hours``) where there is one, and when a post sheds people, whoever
arrived last stays, so nobody is moved on after an hour unless a post would stay short.

**Moves.** The model counts, per group and segment boundary, a lower bound on the people who
change class (or go to or leave the reserve) inside a duty period — increases of the classes
minus the people starting duty — at ``weights.hop`` each. It does not see posts: people of one
class are put at posts afterwards. So the solver's roster, put at posts, is scored against the
greedy roster it was hinted with by the one yardstick both share (:func:`.score.score_roster`:
shortage, changes, post hops, short stints, fairness, home district, hours); if the greedy
roster scores better, that one is returned, labelled ``GREEDY``. The solver never hands back a
roster worse than the baseline on that score.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise

from ortools.sat.python import cp_model

from saqshy.algorithms.optimise.common import FEASIBLE, GREEDY, OPTIMAL, SolveStats, solve
from saqshy.algorithms.optimise.model import (
    Coverage,
    Person,
    RosterProblem,
    RosterResult,
    Shift,
    Window,
    duty_periods,
)
from saqshy.algorithms.optimise.roster_terms import fairness_terms, hop_terms
from saqshy.algorithms.optimise.score import score_roster
from saqshy.algorithms.optimise.staffing import Need

# Above this many candidate periods presolve is skipped, so the search starts from the (complete)
# hint within a second even on a loaded machine; smaller models are presolved and often proven.
LIGHT_PRESOLVE_PATTERNS = 3000

# (agency, skill, post district, priority): demands that are interchangeable for the solver.
_Class = tuple[str, str, str | None, int]
# (post, agency, skill): one post's need for one kind of person.
_Slot = tuple[str, str, str]


@dataclass
class _Context:
    problem: RosterProblem
    people: list[Person]
    index: dict[str, int]
    slot_need: dict[tuple[_Slot, int], int]  # (slot, hour) -> people still needed
    slot_class: dict[_Slot, _Class]
    residual: dict[_Class, list[int]]  # class -> people still needed per hour
    fixed_periods: dict[str, list[Window]]
    candidates: list[list[tuple[int, int]]]  # per person: (start, end)
    previous_periods: dict[str, set[tuple[int, int]]]
    previous_post: dict[tuple[int, int], tuple[str | None, str]]  # (person, hour) -> post, skill
    starts: list[int] = field(default_factory=list)


def _serves(person: Person, klass: _Class) -> bool:
    return person.agency == klass[0] and (not klass[1] or klass[1] in person.skills)


def _prepare(problem: RosterProblem) -> _Context:
    rules = problem.rules
    people = list(problem.people)
    index = {person.id: i for i, person in enumerate(people)}
    slot_need: dict[tuple[_Slot, int], int] = defaultdict(int)
    slot_class: dict[_Slot, _Class] = {}
    for need in problem.demands:
        if need.people <= 0 or not 0 <= need.hour < problem.hours:
            continue
        slot = (need.post, need.agency, need.skill)
        slot_need[(slot, need.hour)] += need.people
        slot_class[slot] = (need.agency, need.skill, need.district, max(1, need.priority))
    for shift in problem.fixed:
        person = people[index[shift.person]]
        slot = (shift.post or "", person.agency, shift.skill)
        for hour in range(max(0, shift.start), min(problem.hours, shift.end)):
            if (slot, hour) in slot_need:
                slot_need[(slot, hour)] -= 1
    residual: dict[_Class, list[int]] = {}
    for (slot, hour), left in slot_need.items():
        klass = slot_class[slot]
        if klass not in residual:
            residual[klass] = [0] * problem.hours
        if hour >= problem.not_before:
            residual[klass][hour] += max(0, left)
    fixed_periods = duty_periods(problem.fixed)
    previous_periods = {
        person: {(w.start, w.end) for w in windows if w.start >= problem.not_before}
        for person, windows in duty_periods(problem.previous).items()
    }
    previous_post: dict[tuple[int, int], tuple[str | None, str]] = {}
    for shift in problem.previous:
        if shift.person in index:
            for hour in range(shift.start, shift.end):
                previous_post[(index[shift.person], hour)] = (shift.post, shift.skill)
    context = _Context(
        problem,
        people,
        index,
        dict(slot_need),
        slot_class,
        residual,
        fixed_periods,
        [],
        previous_periods,
        previous_post,
    )
    lengths = sorted({n for n in rules.shift_lengths if 0 < n <= rules.max_shift_hours})
    first = -(-problem.not_before // rules.start_step) * rules.start_step
    # Periods running past the horizon are cut at its end: the next roster continues them.
    grid = sorted(
        {
            (s, min(s + n, problem.hours))
            for s in range(first, problem.hours, rules.start_step)
            for n in lengths
        }
    )
    useful_cache: dict[tuple[str, frozenset[str]], list[int]] = {}
    for person in people:
        signature = (person.agency, person.skills)
        if signature not in useful_cache:
            useful = [0] * problem.hours
            for klass, hours in residual.items():
                if _serves(person, klass):
                    for hour, left in enumerate(hours):
                        if left > 0:
                            useful[hour] = 1
            useful_cache[signature] = [0, *accumulate(useful)]
        prefix = useful_cache[signature]
        own_previous = context.previous_periods.get(person.id, set())
        options = [(s, e) for s, e in grid if e <= problem.hours and prefix[e] > prefix[s]]
        options += sorted(own_previous - set(options))
        allowance = _week_allowance(context, person)
        context.candidates.append(
            [(s, e) for s, e in options if _allowed(context, person, allowance, s, e)]
        )
    context.starts = sorted({s for options in context.candidates for s, _e in options})
    return context


def _week_allowance(context: _Context, person: Person) -> list[int]:
    """Hours each week may still take: the limit minus fixed and committed hours."""
    problem = context.problem
    rules = problem.rules
    weeks = -(-problem.hours // rules.week_hours)
    taken = [0] * weeks
    blocks = context.fixed_periods.get(person.id, []) + list(person.committed)
    for window in blocks:
        for hour in range(max(0, window.start), min(problem.hours, window.end)):
            taken[hour // rules.week_hours] += 1
    limit = person.weekly_hours + rules.overtime_hours
    return [max(0, limit - used) for used in taken]


def _week_hours(context: _Context, start: int, end: int) -> dict[int, int]:
    week = context.problem.rules.week_hours
    spread: dict[int, int] = defaultdict(int)
    for hour in range(start, end):
        spread[hour // week] += 1
    return spread


def _allowed(context: _Context, person: Person, allowance: list[int], start: int, end: int) -> bool:
    rules = context.problem.rules
    if end - start > rules.max_shift_hours or start < context.problem.not_before:
        return False
    if any(w.overlaps(start, end) for w in person.absences):
        return False
    rest = rules.min_rest_hours
    blocks = context.fixed_periods.get(person.id, []) + list(person.committed)
    if any(start < b.end + rest and b.start < end + rest for b in blocks):
        return False
    return all(hours <= allowance[w] for w, hours in _week_hours(context, start, end).items())


def _greedy_periods(
    context: _Context, keep_previous: bool = False
) -> dict[tuple[int, int, int], _Class]:
    """The baseline's choice of duty periods: walk the start times; while a class still needs
    people in the next ``start_step`` hours, give the next period to the eligible person with
    the home district of the post and the fewest hours so far, choosing the length that covers
    the most still-uncovered hours.

    ``keep_previous`` (the solver's warm start when re-planning): first keep every duty period
    of ``problem.previous`` that the rules still allow, in the class of its post, then fill
    what is left the same way."""
    problem = context.problem
    rest = problem.rules.min_rest_hours
    uncovered = {klass: list(hours) for klass, hours in context.residual.items()}
    by_start: list[dict[int, list[int]]] = []
    for options in context.candidates:
        ends: dict[int, list[int]] = defaultdict(list)
        for start, end in options:
            ends[start].append(end)
        by_start.append(ends)
    allowance = [_week_allowance(context, person) for person in context.people]
    taken: list[list[tuple[int, int]]] = [[] for _ in context.people]
    worked = [0] * len(context.people)
    chosen: dict[tuple[int, int, int], _Class] = {}
    eligible = {
        klass: [i for i, person in enumerate(context.people) if _serves(person, klass)]
        for klass in uncovered
    }
    classes = sorted(uncovered, key=lambda k: (-k[3], k[0], k[1], str(k[2])))
    if keep_previous:
        for i, person in enumerate(context.people):
            for start, end in sorted(context.previous_periods.get(person.id, ())):
                if end not in by_start[i].get(start, []):
                    continue
                if any(start < e + rest and s < end + rest for s, e in taken[i]):
                    continue
                spread = _week_hours(context, start, end)
                if any(n > allowance[i][w] for w, n in spread.items()):
                    continue
                post, skill = context.previous_post.get((i, start), (None, ""))
                klass = context.slot_class.get((post or "", person.agency, skill))
                if klass is None:
                    klass = next((k for k in classes if k in eligible and i in eligible[k]), None)
                if klass is None:
                    continue
                for w, n in spread.items():
                    allowance[i][w] -= n
                taken[i].append((start, end))
                worked[i] += end - start
                for h in range(start, end):
                    uncovered[klass][h] -= 1
                chosen[(i, start, end)] = klass
    step = problem.rules.start_step
    for start in context.starts:
        window = range(start, min(problem.hours, start + step))
        for klass in classes:
            hours = uncovered[klass]
            if max((hours[h] for h in window), default=0) <= 0:
                continue
            order = sorted(
                (i for i in eligible[klass] if start in by_start[i]),
                key=lambda i: (context.people[i].home_district != klass[2], worked[i], i),
            )
            for i in order:
                if max(hours[h] for h in window) <= 0:
                    break
                best: tuple[int, int] | None = None
                for end in by_start[i][start]:
                    if any(start < e + rest and s < end + rest for s, e in taken[i]):
                        continue
                    spread = _week_hours(context, start, end)
                    if any(n > allowance[i][w] for w, n in spread.items()):
                        continue
                    gain = sum(1 for h in range(start, end) if hours[h] > 0)
                    if best is None or gain > best[0] or (gain == best[0] and end < best[1]):
                        best = (gain, end)
                if best is None or best[0] == 0:
                    continue
                end = best[1]
                for w, n in _week_hours(context, start, end).items():
                    allowance[i][w] -= n
                taken[i].append((start, end))
                worked[i] += end - start
                for h in range(start, end):
                    hours[h] -= 1
                chosen[(i, start, end)] = klass
    return chosen


def greedy_roster(problem: RosterProblem, *, keep_previous: bool = False) -> RosterResult:
    """The baseline roster (see :func:`_greedy_periods`), put at posts like the solver's.
    ``keep_previous``: keep the roster in force where the rules allow and fill the rest (the
    solver's warm start when re-planning); the plain baseline ignores ``problem.previous``."""
    started = time.perf_counter()
    context = _prepare(problem)
    chosen = _greedy_periods(context, keep_previous=keep_previous)
    duty_class: dict[tuple[int, int], _Class | None] = {}
    for (i, start, end), klass in chosen.items():
        for hour in range(start, end):
            duty_class[(i, hour)] = klass
    stats = SolveStats(GREEDY, 0.0, 0.0, 0.0)
    result = _assemble(context, duty_class, stats)
    return replace(result, stats=replace(stats, wall_time_s=time.perf_counter() - started))


def solve_roster(problem: RosterProblem) -> RosterResult:
    """The district's roster by CP-SAT within ``problem.time_limit_s``, with its gap."""
    started = time.perf_counter()
    context = _prepare(problem)
    hint = _greedy_periods(context, keep_previous=bool(problem.previous))
    model = cp_model.CpModel()
    weights = problem.weights
    rest = problem.rules.min_rest_hours
    patterns: list[tuple[int, int, int, cp_model.IntVar]] = []
    for i, options in enumerate(context.candidates):
        own: list[tuple[int, int, cp_model.IntVar]] = []
        for start, end in options:
            var = model.new_bool_var("")
            model.add_hint(var, (i, start, end) in hint)
            own.append((start, end, var))
            patterns.append((i, start, end, var))
        for start in sorted({s for s, _e, _v in own}):
            clique = [v for s, e, v in own if s <= start < e + rest]
            if len(clique) > 1:
                model.add_at_most_one(clique)
        allowance = _week_allowance(context, context.people[i])
        per_week: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for start, end, var in own:
            for w, n in _week_hours(context, start, end).items():
                per_week[w].append((n, var))
        for w, terms in per_week.items():
            if sum(n for n, _v in terms) > allowance[w]:
                model.add(sum(n * v for n, v in terms) <= allowance[w])
    points = sorted(
        {problem.not_before, problem.hours} | {p for i, s, e, _v in patterns for p in (s, e)}
    )
    segments = list(pairwise(points))
    groups: dict[tuple[str, frozenset[str], str | None], int] = {}
    group_of = []
    for person in context.people:
        key = (person.agency, person.skills, person.home_district)
        group_of.append(groups.setdefault(key, len(groups)))
    on_duty: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for i, start, end, var in patterns:
        for seg in range(bisect_left(points, start), bisect_left(points, end)):
            on_duty[(group_of[i], seg)].append(var)
    group_keys = list(groups)
    # The greedy roster as a complete hint: periods, flows (its class per person), shorts.
    hinted: dict[tuple[int, _Class, int], int] = defaultdict(int)
    for (i, start, end), klass in hint.items():
        for seg in range(bisect_left(points, start), bisect_left(points, end)):
            hinted[(group_of[i], klass, seg)] += 1
    objective: list[tuple[int, cp_model.IntVar]] = []
    flows: dict[tuple[int, _Class, int], cp_model.IntVar] = {}
    flow_hint: dict[tuple[int, _Class, int], int] = {}
    for seg, (a, b) in enumerate(segments):
        length = b - a
        out_of: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for klass, hours in context.residual.items():
            need = max(hours[a:b], default=0)
            if need <= 0:
                continue
            into = []
            hinted_into: list[int] = []
            for g, (agency, skills, district) in enumerate(group_keys):
                if agency != klass[0] or (klass[1] and klass[1] not in skills):
                    continue
                available = on_duty.get((g, seg))
                if not available:
                    continue
                flow = model.new_int_var(0, min(need, len(available)), "")
                given = min(need - sum(hinted_into), hinted.get((g, klass, seg), 0))
                model.add_hint(flow, given)
                flow_hint[(g, klass, seg)] = given
                hinted_into.append(given)
                flows[(g, klass, seg)] = flow
                into.append(flow)
                out_of[g].append(flow)
                if klass[2] is not None and district != klass[2]:
                    objective.append((weights.home_district * length, flow))
            short = model.new_int_var(0, need, "")
            model.add_hint(short, need - sum(hinted_into))
            model.add(sum(into) + short == need)
            objective.append((weights.short * klass[3] * length, short))
        for g, variables in out_of.items():
            model.add(sum(variables) <= sum(on_duty[(g, seg)]))
    if weights.hop:
        objective.extend(
            hop_terms(model, context, patterns, points, group_of, on_duty, flows, flow_hint, hint)
        )
    constant = 0
    for i, start, end, var in patterns:
        objective.append((weights.hour * (end - start), var))
        if problem.previous:
            if (start, end) in context.previous_periods.get(context.people[i].id, set()):
                objective.append((-weights.change, var))
                constant += weights.change
            else:
                objective.append((weights.change, var))
    for hours_set in (problem.night_hours, problem.holiday_hours):
        if hours_set and weights.fairness:
            objective.extend(fairness_terms(model, context, patterns, hours_set, hint))
    model.minimize(
        cp_model.LinearExpr.weighted_sum([v for _c, v in objective], [c for c, _v in objective])
        + constant
    )
    # Leave room for putting people at posts afterwards, so the whole call keeps the limit.
    margin = max(0.2, 0.03 * problem.time_limit_s)
    time_left = problem.time_limit_s - margin - (time.perf_counter() - started)
    solver, status = solve(
        model,
        time_limit_s=time_left,
        workers=problem.workers,
        seed=problem.seed,
        light_presolve=len(patterns) > LIGHT_PRESOLVE_PATTERNS,
    )
    duty_class: dict[tuple[int, int], _Class | None] = {}
    if status in (OPTIMAL, FEASIBLE):
        chosen = {(i, s, e) for i, s, e, var in patterns if solver.boolean_value(var)}
        flow_values = {key: int(solver.value(var)) for key, var in flows.items()}
        duty_class = _classes_from_flows(context, chosen, flow_values, segments, group_of)
        stats = SolveStats(status, solver.objective_value, solver.best_objective_bound, 0.0)
    greedy_classes: dict[tuple[int, int], _Class | None] = {}
    for (i, start, end), klass in hint.items():
        for hour in range(start, end):
            greedy_classes[(i, hour)] = klass
    # Nothing found within the limit (a loaded machine, a huge district): the greedy roster,
    # which keeps every hard rule, labelled as the heuristic it is, rather than no roster.
    fallback = SolveStats(GREEDY, math.inf, solver.best_objective_bound, 0.0)
    if status in (OPTIMAL, FEASIBLE):
        # The model sees classes, not posts. The solver's duty periods are put at posts twice:
        # following its flows segment by segment, and with one class per duty period (the one
        # the flows give it most), which moves fewer people. The better of the two is kept if
        # it scores no worse than the greedy roster the solver started from, on the same score.
        rosters = [
            _assemble(context, duty_class, stats),
            _assemble(context, _one_class_per_period(chosen, duty_class), stats),
            _assemble(context, greedy_classes, fallback),
        ]
        scores = [score_roster(problem, roster.shifts).total for roster in rosters]
        result = rosters[scores.index(min(scores))]
    else:
        result = _assemble(context, greedy_classes, fallback)
    return replace(result, stats=replace(result.stats, wall_time_s=time.perf_counter() - started))


def _one_class_per_period(
    chosen: set[tuple[int, int, int]], duty_class: dict[tuple[int, int], _Class | None]
) -> dict[tuple[int, int], _Class | None]:
    """Each duty period in the class its person serves most hours of it (by the flows)."""
    single: dict[tuple[int, int], _Class | None] = {}
    for i, start, end in chosen:
        served = Counter(
            duty_class[(i, h)] for h in range(start, end) if duty_class.get((i, h)) is not None
        )
        klass = served.most_common(1)[0][0] if served else None
        for hour in range(start, end):
            single[(i, hour)] = klass
    return single


def _classes_from_flows(
    context: _Context,
    chosen: set[tuple[int, int, int]],
    flows: dict[tuple[int, _Class, int], int],
    segments: list[tuple[int, int]],
    group_of: list[int],
) -> dict[tuple[int, int], _Class | None]:
    """Which class each person serves in each hour on duty, as the flows say; a person keeps
    the class of the previous hour (or of the previous roster) when the flow allows."""
    on_duty_at: dict[int, list[int]] = defaultdict(list)
    starts = [a for a, _b in segments]
    for i, start, end in sorted(chosen):
        for seg in range(bisect_left(starts, start), bisect_left(starts, end)):
            on_duty_at[seg].append(i)
    duty_class: dict[tuple[int, int], _Class | None] = {}
    slot_class = context.slot_class
    for seg, (a, b) in enumerate(segments):
        people = on_duty_at.get(seg, [])
        wanted: dict[int, dict[_Class, int]] = defaultdict(dict)
        for (g, klass, s), amount in flows.items():
            if s == seg and amount:
                wanted[g][klass] = amount
        free = set(people)

        def earlier(i: int, hour: int = a) -> _Class | None:
            if (i, hour - 1) in duty_class:
                return duty_class[(i, hour - 1)]
            post, skill = context.previous_post.get((i, hour), (None, ""))
            if post is None:
                return None
            return slot_class.get((post, context.people[i].agency, skill))

        for rank in (0, 1, 2):
            for i in sorted(free):
                left = wanted[group_of[i]]
                prior = earlier(i)
                if rank == 0 and prior is not None and left.get(prior, 0) > 0:
                    pick: _Class | None = prior
                elif rank == 1:
                    home = context.people[i].home_district
                    pick = next((k for k, n in left.items() if n > 0 and k[2] == home), None)
                elif rank == 2:
                    pick = next((k for k, n in left.items() if n > 0), None)
                else:
                    pick = None
                if pick is not None:
                    left[pick] -= 1
                    free.discard(i)
                    for hour in range(a, b):
                        duty_class[(i, hour)] = pick
        for i in free:
            for hour in range(a, b):
                duty_class[(i, hour)] = None
    return duty_class


def _assemble(
    context: _Context,
    duty_class: dict[tuple[int, int], _Class | None],
    stats: SolveStats,
) -> RosterResult:
    """Put each person on duty at a post, hour by hour, and count coverage."""
    problem = context.problem
    people = context.people
    slots_at: dict[int, dict[_Class, list[_Slot]]] = defaultdict(lambda: defaultdict(list))
    need_left: dict[tuple[_Slot, int], int] = {}
    for (slot, hour), left in context.slot_need.items():
        need_left[(slot, hour)] = left
        if hour >= problem.not_before:
            slots_at[hour][context.slot_class[slot]].append(slot)
    by_hour: dict[int, list[int]] = defaultdict(list)
    for i, hour in sorted(duty_class):
        by_hour[hour].append(i)
    where: dict[tuple[int, int], _Slot | None] = {}
    stint: dict[int, int] = {}  # hours person i has been at where[(i, hour - 1)]
    minimum = max(1, problem.rules.min_stint_hours)

    def take(i: int, hour: int, slot: _Slot | None) -> None:
        where[(i, hour)] = slot
        if slot is not None and (slot, hour) in need_left:
            need_left[(slot, hour)] -= 1

    def wants(slot: _Slot | None, hour: int) -> bool:
        return slot is not None and need_left.get((slot, hour), 0) > 0

    def lasting(slot: _Slot, hour: int) -> int:
        """Hours from ``hour`` (up to the minimum stint) that the post keeps a need."""
        run = 0
        while run < minimum and context.slot_need.get((slot, hour + run), 0) > 0:
            run += 1
        return run

    def best_post(options: list[_Slot], hour: int) -> _Slot | None:
        """A post that needs people now, preferring one that keeps needing them for a whole
        minimum stint (so whoever goes there is not moved on after an hour), then the most
        short."""
        open_now = [s for s in options if need_left.get((s, hour), 0) > 0]
        return max(
            open_now,
            key=lambda s: (lasting(s, hour), need_left.get((s, hour), 0)),
            default=None,
        )

    for hour in sorted(by_hour):
        # Whoever has been at their post for less than the minimum stint keeps it first.
        on_duty = sorted(
            by_hour[hour], key=lambda i: (stint.get(i, 0) >= minimum, stint.get(i, 0), i)
        )
        placed: set[int] = set()
        for i in on_duty:  # stay at the post of the hour before, or of the previous roster
            klass = duty_class[(i, hour)]
            before = where.get((i, hour - 1))
            if before is None and (i, hour) in context.previous_post:
                post, skill = context.previous_post[(i, hour)]
                before = (post or "", people[i].agency, skill)
            if (
                klass is not None
                and before is not None
                and context.slot_class.get(before) == klass
                and wants(before, hour)
            ):
                take(i, hour, before)
                placed.add(i)
        for i in on_duty:  # the rest of the class to the posts that need most
            klass = duty_class[(i, hour)]
            if i in placed or klass is None:
                continue
            best = best_post(slots_at[hour].get(klass, []), hour)
            if wants(best, hour):
                take(i, hour, best)
                placed.add(i)
        for i in on_duty:  # anyone still free fills a need they can serve
            if i in placed:
                continue
            person = people[i]
            for klass, options in slots_at[hour].items():
                if not _serves(person, klass):
                    continue
                best = best_post(options, hour)
                if wants(best, hour):
                    take(i, hour, best)
                    placed.add(i)
                    break
        for i in on_duty:  # surplus: stay where they were if that post is open, else reserve
            if i in placed:
                continue
            before = where.get((i, hour - 1))
            open_here = before is not None and (before, hour) in context.slot_need
            take(i, hour, before if open_here else None)
        for i in on_duty:
            same = (i, hour - 1) in where and where[(i, hour - 1)] == where[(i, hour)]
            stint[i] = stint.get(i, 0) + 1 if same else 1
    shifts = list(problem.fixed)
    per_person: dict[int, list[int]] = defaultdict(list)
    for i, hour in where:
        per_person[i].append(hour)
    for i, hours in sorted(per_person.items()):
        hours.sort()
        run_start = hours[0]
        for k, hour in enumerate(hours):
            nxt = hours[k + 1] if k + 1 < len(hours) else None
            here = where[(i, hour)]
            if nxt is None or nxt != hour + 1 or where[(i, nxt)] != here:
                post, skill = (here[0], here[2]) if here is not None else (None, "")
                shifts.append(Shift(people[i].id, post, run_start, hour + 1, skill))
                if nxt is not None:
                    run_start = nxt
    shifts.sort(key=lambda s: (s.person, s.start))
    coverage = _coverage(problem, shifts)
    added, removed = _changes(context, shifts)
    return RosterResult(tuple(shifts), coverage, stats, added, removed)


def _coverage(problem: RosterProblem, shifts: Sequence[Shift]) -> tuple[Coverage, ...]:
    agency = {person.id: person.agency for person in problem.people}
    staffed: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for shift in shifts:
        if shift.post is None:
            continue
        for hour in range(shift.start, shift.end):
            staffed[(shift.post, hour, agency.get(shift.person, ""), shift.skill)] += 1
    needed: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for need in problem.demands:
        if need.people > 0 and 0 <= need.hour < problem.hours:
            needed[(need.post, need.hour, need.agency, need.skill)] += need.people
    return tuple(
        Coverage(post, hour, agency_, skill, people, staffed.get((post, hour, agency_, skill), 0))
        for (post, hour, agency_, skill), people in sorted(needed.items())
    )


def _changes(context: _Context, shifts: Sequence[Shift]) -> tuple[int, int]:
    if not context.problem.previous:
        return 0, 0
    fixed = {(s.person, s.start, s.end) for s in context.problem.fixed}
    new = {
        (person, w.start, w.end)
        for person, windows in duty_periods(
            s for s in shifts if (s.person, s.start, s.end) not in fixed
        ).items()
        for w in windows
        if w.start >= context.problem.not_before
    }
    old = {
        (person, start, end)
        for person, periods in context.previous_periods.items()
        for start, end in periods
    }
    return len(new - old), len(old - new)


def replan(
    problem: RosterProblem,
    previous: Sequence[Shift],
    *,
    at: int,
    sick: Sequence[str] = (),
    added: Sequence[Need] = (),
) -> RosterResult:
    """Re-solve after a disruption at hour ``at``: the people in ``sick`` are absent from
    ``at`` on, the needs in ``added`` join. Duty periods that began before ``at`` stay as they
    are (a sick person's is cut at ``at``); later ones change only where they must, since
    every change costs ``weights.change``."""
    return solve_roster(replan_problem(problem, previous, at=at, sick=sick, added=added))


def replan_problem(
    problem: RosterProblem,
    previous: Sequence[Shift],
    *,
    at: int,
    sick: Sequence[str] = (),
    added: Sequence[Need] = (),
) -> RosterProblem:
    """The problem :func:`replan` solves (see there)."""
    sick_set = set(sick)
    people = tuple(
        replace(person, absences=(*person.absences, Window(at, problem.hours)))
        if person.id in sick_set
        else person
        for person in problem.people
    )
    started_before = {
        person: [w for w in windows if w.start < at]
        for person, windows in duty_periods(previous).items()
    }
    fixed = [*problem.fixed]
    for shift in previous:
        periods = started_before.get(shift.person, [])
        if not any(w.start <= shift.start < w.end for w in periods):
            continue
        if shift.person in sick_set:
            if shift.start < at:
                fixed.append(replace(shift, end=min(shift.end, at)))
        else:
            fixed.append(shift)
    return replace(
        problem,
        people=people,
        demands=(*problem.demands, *added),
        previous=tuple(previous),
        fixed=tuple(fixed),
        not_before=max(problem.not_before, at),
    )
