"""The commission's figure on 24/7 duty (declared in ``apps.py``; see docs/indicators.md).

Post-hours as ``readiness.queries.requirements`` counts them: each whole clock hour of the
window in which a post runs needs the people of its ``needs`` rows, raised by the readiness
level in force at the start of that hour. An hour is staffed by the people whose shift at the
post overlaps it, up to the number needed (a surplus at one post does not cover another).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from saqshy.core.indicators import Days, Figure, by_day, in_windows_by_day
from saqshy.duty.models import Post, Shift
from saqshy.duty.needs import with_readiness
from saqshy.duty.readiness.queries import HOUR, _hour_floor, _Levels, _levels_between


@dataclass
class _Shifts:
    """One post's shifts (start, end), in the order of their starts."""

    shifts: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    starts: list[dt.datetime] = field(default_factory=list)
    longest: dt.timedelta = dt.timedelta(0)

    def add(self, began: dt.datetime, ended: dt.datetime) -> None:
        self.shifts.append((began, ended))
        self.longest = max(self.longest, ended - began)

    def sort(self) -> None:
        self.shifts.sort()
        self.starts = [began for began, _ended in self.shifts]

    def overlapping(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Those that overlap ``[start, end)``: a day's few of a season's many."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, end)
        return [(b, e) for b, e in self.shifts[first:last] if e > start]


@dataclass(frozen=True)
class _Duty:
    """The posts that run at some time of a span, with their shifts and readiness levels."""

    posts: list[Post]
    shifts: dict[int, _Shifts]
    levels: _Levels


def _duty(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> _Duty | None:
    posts = list(
        Post.objects.filter(region_id__in=ids, starts_at__lt=end)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))
        .prefetch_related("needs")
        .order_by("pk")
    )
    if not posts:
        return None
    shifts: dict[int, _Shifts] = defaultdict(_Shifts)
    for post_id, began, ended in Shift.objects.filter(
        post__in=[post.pk for post in posts], starts_at__lt=end, ends_at__gt=start
    ).values_list("post_id", "starts_at", "ends_at"):
        shifts[post_id].add(began, ended)
    for each in shifts.values():
        each.sort()
    levels = _levels_between({post.region_id for post in posts}, start, end)
    return _Duty(posts, shifts, levels)


def _coverage(duty: _Duty | None, start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Per region, (person-hours staffed, person-hours needed) in the window."""
    if duty is None:
        return {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for post in duty.posts:
        needs = list(post.needs.all())
        if not needs or post.starts_at >= end or (post.ends_at and post.ends_at <= start):
            continue
        staffed = duty.shifts[post.pk].overlapping(start, end) if post.pk in duty.shifts else []
        hour = _hour_floor(max(post.starts_at, start))
        last = min(post.ends_at or end, end)
        while hour < last:
            # The level in force when the hour begins, or the window if that is later (an
            # hour floored in UTC may begin before a local window in a half-hour time zone).
            when = max(hour, start)
            needed = sum(
                with_readiness(
                    need.people, duty.levels.multiplier(post.region_id, need.agency_id, when)
                )
                for need in needs
            )
            on_shift = sum(
                1
                for began, ended in staffed
                if began < min(hour + HOUR, end) and ended > max(hour, start)
            )
            totals[post.region_id][0] += min(needed, on_shift)
            totals[post.region_id][1] += needed
            hour += HOUR
    return {region_id: Figure(value, base) for region_id, (value, base) in totals.items()}


def duty_coverage_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return in_windows_by_day(days, lambda start, end: _duty(ids, start, end), _coverage)


@by_day(duty_coverage_days)
def duty_coverage(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Person-hours staffed at the posts, of the person-hours they need in the window."""
    return _coverage(_duty(ids, start, end), start, end)
