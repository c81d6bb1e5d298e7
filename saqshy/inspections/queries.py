"""Read-side rules of fire safety: a facility's clearance, derived from the records."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max

from saqshy.accounts.queries import norm, norms
from saqshy.inspections.choices import Clearance, Severity, ViolationStatus
from saqshy.inspections.models import Inspection, Violation


@dataclass(frozen=True)
class ClearanceState:
    facility_id: int
    status: str
    last_inspected_on: date | None
    blocking_violations: tuple[int, ...]

    @property
    def cleared(self) -> bool:
        return self.status == Clearance.CLEARED

    @property
    def label(self) -> str:
        return str(Clearance.label(self.status))


def clearance(
    facility_ids: Iterable[int], on: date, *, region_id: int | None = None
) -> dict[int, ClearanceState]:
    """Each facility's clearance for operation on day ``on``, in two queries.

    Cleared when it was inspected within ``inspection_validity_days`` before ``on`` and no
    major or critical violation is still unverified. Violations count as they stand today.
    """
    ids = list(facility_ids)
    validity = timedelta(days=norm("inspection_validity_days", region_id))
    last = dict(
        Inspection.objects.filter(facility_id__in=ids, inspected_on__lte=on)
        .values("facility_id")
        .annotate(last=Max("inspected_on"))
        .values_list("facility_id", "last")
    )
    blocking = _blocking(ids)
    return {
        facility_id: _state(facility_id, on, last.get(facility_id), blocking, validity)
        for facility_id in ids
    }


def _state(
    facility_id: int,
    on: date,
    inspected: date | None,
    blocking: dict[int, list[int]],
    validity: timedelta,
) -> ClearanceState:
    if facility_id in blocking:
        status = Clearance.BLOCKED
    elif inspected is None:
        status = Clearance.NEVER
    elif on - inspected > validity:
        status = Clearance.EXPIRED
    else:
        status = Clearance.CLEARED
    return ClearanceState(
        facility_id, status, inspected, tuple(sorted(blocking.get(facility_id, [])))
    )


def _blocking(ids: Iterable[int]) -> dict[int, list[int]]:
    blocking: dict[int, list[int]] = {}
    for facility_id, violation_id in (
        Violation.objects.filter(facility_id__in=ids, severity__in=Severity.BLOCKING)
        .exclude(status=ViolationStatus.VERIFIED)
        .values_list("facility_id", "id")
    ):
        blocking.setdefault(facility_id, []).append(violation_id)
    return blocking


def clearance_on_days(
    wanted: Iterable[tuple[int, date, int | None]],
) -> dict[tuple[int, date, int | None], ClearanceState]:
    """``clearance`` of each (facility, day, region whose validity norm applies), in three
    queries whatever the days and regions (a page of events across the country)."""
    pairs = set(wanted)
    if not pairs:
        return {}
    ids = {facility_id for facility_id, _, _ in pairs}
    validity = norms(["inspection_validity_days"], {region_id for *_, region_id in pairs})
    dates: dict[int, list[date]] = {}
    for facility_id, inspected_on in (
        Inspection.objects.filter(
            facility_id__in=ids, inspected_on__lte=max(day for _, day, _ in pairs)
        )
        .order_by("inspected_on")
        .values_list("facility_id", "inspected_on")
    ):
        dates.setdefault(facility_id, []).append(inspected_on)
    blocking = _blocking(ids)
    found = {}
    for facility_id, day, region_id in pairs:
        held = dates.get(facility_id, [])
        before = bisect.bisect_right(held, day)
        found[(facility_id, day, region_id)] = _state(
            facility_id,
            day,
            held[before - 1] if before else None,
            blocking,
            timedelta(days=validity[("inspection_validity_days", region_id)]),
        )
    return found


def clearance_of(facility_id: int, on: date, *, region_id: int | None = None) -> ClearanceState:
    return clearance([facility_id], on, region_id=region_id)[facility_id]
