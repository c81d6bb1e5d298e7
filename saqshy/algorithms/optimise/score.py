"""One yardstick for every roster, however it was made: what planners and officers see.

``score_roster(problem, shifts)`` counts, from the shifts alone:

* ``unmet_person_hours`` — person-hours of post needs nobody covers (weighted by priority in
  the total), and ``short_post_hours`` — how many post-hours are short at all (a shortage
  spread thin over many posts shows here);
* ``post_hops`` — moves from one post to another inside one duty period (time in the reserve
  between them does not hide a move; going to the reserve when a post's need ends is none);
* ``short_stints`` — stays at a post shorter than ``rules.min_stint_hours`` inside a duty
  period long enough to allow one (a period shorter than the minimum is not counted, nor a
  stay cut by the horizon's start or end);
* ``night_excess`` / ``holiday_excess`` — night (holiday) hours worked above each person's
  fair share: the agency's needed person-hours at night (on holidays) in proportion to the
  person's contracted hours, rounded up (as the solver counts it);
* ``away_hours`` — person-hours at posts outside the person's home district;
* ``changes`` — duty periods added or removed against ``problem.previous`` (from
  ``not_before``);
* ``duty_hours`` (``reserve_hours`` of them on duty with no post needing the person) and
  ``shifts``.

``total`` weighs them with ``problem.weights`` — the same weights the solver minimises — so a
roster from the solver and one from the greedy baseline are compared on one number and on each
part of it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from saqshy.algorithms.optimise.model import RosterProblem, Shift, duty_periods


@dataclass(frozen=True)
class RosterScore:
    unmet_person_hours: int
    weighted_unmet: int
    short_post_hours: int
    post_hops: int
    short_stints: int
    night_excess: int
    holiday_excess: int
    away_hours: int
    changes: int
    duty_hours: int
    reserve_hours: int
    shifts: int
    total: int

    def parts(self) -> dict[str, int]:
        return {
            "unmet person-hours": self.unmet_person_hours,
            "short post-hours": self.short_post_hours,
            "post hops": self.post_hops,
            "short stints": self.short_stints,
            "night excess h": self.night_excess,
            "holiday excess h": self.holiday_excess,
            "away h": self.away_hours,
            "changes": self.changes,
            "duty h": self.duty_hours,
            "of which reserve h": self.reserve_hours,
        }


def _excess(problem: RosterProblem, worked: dict[str, int], hours: frozenset[int]) -> int:
    """Hours of ``hours`` worked above each person's fair share: the agency's needed
    person-hours in them times the person's share of the agency's contracted hours, rounded up
    (the solver's own definition)."""
    demand: dict[str, int] = defaultdict(int)
    for need in problem.demands:
        if need.people > 0 and need.hour in hours:
            demand[need.agency] += need.people
    contracted: dict[str, int] = defaultdict(int)
    for person in problem.people:
        contracted[person.agency] += person.weekly_hours
    excess = 0
    for person in problem.people:
        share = math.ceil(
            demand[person.agency] * person.weekly_hours / max(1, contracted[person.agency])
        )
        excess += max(0, worked.get(person.id, 0) - share)
    return excess


def _runs(shifts: Sequence[Shift]) -> list[list[Shift]]:
    """One person's shifts (sorted) grouped into duty periods, adjacent same-post shifts
    merged."""
    periods: list[list[Shift]] = []
    for shift in shifts:
        if periods and shift.start <= periods[-1][-1].end:
            last = periods[-1][-1]
            if last.post == shift.post and last.end == shift.start:
                periods[-1][-1] = Shift(last.person, last.post, last.start, shift.end, last.skill)
            else:
                periods[-1].append(shift)
        else:
            periods.append([shift])
    return periods


def score_roster(problem: RosterProblem, shifts: Iterable[Shift]) -> RosterScore:
    """The roster's score (see the module docstring)."""
    shifts = sorted(shifts, key=lambda s: (s.person, s.start, s.end))
    people = {person.id: person for person in problem.people}
    weights = problem.weights
    minimum = problem.rules.min_stint_hours
    needed: dict[tuple[str, int, str, str], int] = defaultdict(int)
    priority: dict[tuple[str, int, str, str], int] = {}
    district: dict[str, str | None] = {}
    for need in problem.demands:
        if need.people > 0 and 0 <= need.hour < problem.hours:
            key = (need.post, need.hour, need.agency, need.skill)
            needed[key] += need.people
            priority[key] = max(1, need.priority)
            district[need.post] = need.district
    staffed: dict[tuple[str, int, str, str], int] = defaultdict(int)
    nights: dict[str, int] = defaultdict(int)
    holidays: dict[str, int] = defaultdict(int)
    away = duty = reserve = 0
    for shift in shifts:
        person = people.get(shift.person)
        agency = person.agency if person else ""
        reserve += (shift.end - shift.start) if shift.post is None else 0
        for hour in range(shift.start, shift.end):
            duty += 1
            nights[shift.person] += hour in problem.night_hours
            holidays[shift.person] += hour in problem.holiday_hours
            if shift.post is not None:
                staffed[(shift.post, hour, agency, shift.skill)] += 1
                home = person.home_district if person else None
                post_district = district.get(shift.post)
                if post_district is not None and home != post_district:
                    away += 1
    unmet = weighted = short_posts = 0
    for key, people_needed in needed.items():
        short = max(0, people_needed - staffed.get(key, 0))
        if short:
            unmet += short
            weighted += short * priority[key]
            short_posts += 1
    hops = short_stints = 0
    for _person, own in itertools.groupby(shifts, key=lambda s: s.person):
        for period in _runs(list(own)):
            posts = [stay.post for stay in period if stay.post is not None]
            hops += sum(1 for a, b in itertools.pairwise(posts) if a != b)
            length = period[-1].end - period[0].start
            if length < minimum:
                continue
            for stay in period:
                cut = stay.start <= 0 or stay.end >= problem.hours
                if stay.post is not None and stay.end - stay.start < minimum and not cut:
                    short_stints += 1
    changes = 0
    if problem.previous:
        old = {
            (person, w.start, w.end)
            for person, windows in duty_periods(problem.previous).items()
            for w in windows
            if w.start >= problem.not_before
        }
        new = {
            (person, w.start, w.end)
            for person, windows in duty_periods(shifts).items()
            for w in windows
            if w.start >= problem.not_before
        }
        changes = len(old ^ new)
    night_excess = _excess(problem, nights, problem.night_hours)
    holiday_excess = _excess(problem, holidays, problem.holiday_hours)
    total = (
        weights.short * weighted
        + weights.change * changes
        + weights.hop * hops
        + weights.short_stint * short_stints
        + weights.fairness * (night_excess + holiday_excess)
        + weights.home_district * away
        + weights.hour * duty
    )
    return RosterScore(
        unmet_person_hours=unmet,
        weighted_unmet=weighted,
        short_post_hours=short_posts,
        post_hops=hops,
        short_stints=short_stints,
        night_excess=night_excess,
        holiday_excess=holiday_excess,
        away_hours=away,
        changes=changes,
        duty_hours=duty,
        reserve_hours=reserve,
        shifts=len(shifts),
        total=total,
    )
