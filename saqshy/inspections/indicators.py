"""The commission's fire-safety prevention figures (declared in ``apps.py``; see
docs/indicators.md).

Inspections, violations, briefings and drills carry a date only: they count in the window that
holds noon of their day (``core.indicators.dates_in``). A facility's region is its region.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.accounts.models import Norm
from saqshy.accounts.norms import DEFAULT_NORMS
from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    dated_by_day,
    dated_in,
    dates_in,
    rows_counted,
    standing_by_day,
    standing_in,
)
from saqshy.inspections.choices import ViolationStatus
from saqshy.inspections.models import Briefing, Drill, Inspection, Violation
from saqshy.inspections.queries import clearance_on_days

CLOSED = (ViolationStatus.ELIMINATED, ViolationStatus.VERIFIED)
REGION = "facility__region_id"
VALIDITY = "inspection_validity_days"


INSPECTED = "inspected_on"
FOUND = "inspection__inspected_on"
HELD = "held_on"


def _inspections(ids: Sequence[int]) -> QuerySet[Inspection]:
    return Inspection.objects.filter(facility__region_id__in=ids)


def _found(ids: Sequence[int]) -> QuerySet[Violation]:
    return Violation.objects.filter(facility__region_id__in=ids)


def _eliminated() -> tuple[Count, Count]:
    return Count("id", filter=Q(status__in=CLOSED)), Count("id")


def inspections_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_inspections(ids), INSPECTED, days, Count("id"), region=REGION)


@by_day(inspections_days)
def inspections(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Inspections (first or re-inspections) carried out on the window's days."""
    return dated_in(_inspections(ids), INSPECTED, start, end, Count("id"), region=REGION)


def _venues() -> Count:
    return Count("facility_id", distinct=True)


def venues_inspected_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_inspections(ids), INSPECTED, days, _venues(), region=REGION)


@by_day(venues_inspected_days)
def venues_inspected(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Distinct facilities inspected on the window's days."""
    return dated_in(_inspections(ids), INSPECTED, start, end, _venues(), region=REGION)


def violations_found_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_found(ids), FOUND, days, Count("id"), region=REGION)


@by_day(violations_found_days)
def violations_found(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Violations recorded by the inspections of the window's days."""
    return dated_in(_found(ids), FOUND, start, end, Count("id"), region=REGION)


def violations_eliminated_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_found(ids), FOUND, days, *_eliminated(), region=REGION)


@by_day(violations_eliminated_days)
def violations_eliminated(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Of the violations found on the window's days, those now eliminated or verified."""
    return dated_in(_found(ids), FOUND, start, end, *_eliminated(), region=REGION)


def _open_on(last: dt.date, _end: dt.datetime) -> Q:
    return Q(inspection__inspected_on__lte=last) & (
        ~Q(status__in=CLOSED) | Q(eliminated_on__gt=last)
    )


def open_violations_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_found(ids), days, _open_on, rows_counted, region=REGION)


@by_day(open_violations_days)
def open_violations(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Violations found up to the window's last day and not eliminated by then (whenever
    found): still open today, or eliminated after that day."""
    return standing_in(_found(ids), start, end, _open_on, rows_counted, region=REGION)


def _cleared_on(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    """Per local day of ``days``: the facilities cleared for operation on it, per region
    (``inspections.queries.clearance_on_days``). Only a facility inspected within the longest
    validity in force before a day can be cleared on it."""
    overrides = Norm.objects.filter(code=VALIDITY).values_list("value", flat=True)
    longest = max([float(DEFAULT_NORMS[VALIDITY][0]), *map(float, overrides)])
    since = min(days) - dt.timedelta(days=longest)
    candidates = dict(
        Inspection.objects.filter(
            facility__region_id__in=ids, inspected_on__gte=since, inspected_on__lte=max(days)
        )
        .order_by()
        .values_list("facility_id", REGION)
        .distinct()
    )
    states = clearance_on_days(
        (facility_id, day, region_id)
        for facility_id, region_id in candidates.items()
        for day in days
    )
    cleared = Counter((day, region_id) for (_f, day, region_id), s in states.items() if s.cleared)
    found: Days = {day: {} for day in days}
    for (day, region_id), n in cleared.items():
        if region_id is not None:
            found[day][region_id] = Figure(n)
    return found


@by_day(_cleared_on)
def venues_cleared(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Facilities cleared for operation on the window's last day (``inspections.queries.
    clearance``: inspected within the validity norm, no blocking violation unverified)."""
    _first, last = dates_in(start, end)
    return _cleared_on(ids, [last])[last]


def briefings_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    rows = Briefing.objects.filter(facility__region_id__in=ids)
    return dated_by_day(rows, HELD, days, Count("id"), region=REGION)


@by_day(briefings_days)
def briefings(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Staff briefings held on the window's days."""
    rows = Briefing.objects.filter(facility__region_id__in=ids)
    return dated_in(rows, HELD, start, end, Count("id"), region=REGION)


def drills_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    rows = Drill.objects.filter(facility__region_id__in=ids)
    return dated_by_day(rows, HELD, days, Count("id"), region=REGION)


@by_day(drills_days)
def drills(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Evacuation drills held on the window's days."""
    rows = Drill.objects.filter(facility__region_id__in=ids)
    return dated_in(rows, HELD, start, end, Count("id"), region=REGION)
