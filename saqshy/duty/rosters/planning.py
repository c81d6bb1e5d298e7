"""The adapter between the duty records and the pure optimiser (``saqshy.algorithms.optimise``).

It reads a region's posts (with readiness applied, ``queries.requirements``), personnel,
absences, approved trip escorts and shifts for a window, turns them into the optimiser's
dataclasses (times as whole hours from the start of the window, ids as strings), and turns
the results back into rows and datetimes. It writes nothing: ``duty.rosters.tasks`` does.

Choices made here:

- **Stage one's pools and budgets.** Every active person who is not absent and not escorting
  an approved trip in an hour is in that hour's pool of their agency, skill set and home
  district. What ties the hours together is an hour budget per agency and day of the window:
  the contracted weekly hours of its available people, a seventh per day. Stage one thus
  reports a post-hour short either because nobody with the skill is free then (capacity) or
  because the agency's day is spent (budget).
- **Stage two per home district.** A district's roster is made from its own people for what
  stage one staffed from them (``demands_for_district``); people without a home district form
  one more group.
- **Hand-made shifts are kept.** Shifts that no plan run wrote are passed to the solver as
  fixed: they stay as they are, count towards the post's need, the person's hours and rest.
  Shifts a previous run wrote in the window are the ``previous`` roster: the new one stays
  close to them, and the write replaces only what differs.
- **Committed windows.** Apps above duty tell it when people are already committed, through
  ``register_commitments``: the trips app registers its escorts (a person escorting a trip
  that has taken its escort is not rostered during the trip). Duty never imports them.
- **Idle hours inside a shift.** The solver may keep someone on duty for an hour no post needs
  (a shift is 8-12 hours long); those hours are written as part of the neighbouring post's
  shift, so a stored shift is always at a post.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Agency, District, Region
from saqshy.accounts.queries import norm
from saqshy.algorithms import optimise as opt
from saqshy.algorithms.optimise.staffing import BUDGET, CAPACITY, UNRESOLVED
from saqshy.duty import wording
from saqshy.duty.choices import PostKind
from saqshy.duty.models import Absence, Person, Post, Shift
from saqshy.duty.readiness.queries import requirements

HOUR = dt.timedelta(hours=1)
NO_DISTRICT = ""
MIN_STINT_NORM = "duty_min_post_stint_hours"
"""The group of people with no home district (a district key like the slugs)."""

PRIORITY = {PostKind.STRATEGIC: 3, PostKind.UTILITY: 3, PostKind.EVENT: 2}
"""How a short person-hour weighs by the kind of post (others 1): round-the-clock strategic
and utility posts first, then events, then hotspots and the rest."""

HOLIDAYS = ((1, 1), (1, 2), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (12, 16))
"""Public holidays of Kazakhstan (month, day) whose hours are shared fairly, plus New
Year's Eve from 18:00 (see ``holiday_hours``)."""

ROSTER = "roster"  # gap source: stage two could not realise what stage one staffed
SOURCE_STAFFING = "staffing"


def floor_hour(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=0, second=0, microsecond=0)


def ceil_hour(when: dt.datetime) -> dt.datetime:
    floored = floor_hour(when)
    return floored if floored == when else floored + HOUR


@dataclass
class Horizon:
    """The window in whole hours: index 0 is ``start``."""

    start: dt.datetime
    hours: int

    @classmethod
    def of(cls, starts_at: dt.datetime, ends_at: dt.datetime) -> Horizon:
        start = floor_hour(starts_at)
        return cls(start, max(1, math.ceil((ends_at - start) / HOUR)))

    @property
    def end(self) -> dt.datetime:
        return self.start + self.hours * HOUR

    def index(self, when: dt.datetime, *, up: bool = False) -> int:
        """The hour index of ``when``, clamped to the horizon (rounded up with ``up``)."""
        hours = (when - self.start) / HOUR
        value = math.ceil(hours - 1e-9) if up else math.floor(hours + 1e-9)
        return min(self.hours, max(0, value))

    def at(self, hour: int) -> dt.datetime:
        return self.start + hour * HOUR

    def window(self, starts: dt.datetime, ends: dt.datetime) -> opt.Window | None:
        first, last = self.index(starts), self.index(ends, up=True)
        return opt.Window(first, last) if last > first else None

    def night_hours(self) -> frozenset[int]:
        return opt.night_hours(self.hours, timezone.localtime(self.start).hour)

    def holiday_hours(self) -> frozenset[int]:
        found = set()
        for hour in range(self.hours):
            local = timezone.localtime(self.at(hour))
            eve = local.month == 12 and local.day == 31 and local.hour >= 18
            if (local.month, local.day) in HOLIDAYS or eve:
                found.add(hour)
        return frozenset(found)


@dataclass
class RegionInput:
    """Everything the optimiser needs for a region's window, plus what maps its ids back."""

    region: Region
    horizon: Horizon
    needs: tuple[opt.Need, ...]
    people: dict[str, opt.Person]
    district_of: dict[str, str]  # person id -> district slug (or NO_DISTRICT)
    pools: tuple[opt.Pool, ...]
    budgets: tuple[opt.HoursBudget, ...]
    posts: dict[str, Post]
    agencies: dict[str, Agency]
    districts: dict[str, District | None]
    hand_shifts: dict[str, list[opt.Shift]] = field(default_factory=dict)  # by district
    planned_shifts: dict[str, list[opt.Shift]] = field(default_factory=dict)  # by district
    planned_rows: dict[tuple[str, str | None, int, int, str], list[int]] = field(
        default_factory=dict
    )
    # Digest of the stored shifts the plan was computed from (``shift_fingerprint``): the
    # roster is written only if they are unchanged when it is (``plans.write_shifts``).
    shifts_read: str = ""

    def staffing_problem(self, time_limit_s: float) -> opt.StaffingProblem:
        return opt.StaffingProblem(
            hours=self.horizon.hours,
            needs=self.needs,
            pools=self.pools,
            budgets=self.budgets,
            time_limit_s=time_limit_s,
            workers=1,
        )

    def district_keys(self) -> list[str]:
        keys = [key for key in self.districts if key != NO_DISTRICT]
        if any(d == NO_DISTRICT for d in self.district_of.values()):
            keys.append(NO_DISTRICT)
        return keys

    def roster_problem(
        self,
        district: str,
        staffing: opt.StaffingResult,
        *,
        time_limit_s: float,
        extra_absences: dict[str, opt.Window] | None = None,
    ) -> opt.RosterProblem:
        people = tuple(
            person
            for person_id, person in sorted(self.people.items(), key=lambda item: int(item[0]))
            if self.district_of[person_id] == district
        )
        if extra_absences:
            people = tuple(
                _with_absence(person, extra_absences[person.id])
                if person.id in extra_absences
                else person
                for person in people
            )
        demands = opt.demands_for_district(staffing, self.needs, district or None)
        return opt.RosterProblem(
            hours=self.horizon.hours,
            people=people,
            demands=demands,
            night_hours=self.horizon.night_hours(),
            holiday_hours=self.horizon.holiday_hours(),
            rules=opt.RosterRules(
                min_stint_hours=max(1, round(norm(MIN_STINT_NORM, self.region.pk)))
            ),
            previous=tuple(self.planned_shifts.get(district, ())),
            fixed=tuple(self.hand_shifts.get(district, ())),
            time_limit_s=time_limit_s,
            workers=2,
        )


def _with_absence(person: opt.Person, window: opt.Window) -> opt.Person:
    return opt.Person(
        person.id,
        person.agency,
        person.skills,
        person.weekly_hours,
        person.home_district,
        (*person.absences, window),
        person.committed,
    )


Commitment = tuple[int, dt.datetime, dt.datetime]
"""(person id, from, until): a window in which a person may not be rostered."""
CommitmentProvider = Callable[[Region, dt.datetime, dt.datetime], Iterable[Commitment]]
_PROVIDERS: list[CommitmentProvider] = []


def register_commitments(provider: CommitmentProvider) -> None:
    """Let an app above duty (trips: escorts) report windows its people are committed in.

    Called from that app's ``AppConfig.ready``; registering one provider twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def committed_windows(
    region: Region, starts_at: dt.datetime, ends_at: dt.datetime
) -> list[Commitment]:
    """Every registered app's commitments of the region's people overlapping the window."""
    return [row for provider in _PROVIDERS for row in provider(region, starts_at, ends_at)]


def load_region(
    region: Region,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    ignore_absences: Iterable[int] = (),
) -> RegionInput:
    """Read the region's records for the window into the optimiser's terms.

    ``ignore_absences``: absence ids left out (re-planning passes the new sickness, so stage
    one asks for what the roster needed before it and ``replan`` handles the person)."""
    horizon = Horizon.of(starts_at, ends_at)
    start, end = horizon.start, horizon.end
    posts = {
        str(post.pk): post
        for post in Post.objects.filter(region=region, starts_at__lt=end)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))
        .select_related("district")
    }
    agencies = {str(a.pk): a for a in Agency.objects.filter(Q(region=region) | Q(region=None))}
    districts: dict[str, District | None] = {
        d.slug: d for d in District.objects.filter(region=region).order_by("slug")
    }
    needs = []
    for row in requirements(region, start, end):
        post = posts.get(str(row.post_id))
        if post is None or row.people <= 0:
            continue
        needs.append(
            opt.Need(
                post=str(row.post_id),
                hour=horizon.index(row.hour),
                agency=str(row.agency_id),
                people=row.people,
                skill=row.skill,
                district=post.district.slug if post.district else None,
                priority=PRIORITY.get(post.kind, 1),
            )
        )
    staff = list(
        Person.objects.filter(region=region, active=True)
        .select_related("district")
        .order_by("pk")
        .values_list("pk", "agency_id", "skills", "weekly_hours", "district__slug")
    )
    absences: dict[str, list[opt.Window]] = defaultdict(list)
    for person_id, absence_start, absence_end in (
        Absence.objects.filter(person__region=region, starts_at__lt=end, ends_at__gt=start)
        .exclude(pk__in=list(ignore_absences))
        .values_list("person_id", "starts_at", "ends_at")
    ):
        window = horizon.window(absence_start, absence_end)
        if window:
            absences[str(person_id)].append(window)
    committed: dict[str, list[opt.Window]] = defaultdict(list)
    for person_id, departs, returns in committed_windows(region, start, end):
        window = horizon.window(departs, returns)
        if window:
            committed[str(person_id)].append(window)
    people: dict[str, opt.Person] = {}
    district_of: dict[str, str] = {}
    for pk, agency_id, skills, weekly, district in staff:
        key = str(pk)
        people[key] = opt.Person(
            id=key,
            agency=str(agency_id),
            skills=frozenset(skills or ()),
            weekly_hours=int(weekly),
            home_district=district or None,
            absences=tuple(absences.get(key, ())),
            committed=tuple(committed.get(key, ())),
        )
        district_of[key] = district or NO_DISTRICT
    pools, budgets = _pools_and_budgets(horizon, people.values())
    result = RegionInput(
        region=region,
        horizon=horizon,
        needs=tuple(needs),
        people=people,
        district_of=district_of,
        pools=pools,
        budgets=budgets,
        posts=posts,
        agencies=agencies,
        districts=districts,
    )
    _load_shifts(result)
    return result


def _pools_and_budgets(
    horizon: Horizon, people: Iterable[opt.Person]
) -> tuple[tuple[opt.Pool, ...], tuple[opt.HoursBudget, ...]]:
    base: Counter[tuple[str, frozenset[str], str | None]] = Counter()
    away: Counter[tuple[int, tuple[str, frozenset[str], str | None]]] = Counter()
    days = math.ceil(horizon.hours / 24)
    budget: dict[tuple[str, int], float] = defaultdict(float)
    for person in people:
        key = (person.agency, person.skills, person.home_district)
        base[key] += 1
        blocked: set[int] = set()
        for window in (*person.absences, *person.committed):
            blocked.update(range(window.start, window.end))
        for hour in blocked:
            away[(hour, key)] += 1
        for day in range(days):
            first, last = day * 24, min(horizon.hours, day * 24 + 24)
            free = sum(1 for hour in range(first, last) if hour not in blocked)
            budget[(person.agency, day)] += person.weekly_hours / 7 * free / 24
    pools = []
    for hour in range(horizon.hours):
        for key, count in base.items():
            available = count - away.get((hour, key), 0)
            if available > 0:
                agency, skills, district = key
                pools.append(opt.Pool(agency, hour, available, skills, district))
    budgets = tuple(
        opt.HoursBudget(agency, day * 24, min(horizon.hours, day * 24 + 24), math.floor(hours))
        for (agency, day), hours in sorted(budget.items())
    )
    return tuple(pools), budgets


def shift_rows(region: Region, horizon: Horizon) -> Any:
    """The stored shifts a plan of ``region`` over ``horizon`` reads and may rewrite."""
    return Shift.objects.filter(
        person__region=region,
        starts_at__lt=horizon.end,
        ends_at__gt=horizon.start,
    )


SHIFT_COLUMNS = ("pk", "person_id", "post_id", "starts_at", "ends_at", "skill", "plan_run_id")


def shift_fingerprint(rows: Iterable[tuple[Any, ...]]) -> str:
    """A digest of shift rows (``SHIFT_COLUMNS``), independent of their order."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r[0]):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _load_shifts(data: RegionInput) -> None:
    """Shifts of the region's people in the window: hand-made ones (fixed) and those a run
    wrote (the previous roster), by district, clipped to the window."""
    horizon = data.horizon
    rows = list(shift_rows(data.region, horizon).values_list(*SHIFT_COLUMNS))
    data.shifts_read = shift_fingerprint(rows)
    for pk, person_id, post_id, starts, ends, skill, run_id in rows:
        key = str(person_id)
        if key not in data.people:
            continue
        window = horizon.window(starts, ends)
        if window is None:
            continue
        shift = opt.Shift(key, str(post_id), window.start, window.end, skill or "")
        district = data.district_of[key]
        if run_id is None:
            data.hand_shifts.setdefault(district, []).append(shift)
        elif starts >= horizon.start:
            data.planned_shifts.setdefault(district, []).append(shift)
            data.planned_rows.setdefault(_key(shift), []).append(pk)
        else:
            # Began before the window: it stays, like a hand-made shift.
            data.hand_shifts.setdefault(district, []).append(shift)


def _key(shift: opt.Shift) -> tuple[str, str | None, int, int, str]:
    return (shift.person, shift.post, shift.start, shift.end, shift.skill)


def storable_shifts(
    result_shifts: Sequence[opt.Shift], kept: Sequence[opt.Shift]
) -> list[opt.Shift]:
    """The solver's shifts minus the ``kept`` (hand-made) ones, with hours at no post joined
    to the neighbouring post's shift of the same duty period, and touching pieces at one
    post merged."""
    left = Counter(_key(shift) for shift in kept)
    own: dict[str, list[opt.Shift]] = defaultdict(list)
    for shift in result_shifts:
        if left[_key(shift)] > 0:
            left[_key(shift)] -= 1
            continue
        own[shift.person].append(shift)
    stored: list[opt.Shift] = []
    for person, shifts in own.items():
        shifts.sort(key=lambda s: (s.start, s.end))
        pieces: list[list[Any]] = [[s.post, s.start, s.end, s.skill] for s in shifts]
        # Give idle pieces to the previous touching post piece, else to the next one.
        for i, piece in enumerate(pieces):
            if piece[0] is not None:
                continue
            before = pieces[i - 1] if i > 0 else None
            after = pieces[i + 1] if i + 1 < len(pieces) else None
            if before is not None and before[0] is not None and before[2] == piece[1]:
                before[2] = piece[2]
                piece[1] = piece[2]
            elif after is not None and after[0] is not None and after[1] == piece[2]:
                after[1] = piece[1]
                piece[2] = piece[1]
        merged: list[list[Any]] = []
        for piece in pieces:
            if piece[0] is None or piece[2] <= piece[1]:
                continue
            last = merged[-1] if merged else None
            if last and last[0] == piece[0] and last[3] == piece[3] and last[2] == piece[1]:
                last[2] = piece[2]
            else:
                merged.append(list(piece))
        stored.extend(
            opt.Shift(person, post, start, end, skill) for post, start, end, skill in merged
        )
    return stored


@dataclass
class GapSpan:
    """Consecutive short hours of one post, agency and skill for one reason."""

    source: str
    post: str
    agency: str
    skill: str
    start: int
    end: int
    needed: int
    staffed: int
    short_hours: int
    reason: str
    available: int = 0
    asked: int = 0
    reason_skills: tuple[str, ...] = ()
    budget: tuple[int, int, int] | None = None  # first hour, end hour, people-hours


def staffing_gaps(result: opt.StaffingResult) -> list[GapSpan]:
    spans: list[GapSpan] = []
    ordered = sorted(
        result.shortfalls, key=lambda s: (s.post, s.agency, s.skill, s.reason.kind, s.hour)
    )
    for row in ordered:
        last = spans[-1] if spans else None
        if (
            last is not None
            and last.source == SOURCE_STAFFING
            and (last.post, last.agency, last.skill, last.reason, last.end)
            == (row.post, row.agency, row.skill, row.reason.kind, row.hour)
        ):
            last.end = row.hour + 1
            last.needed = max(last.needed, row.needed)
            last.staffed = min(last.staffed, row.staffed)
            last.short_hours += row.short
            continue
        budget = row.reason.budget
        spans.append(
            GapSpan(
                SOURCE_STAFFING,
                row.post,
                row.agency,
                row.skill,
                row.hour,
                row.hour + 1,
                row.needed,
                row.staffed,
                row.short,
                row.reason.kind,
                row.reason.available,
                row.reason.needed,
                row.reason.skills,
                (budget.first_hour, budget.end_hour, budget.people_hours) if budget else None,
            )
        )
    return spans


def roster_gaps(result: opt.RosterResult) -> list[GapSpan]:
    spans: list[GapSpan] = []
    for row in sorted(result.unmet, key=lambda c: (c.post, c.agency, c.skill, c.hour)):
        last = spans[-1] if spans else None
        short = row.needed - row.staffed
        if last is not None and (last.post, last.agency, last.skill, last.end) == (
            row.post,
            row.agency,
            row.skill,
            row.hour,
        ):
            last.end = row.hour + 1
            last.needed = max(last.needed, row.needed)
            last.staffed = min(last.staffed, row.staffed)
            last.short_hours += short
            continue
        spans.append(
            GapSpan(
                ROSTER,
                row.post,
                row.agency,
                row.skill,
                row.hour,
                row.hour + 1,
                row.needed,
                row.staffed,
                short,
                ROSTER,
            )
        )
    return spans


def gap_row(data: RegionInput, span: GapSpan, district: str | None = None) -> dict[str, Any]:
    """A stored gap: structured, with names and times, no sentence (see ``gap_text``)."""
    post = data.posts.get(span.post)
    agency = data.agencies.get(span.agency)
    row: dict[str, Any] = {
        "source": span.source,
        "district": district,
        "post": int(span.post) if span.post.isdigit() else None,
        "post_name": post.name if post else span.post,
        "agency": agency.code if agency else span.agency,
        "agency_name": agency.name_en if agency else span.agency,
        "skill": span.skill,
        "starts_at": data.horizon.at(span.start).isoformat(),
        "ends_at": data.horizon.at(span.end).isoformat(),
        "needed": span.needed,
        "staffed": span.staffed,
        "short_hours": span.short_hours,
        "reason": span.reason,
        "available": span.available,
        "asked": span.asked,
        "skills": list(span.reason_skills),
    }
    if span.budget:
        first, end, hours = span.budget
        row["budget"] = {
            "starts_at": data.horizon.at(first).isoformat(),
            "ends_at": data.horizon.at(end).isoformat(),
            "people_hours": hours,
        }
    return row


def _local(text: str | None) -> str:
    if not text:
        return "—"
    try:
        return timezone.localtime(dt.datetime.fromisoformat(text)).strftime("%d.%m %H:%M")
    except ValueError:
        return text


def gap_text(row: dict[str, Any]) -> str:
    """Why a stored gap is short, as a translated sentence built from its fields."""
    skills = ", ".join(
        wording.skill_label(skill) if skill else _("any skill")
        for skill in row.get("skills") or [""]
    )
    agency = row.get("agency_name") or row.get("agency") or ""
    reason = row.get("reason")
    if reason == CAPACITY:
        return _(
            "%(agency)s has %(available)s people able to serve (%(skills)s) in that hour; "
            "the posts that need them ask for %(asked)s."
        ) % {
            "agency": agency,
            "available": row.get("available", 0),
            "skills": skills,
            "asked": row.get("asked", 0),
        }
    if reason == BUDGET:
        budget = row.get("budget") or {}
        return _(
            "%(agency)s has spent its %(hours)s person-hours for %(start)s – %(end)s "
            "(contracted hours of the people available)."
        ) % {
            "agency": agency,
            "hours": budget.get("people_hours", "?"),
            "start": _local(budget.get("starts_at")),
            "end": _local(budget.get("ends_at")),
        }
    if reason == UNRESOLVED:
        return _("The solver stopped before it could prove that nobody else fits.")
    if reason == ROSTER:
        return _(
            "Stage one found people of the district for these hours, but the roster rules "
            "(shift length, rest, weekly hours, absences, escorted trips) leave none of them "
            "free to take them."
        )
    return str(reason or "")


def horizon_of(starts_at: dt.datetime, ends_at: dt.datetime) -> Horizon:
    return Horizon.of(starts_at, ends_at)
