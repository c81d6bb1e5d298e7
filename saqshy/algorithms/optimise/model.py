"""The records of stage two (individual rosters) shared by the solver, the greedy baseline,
re-planning and the validator. Times are whole hours from the start of the horizon."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from saqshy.algorithms.optimise.common import SolveStats
from saqshy.algorithms.optimise.staffing import Need, StaffingResult


@dataclass(frozen=True)
class Window:
    """Hours ``start`` to ``end`` (exclusive)."""

    start: int
    end: int

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Person:
    """Someone who can be rostered. ``absences`` (leave, sickness) forbid work;
    ``committed`` windows are duty already fixed elsewhere (an escorted trip): no shift may
    overlap them, they count towards the weekly hours and need the same rest around them."""

    id: str
    agency: str
    skills: frozenset[str] = frozenset()
    weekly_hours: int = 40
    home_district: str | None = None
    absences: tuple[Window, ...] = ()
    committed: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Shift:
    """``person`` at ``post`` from ``start`` to ``end`` serving as ``skill``. ``post`` is
    ``None`` for on-duty time held in the district's reserve (no post needs them then).
    Consecutive shifts of one person with no gap are one duty period for the rules."""

    person: str
    post: str | None
    start: int
    end: int
    skill: str = ""


@dataclass(frozen=True)
class RosterRules:
    """Hard rules, and the candidate shifts the solver chooses from: every ``start_step``
    hours, each of ``shift_lengths`` (those above ``max_shift_hours`` are dropped).
    Weekly hours are counted per week of ``week_hours`` from the start of the horizon."""

    max_shift_hours: int = 12
    min_rest_hours: int = 12
    overtime_hours: int = 0
    week_hours: int = 168
    shift_lengths: tuple[int, ...] = (8, 10, 12)
    start_step: int = 2
    min_stint_hours: int = 2  # once at a post, stay this long (norm duty_min_post_stint_hours)


@dataclass(frozen=True)
class Weights:
    """Objective weights, in cost per person-hour (``change``: per duty period added or
    removed against ``previous``; ``hop``: per move between posts inside a duty period;
    ``short_stint``: per stay at a post shorter than ``RosterRules.min_stint_hours``).
    Shortage dominates, then stability, then the soft goals."""

    short: int = 1000
    change: int = 100
    fairness: int = 4
    home_district: int = 2
    hour: int = 1
    hop: int = 10
    short_stint: int = 40


@dataclass(frozen=True)
class RosterProblem:
    """One district's roster. ``demands`` are post-hour needs (stage one's output for the
    district, see :func:`demands_for_district`). ``fixed`` shifts are kept as they are (the
    past when re-planning); new shifts start at or after ``not_before``. ``previous`` is the
    roster to stay close to. ``night_hours`` and ``holiday_hours`` are the hour indices whose
    work should be shared fairly (see :func:`night_hours`)."""

    hours: int
    people: tuple[Person, ...]
    demands: tuple[Need, ...]
    rules: RosterRules = field(default_factory=RosterRules)
    night_hours: frozenset[int] = frozenset()
    holiday_hours: frozenset[int] = frozenset()
    previous: tuple[Shift, ...] = ()
    fixed: tuple[Shift, ...] = ()
    not_before: int = 0
    weights: Weights = field(default_factory=Weights)
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True)
class Coverage:
    """Staffing of one post-hour need: ``staffed`` of ``needed`` people."""

    post: str
    hour: int
    agency: str
    skill: str
    needed: int
    staffed: int


@dataclass(frozen=True)
class RosterResult:
    shifts: tuple[Shift, ...]
    coverage: tuple[Coverage, ...]
    stats: SolveStats
    added_periods: int = 0  # duty periods not in ``previous``
    removed_periods: int = 0  # duty periods of ``previous`` (from ``not_before``) dropped

    @property
    def unmet(self) -> tuple[Coverage, ...]:
        return tuple(row for row in self.coverage if row.staffed < row.needed)

    @property
    def needed_person_hours(self) -> int:
        return sum(row.needed for row in self.coverage)

    @property
    def staffed_person_hours(self) -> int:
        return sum(min(row.staffed, row.needed) for row in self.coverage)

    @property
    def coverage_ratio(self) -> float:
        needed = self.needed_person_hours
        return self.staffed_person_hours / needed if needed else 1.0


def night_hours(
    hours: int, first_hour_of_day: int = 0, start: int = 22, end: int = 6
) -> frozenset[int]:
    """The hour indices in ``range(hours)`` whose clock hour lies in ``[start, end)`` (across
    midnight when ``start > end``), for a horizon that begins at clock hour
    ``first_hour_of_day``."""

    def is_night(clock: int) -> bool:
        return start <= clock < end if start <= end else clock >= start or clock < end

    return frozenset(h for h in range(hours) if is_night((first_hour_of_day + h) % 24))


def duty_periods(shifts: Iterable[Shift]) -> dict[str, list[Window]]:
    """Each person's duty periods: their shifts merged where one ends as the next begins."""
    by_person: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for shift in shifts:
        by_person[shift.person].append((shift.start, shift.end))
    periods: dict[str, list[Window]] = {}
    for person, spans in by_person.items():
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        periods[person] = [Window(start, end) for start, end in merged]
    return periods


def demands_for_district(
    staffing: StaffingResult, needs: Sequence[Need], district: str | None
) -> tuple[Need, ...]:
    """Stage two's demands for one district's roster: what stage one staffed from the people
    of ``district``, at each post with that post's own district and priority."""
    meta = {(n.post, n.hour, n.agency, n.skill): (n.district, n.priority) for n in needs}
    totals: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for row in staffing.staffing:
        if row.district == district:
            totals[(row.post, row.hour, row.agency, row.skill)] += row.people
    demands = []
    for (post, hour, agency, skill), people in sorted(totals.items()):
        post_district, priority = meta.get((post, hour, agency, skill), (district, 1))
        demands.append(Need(post, hour, agency, people, skill, post_district, priority))
    return tuple(demands)
