"""The roster model's soft terms: moves between kinds of post (hops) and the fairness of
night and holiday hours. Split from ``roster.py``, which builds the model around them."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from itertools import accumulate
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from saqshy.algorithms.optimise.roster import _Class, _Context


def hop_terms(
    model: cp_model.CpModel,
    context: _Context,
    patterns: list[tuple[int, int, int, cp_model.IntVar]],
    points: list[int],
    group_of: list[int],
    on_duty: dict[tuple[int, int], list[cp_model.IntVar]],
    flows: dict[tuple[int, _Class, int], cp_model.IntVar],
    flow_hint: dict[tuple[int, _Class, int], int],
    hint: dict[tuple[int, int, int], _Class],
) -> list[tuple[int, cp_model.IntVar]]:
    """A lower bound on the people who change class (or go to or leave the reserve) inside a
    duty period, per group and segment boundary: whoever fills a class's increase either just
    started duty or moved from elsewhere, so moves >= sum of increases - starts. The post
    assignment afterwards keeps people in their class where the flows allow, which reaches the
    bound, so this is what the solver pays ``weights.hop`` for."""
    weight = context.problem.weights.hop
    by_group_seg: dict[tuple[int, int], dict[_Class, cp_model.IntVar]] = defaultdict(dict)
    for (g, klass, seg), var in flows.items():
        by_group_seg[(g, seg)][klass] = var
    starting: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    hinted_starts: dict[tuple[int, int], int] = defaultdict(int)
    chosen = {var.index for i, start, end, var in patterns if (i, start, end) in hint}
    for i, start, _end, var in patterns:
        seg = bisect_left(points, start)
        starting[(group_of[i], seg)].append(var)
        if var.index in chosen:
            hinted_starts[(group_of[i], seg)] += 1
    hinted_duty = {
        key: sum(1 for var in variables if var.index in chosen)
        for key, variables in on_duty.items()
    }
    terms: list[tuple[int, cp_model.IntVar]] = []
    for (g, seg), classes in by_group_seg.items():
        before = by_group_seg.get((g, seg - 1), {})
        if seg == 0 or not on_duty.get((g, seg - 1)):
            continue
        rises = []
        hinted_rise = 0
        for klass, var in classes.items():
            old = before.get(klass)
            rise = model.new_int_var(0, len(on_duty[(g, seg)]), "")
            model.add(rise >= var - old) if old is not None else model.add(rise >= var)
            now_hint = flow_hint.get((g, klass, seg), 0)
            old_hint = flow_hint.get((g, klass, seg - 1), 0) if old is not None else 0
            model.add_hint(rise, max(0, now_hint - old_hint))
            hinted_rise += max(0, now_hint - old_hint)
            rises.append(rise)
        # The reserve (on duty, in no class) is a class too.
        now_reserve = sum(on_duty[(g, seg)]) - sum(classes.values())
        old_reserve = sum(on_duty[(g, seg - 1)]) - sum(before.values())
        reserve_rise = model.new_int_var(0, len(on_duty[(g, seg)]), "")
        model.add(reserve_rise >= now_reserve - old_reserve)
        hint_now = hinted_duty.get((g, seg), 0) - sum(
            flow_hint.get((g, k, seg), 0) for k in classes
        )
        hint_old = hinted_duty.get((g, seg - 1), 0) - sum(
            flow_hint.get((g, k, seg - 1), 0) for k in before
        )
        model.add_hint(reserve_rise, max(0, hint_now - hint_old))
        hinted_rise += max(0, hint_now - hint_old)
        moves = model.new_int_var(0, len(on_duty[(g, seg)]), "")
        model.add(moves >= sum(rises) + reserve_rise - sum(starting.get((g, seg), [])))
        model.add_hint(moves, max(0, hinted_rise - hinted_starts.get((g, seg), 0)))
        terms.append((weight, moves))
    return terms


def fairness_terms(
    model: cp_model.CpModel,
    context: _Context,
    patterns: list[tuple[int, int, int, cp_model.IntVar]],
    hours_set: frozenset[int],
    hint: dict[tuple[int, int, int], _Class],
) -> list[tuple[int, cp_model.IntVar]]:
    """Hours of ``hours_set`` worked above each person's share (proportional to contract)."""
    problem = context.problem
    marks = [1 if h in hours_set else 0 for h in range(problem.hours)]
    prefix = [0, *accumulate(marks)]
    demand: dict[str, int] = defaultdict(int)
    for klass, hours in context.residual.items():
        demand[klass[0]] += sum(n for h, n in enumerate(hours) if marks[h])
    contracted: dict[str, int] = defaultdict(int)
    for person in context.people:
        contracted[person.agency] += person.weekly_hours
    per_person: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    spans = {var.index: (start, end) for _i, start, end, var in patterns}
    for i, start, end, var in patterns:
        if prefix[end] > prefix[start]:
            per_person[i].append((prefix[end] - prefix[start], var))
    terms = []
    for i, parts in per_person.items():
        person = context.people[i]
        share = math.ceil(
            demand[person.agency] * person.weekly_hours / max(1, contracted[person.agency])
        )
        most = sum(n for n, _v in parts)
        if most <= share:
            continue
        excess = model.new_int_var(0, most - share, "")
        hinted = sum(n for n, var in parts if (i, *spans[var.index]) in hint)
        model.add_hint(excess, max(0, hinted - share))
        model.add(excess >= sum(n * v for n, v in parts) - share)
        terms.append((problem.weights.fairness, excess))
    return terms
