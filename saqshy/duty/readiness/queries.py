"""Read-side of duty: the readiness in force, staffing of posts, what must be staffed per hour.

``requirements`` is the seam for the roster optimiser: every post-hour's minimum staffing by
agency and skill, with the readiness level in force at that hour already applied.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from saqshy.accounts.models import Agency
from saqshy.accounts.queries import norm, norms
from saqshy.core.readcache import depends_on
from saqshy.duty.choices import ReadinessLevel
from saqshy.duty.models import Absence, Person, Post, PostNeed, Readiness, Shift
from saqshy.duty.needs import reserve, with_readiness

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ReadinessState:
    """The level in force and what it means by the norms of the region."""

    level: str
    record: Readiness | None
    staffing_multiplier: float
    reserve_share: float

    @property
    def label(self) -> str:
        return str(ReadinessLevel.label(self.level))

    @property
    def colour(self) -> str:
        return ReadinessLevel.colour(self.level)


def level_norms(level: str, region_id: int) -> tuple[float, float]:
    """(staffing multiplier, reserve share) of ``level`` in a region."""
    return (
        norm(f"readiness_{level}_staffing", region_id),
        norm(f"readiness_{level}_reserve", region_id),
    )


def in_force(when: dt.datetime) -> Q:
    return Q(starts_at__lte=when) & (Q(ends_at__isnull=True) | Q(ends_at__gt=when))


def _strictest(records: Iterable[Readiness]) -> Readiness | None:
    chosen: Readiness | None = None
    for record in records:
        if chosen is None or (record.rank, record.starts_at) > (chosen.rank, chosen.starts_at):
            chosen = record
    return chosen


def readiness_at(
    region: Any, agency: Any = None, when: dt.datetime | None = None
) -> ReadinessState:
    """The readiness of ``agency`` (or of the region as a whole) at ``when`` (default now).

    Levels set for all agencies and for this agency both apply; the strictest wins.
    """
    when = when or timezone.now()
    region_id = getattr(region, "pk", region)
    agency_id = getattr(agency, "pk", agency)
    records = Readiness.objects.filter(in_force(when), region_id=region_id)
    mine = Q(agency=None) | Q(agency_id=agency_id) if agency_id else Q(agency=None)
    chosen = _strictest(records.filter(mine))
    level = chosen.level if chosen else ReadinessLevel.NORMAL
    multiplier, share = level_norms(level, region_id)
    return ReadinessState(level, chosen, multiplier, share)


BANNER_SECONDS = 60
_BANNER_VERSION = "duty:readiness:version"


def banner_levels(user: Any) -> list[Readiness]:
    """Levels above normal in force now in the regions ``user`` may see; cached briefly per
    user, and dropped at once when any level is set or ended (see ``forget_banners``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    depends_on(Readiness._meta.db_table)  # the ids below may come from the cache
    version = cache.get_or_set(_BANNER_VERSION, 0, timeout=None)
    key = f"duty:readiness:banner:{user.pk}:{version}"
    ids = cache.get(key)
    if ids is None:
        ids = list(
            Readiness.objects.restrict(user, "view")
            .filter(in_force(timezone.now()))
            .exclude(level=ReadinessLevel.NORMAL)
            .values_list("pk", flat=True)
        )
        cache.set(key, ids, BANNER_SECONDS)
    if not ids:
        return []
    return list(
        Readiness.objects.filter(pk__in=ids)
        .select_related("region", "agency")
        .order_by("region__name_en", "agency_id")
    )


def forget_banners() -> None:
    try:
        cache.incr(_BANNER_VERSION)
    except ValueError:
        # Never expires: a version that lapsed and started again at 1 would bring back the
        # banners kept under it a minute ago.
        cache.set(_BANNER_VERSION, 1, timeout=None)


@dataclass(frozen=True)
class Staffing:
    """People needed at a post in one hour (readiness applied) against people on shift."""

    at: dt.datetime
    needed: int
    on_shift: int

    @property
    def short(self) -> int:
        return max(0, self.needed - self.on_shift)

    @property
    def status(self) -> str:
        if self.needed == 0:
            return "none"
        if self.on_shift >= self.needed:
            return "staffed"
        return "partial" if self.on_shift else "unstaffed"


def _reference_time(post: Post, now: dt.datetime) -> dt.datetime:
    if post.starts_at > now:
        return post.starts_at
    if post.ends_at is not None and post.ends_at <= now:
        return post.ends_at - HOUR
    return now


def staffing(posts: Sequence[Post], now: dt.datetime | None = None) -> dict[int, Staffing]:
    """Each post's staffing at its reference hour (now if it runs, else its first hour).

    A fixed number of queries for any number of posts: needs, shifts, readiness levels.
    """
    now = now or timezone.now()
    if not posts:
        return {}
    at = {post.pk: _reference_time(post, now) for post in posts}
    needs: dict[int, list[PostNeed]] = defaultdict(list)
    for need in PostNeed.objects.filter(post__in=[p.pk for p in posts]):
        needs[need.post_id].append(need)
    on_shift: dict[int, int] = defaultdict(int)
    earliest, latest = min(at.values()), max(at.values())
    for post_id, starts, ends in Shift.objects.filter(
        post__in=[p.pk for p in posts], starts_at__lte=latest, ends_at__gt=earliest
    ).values_list("post_id", "starts_at", "ends_at"):
        if starts <= at[post_id] < ends:
            on_shift[post_id] += 1
    levels = _levels_between({p.region_id for p in posts}, earliest, latest + HOUR)
    result = {}
    for post in posts:
        needed = sum(
            with_readiness(
                need.people, levels.multiplier(post.region_id, need.agency_id, at[post.pk])
            )
            for need in needs[post.pk]
        )
        result[post.pk] = Staffing(at[post.pk], needed, on_shift[post.pk])
    return result


@dataclass
class _Levels:
    """Readiness records of some regions over a period, with the norms of each level."""

    records: list[Readiness]
    norms: dict[tuple[str, int], float]

    def multiplier(self, region_id: int, agency_id: int | None, when: dt.datetime) -> float:
        chosen = _strictest(
            r
            for r in self.records
            if r.region_id == region_id
            and r.agency_id in (None, agency_id)
            and r.starts_at <= when
            and (r.ends_at is None or r.ends_at > when)
        )
        level = chosen.level if chosen else ReadinessLevel.NORMAL
        key = (level, region_id)
        if key not in self.norms:
            self.norms[key] = norm(f"readiness_{level}_staffing", region_id)
        return self.norms[key]


def _levels_between(region_ids: set[int], starts: dt.datetime, ends: dt.datetime) -> _Levels:
    records = list(
        Readiness.objects.filter(region_id__in=region_ids, starts_at__lt=ends).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=starts)
        )
    )
    # The staffing norm of every level in force, in one query whatever the period's length.
    levels = {ReadinessLevel.NORMAL, *(record.level for record in records)}
    table = norms([f"readiness_{level}_staffing" for level in levels], region_ids)
    return _Levels(
        records,
        {
            (level, region_id): table[(f"readiness_{level}_staffing", region_id)]
            for level in levels
            for region_id in region_ids
        },
    )


@dataclass(frozen=True)
class Requirement:
    """The minimum number of people of an agency (and skill) at a post in one hour."""

    post_id: int
    agency_id: int
    skill: str
    hour: dt.datetime
    people: int


def _hour_floor(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=0, second=0, microsecond=0)


def requirements(region: Any, starts_at: dt.datetime, ends_at: dt.datetime) -> list[Requirement]:
    """Every post-hour of ``region`` in [starts_at, ends_at) with its minimum staffing.

    Hours are whole clock hours; a post that runs for part of an hour needs it staffed for
    that hour. Readiness levels in force at the start of each hour raise the numbers.
    """
    region_id = getattr(region, "pk", region)
    posts = list(
        Post.objects.filter(region_id=region_id, starts_at__lt=ends_at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at))
        .prefetch_related("needs")
        .order_by("pk")
    )
    levels = _levels_between({region_id}, starts_at, ends_at)
    found = []
    for post in posts:
        hour = _hour_floor(max(post.starts_at, starts_at))
        last = min(post.ends_at or ends_at, ends_at)
        while hour < last:
            for need in post.needs.all():
                factor = levels.multiplier(region_id, need.agency_id, hour)
                found.append(
                    Requirement(
                        post.pk,
                        need.agency_id,
                        need.skill,
                        hour,
                        with_readiness(need.people, factor),
                    )
                )
            hour += HOUR
    return found


def available_personnel(region: Any, agency: Any, when: dt.datetime) -> int:
    """Active personnel of an agency in a region who are not absent at ``when``."""
    absent = Absence.objects.filter(starts_at__lte=when, ends_at__gt=when).values("person_id")
    return (
        Person.objects.filter(region=region, agency=agency, active=True)
        .exclude(pk__in=absent)
        .count()
    )


def reserve_on_call(region: Any, agency: Any, when: dt.datetime | None = None) -> int:
    """How many of an agency's available people the readiness in force puts on call."""
    when = when or timezone.now()
    state = readiness_at(region, agency, when)
    return reserve(available_personnel(region, agency, when), state.reserve_share)


@dataclass(frozen=True)
class ReserveRow:
    """One agency's reserve at a moment: how many the readiness puts on call, and whether the
    people who are neither absent nor on a shift then are enough to form it."""

    region: Any
    agency: Any
    reserve: int
    available: int
    on_shift: int

    @property
    def free(self) -> int:
        return max(0, self.available - self.on_shift)

    @property
    def short(self) -> int:
        return max(0, self.reserve - self.free)


def reserve_board(regions: Iterable[Any], when: dt.datetime) -> list[ReserveRow]:
    """The reserve of every agency with personnel in ``regions`` at ``when``."""
    rows = []
    for region in regions:
        agency_ids = (
            Person.objects.filter(region=region, active=True)
            .values_list("agency", flat=True)
            .distinct()
        )
        for agency in Agency.objects.filter(pk__in=agency_ids).order_by("kind", "name_en"):
            on_shift = (
                Shift.objects.filter(
                    person__region=region,
                    person__agency=agency,
                    starts_at__lte=when,
                    ends_at__gt=when,
                )
                .values("person")
                .distinct()
                .count()
            )
            rows.append(
                ReserveRow(
                    region=region,
                    agency=agency,
                    reserve=reserve_on_call(region, agency, when),
                    available=available_personnel(region, agency, when),
                    on_shift=on_shift,
                )
            )
    return rows
