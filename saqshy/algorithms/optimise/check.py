"""Every hard-rule violation in a roster, independent of how the roster was made."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from saqshy.algorithms.optimise.model import RosterProblem, Shift, Window

UNKNOWN_PERSON = "unknown_person"
BAD_TIMES = "bad_times"  # end not after start, or outside the horizon
OVERLAP = "overlap"  # two shifts of one person overlap
SHIFT_TOO_LONG = "shift_too_long"
REST_TOO_SHORT = "rest_too_short"
WEEKLY_HOURS = "weekly_hours"
SKILL = "skill"
AGENCY = "agency"
ABSENCE = "absence"
COMMITTED = "committed"


@dataclass(frozen=True)
class Violation:
    """A broken rule: ``kind``, whose, when, and the value found against the limit."""

    kind: str
    person: str
    start: int
    end: int
    value: int = 0
    limit: int = 0


def check_roster(problem: RosterProblem, shifts: Iterable[Shift]) -> list[Violation]:
    """Check ``shifts`` against the hard rules of ``problem``: known person, sane times,
    no double booking, shift (duty period) length, rest between duty periods and around
    committed windows, weekly hours (committed windows included), skills, the agency a post
    asks for, absences and committed windows."""
    people = {person.id: person for person in problem.people}
    post_agencies: dict[str, set[str]] = defaultdict(set)
    for need in problem.demands:
        post_agencies[need.post].add(need.agency)
    violations: list[Violation] = []
    by_person: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        person = people.get(shift.person)
        if person is None:
            violations.append(Violation(UNKNOWN_PERSON, shift.person, shift.start, shift.end))
            continue
        if shift.end <= shift.start or shift.start < 0 or shift.end > problem.hours:
            violations.append(Violation(BAD_TIMES, person.id, shift.start, shift.end))
            continue
        by_person[person.id].append(shift)
        if shift.skill and shift.skill not in person.skills:
            violations.append(Violation(SKILL, person.id, shift.start, shift.end))
        agencies = post_agencies.get(shift.post or "")
        if agencies and person.agency not in agencies:
            violations.append(Violation(AGENCY, person.id, shift.start, shift.end))
        for absence in person.absences:
            if absence.overlaps(shift.start, shift.end):
                violations.append(Violation(ABSENCE, person.id, shift.start, shift.end))
        for window in person.committed:
            if window.overlaps(shift.start, shift.end):
                violations.append(Violation(COMMITTED, person.id, shift.start, shift.end))
    for person_id, own in by_person.items():
        violations.extend(_check_person(problem, person_id, own))
    return violations


def _check_person(problem: RosterProblem, person_id: str, shifts: list[Shift]) -> list[Violation]:
    rules = problem.rules
    person = next(p for p in problem.people if p.id == person_id)
    found: list[Violation] = []
    shifts = sorted(shifts, key=lambda s: (s.start, s.end))
    for before, after in itertools.pairwise(shifts):
        if after.start < before.end:
            found.append(Violation(OVERLAP, person_id, after.start, min(before.end, after.end)))
    periods: list[list[int]] = []
    for shift in shifts:
        if periods and shift.start <= periods[-1][1]:
            periods[-1][1] = max(periods[-1][1], shift.end)
        else:
            periods.append([shift.start, shift.end])
    for start, end in periods:
        if end - start > rules.max_shift_hours:
            found.append(
                Violation(SHIFT_TOO_LONG, person_id, start, end, end - start, rules.max_shift_hours)
            )
    duty = sorted(
        [Window(s, e) for s, e in periods] + list(person.committed), key=lambda w: w.start
    )
    for earlier, later in itertools.pairwise(duty):
        rest = later.start - earlier.end
        if 0 <= rest < rules.min_rest_hours:
            found.append(
                Violation(
                    REST_TOO_SHORT, person_id, earlier.end, later.start, rest, rules.min_rest_hours
                )
            )
    limit = person.weekly_hours + rules.overtime_hours
    weeks = range(0, problem.hours, rules.week_hours)
    for week_start in weeks:
        week_end = week_start + rules.week_hours
        worked = sum(max(0, min(e, week_end) - max(s, week_start)) for s, e in periods)
        committed = sum(
            max(0, min(w.end, week_end) - max(w.start, week_start)) for w in person.committed
        )
        if worked and worked + committed > limit:
            found.append(
                Violation(WEEKLY_HOURS, person_id, week_start, week_end, worked + committed, limit)
            )
    return found
