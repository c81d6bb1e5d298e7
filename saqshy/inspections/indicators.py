"""The commission's fire-safety prevention figures (declared in ``apps.py``; see
docs/indicators.md).

Inspections, violations, briefings and drills carry a date only: they count in the window that
holds noon of their day (``core.indicators.dates_in``). A facility's region is its region.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet

from saqshy.accounts.models import Norm
from saqshy.accounts.norms import DEFAULT_NORMS
from saqshy.core.indicators import Figure, dates_in
from saqshy.inspections.choices import ViolationStatus
from saqshy.inspections.models import Briefing, Drill, Inspection, Violation
from saqshy.inspections.queries import clearance

CLOSED = (ViolationStatus.ELIMINATED, ViolationStatus.VERIFIED)
REGION = "facility__region_id"
VALIDITY = "inspection_validity_days"


def _grouped(queryset: QuerySet[Any], **aggregates: Any) -> dict[int, dict[str, Any]]:
    rows = queryset.order_by().values(REGION).annotate(**aggregates)
    return {row[REGION]: row for row in rows}


def _counts(
    queryset: QuerySet[Any], field: str = "id", distinct: bool = False
) -> dict[int, Figure]:
    rows = _grouped(queryset, n=Count(field, distinct=distinct))
    return {region_id: Figure(row["n"]) for region_id, row in rows.items()}


def _inspections(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Inspection]:
    first, last = dates_in(start, end)
    return Inspection.objects.filter(
        facility__region_id__in=ids, inspected_on__gte=first, inspected_on__lte=last
    )


def _found(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Violation]:
    first, last = dates_in(start, end)
    return Violation.objects.filter(
        facility__region_id__in=ids,
        inspection__inspected_on__gte=first,
        inspection__inspected_on__lte=last,
    )


def inspections(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Inspections (first or re-inspections) carried out on the window's days."""
    return _counts(_inspections(ids, start, end))


def venues_inspected(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Distinct facilities inspected on the window's days."""
    return _counts(_inspections(ids, start, end), "facility_id", distinct=True)


def violations_found(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Violations recorded by the inspections of the window's days."""
    return _counts(_found(ids, start, end))


def violations_eliminated(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Of the violations found on the window's days, those now eliminated or verified."""
    rows = _grouped(
        _found(ids, start, end),
        value=Count("id", filter=Q(status__in=CLOSED)),
        base=Count("id"),
    )
    return {region_id: Figure(row["value"], row["base"]) for region_id, row in rows.items()}


def open_violations(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Violations found up to the window's last day and not eliminated by then (whenever
    found): still open today, or eliminated after that day."""
    _first, last = dates_in(start, end)
    found = Violation.objects.filter(
        facility__region_id__in=ids, inspection__inspected_on__lte=last
    ).filter(~Q(status__in=CLOSED) | Q(eliminated_on__gt=last))
    return _counts(found)


def venues_cleared(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Facilities cleared for operation on the window's last day (``inspections.queries.
    clearance``: inspected within the validity norm, no blocking violation unverified)."""
    _first, last = dates_in(start, end)
    # Only a facility inspected within the longest validity in force can be cleared.
    overrides = Norm.objects.filter(code=VALIDITY).values_list("value", flat=True)
    longest = max([float(DEFAULT_NORMS[VALIDITY][0]), *map(float, overrides)])
    since = last - dt.timedelta(days=longest)
    candidates: dict[int, list[int]] = defaultdict(list)
    for facility_id, region_id in (
        Inspection.objects.filter(
            facility__region_id__in=ids, inspected_on__gte=since, inspected_on__lte=last
        )
        .order_by()
        .values_list("facility_id", REGION)
        .distinct()
    ):
        candidates[region_id].append(facility_id)
    found = {}
    for region_id, facility_ids in candidates.items():
        states = clearance(facility_ids, last, region_id=region_id)
        found[region_id] = Figure(sum(1 for state in states.values() if state.cleared))
    return found


def briefings(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Staff briefings held on the window's days."""
    first, last = dates_in(start, end)
    return _counts(
        Briefing.objects.filter(facility__region_id__in=ids, held_on__gte=first, held_on__lte=last)
    )


def drills(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Evacuation drills held on the window's days."""
    first, last = dates_in(start, end)
    return _counts(
        Drill.objects.filter(facility__region_id__in=ids, held_on__gte=first, held_on__lte=last)
    )
