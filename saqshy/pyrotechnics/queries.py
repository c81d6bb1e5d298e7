"""Read helpers: the campaign totals per region, used by the API and the overview page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.scoping import user_scope
from saqshy.pyrotechnics.choices import RaidStatus, VisitResult
from saqshy.pyrotechnics.models import (
    Outlet,
    Raid,
    RaidVisit,
    Seizure,
    SeizureLine,
    expired_certificate_q,
)

COUNTS = (
    "raids_done",
    "outlets_checked",
    "violations",
    "units_certified",
    "units_uncertified",
    "boxes_certified",
    "boxes_uncertified",
    "outlets_expired",
)


@dataclass
class Totals:
    """One region's figures (``region`` is None for the sum over regions).

    - ``raids_done``: raids with status *done* planned in the period;
    - ``outlets_checked``: distinct outlets with a recorded (non-pending) visit result in a
      raid planned in the period;
    - ``violations``: visits in that period with result *violation* or *closed*;
    - ``units_*`` / ``boxes_*``: seized in the period, split by the line's ``certified`` flag;
    - ``outlets_expired``: active outlets whose certificate is expired or missing today
      (a current state, not bound to the period).
    """

    region: Region | None
    raids_done: int = 0
    outlets_checked: int = 0
    violations: int = 0
    units_certified: int = 0
    units_uncertified: int = 0
    boxes_certified: int = 0
    boxes_uncertified: int = 0
    outlets_expired: int = 0

    @property
    def units(self) -> int:
        return self.units_certified + self.units_uncertified

    @property
    def boxes(self) -> int:
        return self.boxes_certified + self.boxes_uncertified

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}


def regions_in_scope(user: Any) -> QuerySet[Region]:
    """Regions where ``user`` may view any pyrotechnics record."""
    scopes = [user_scope(user, model, "view") for model in (Outlet, Raid, Seizure)]
    regions = Region.objects.order_by("name_en")
    if any(scope.national for scope in scopes):
        return regions
    return regions.filter(pk__in=set().union(*(scope.region_ids for scope in scopes)))


def _in_period(field: str, date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    condition = Q()
    if date_from is not None:
        condition &= Q(**{f"{field}__gte": date_from})
    if date_to is not None:
        condition &= Q(**{f"{field}__lte": date_to})
    return condition


def _per_region(queryset: QuerySet[Any], region_field: str, **aggregates: Any) -> dict[int, Any]:
    rows = queryset.order_by().values(region_field).annotate(**aggregates)
    return {row[region_field]: row for row in rows}


def totals(
    user: Any,
    region: Region | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[Totals]:
    """The figures per region in ``user``'s view scope (one region if given), in five queries.

    Each figure counts only records ``user`` may view, so a region a user sees for one model
    but not another shows zeros for the other.
    """
    regions = regions_in_scope(user)
    if region is not None:
        regions = regions.filter(pk=region.pk)
    regions_list = list(regions)
    ids = [r.pk for r in regions_list]

    raids = _per_region(
        Raid.objects.restrict(user, "view").filter(
            _in_period("planned_on", date_from, date_to),
            region_id__in=ids,
            status=RaidStatus.DONE,
        ),
        "region_id",
        n=Count("id"),
    )
    visits = _per_region(
        RaidVisit.objects.restrict(user, "view")
        .filter(_in_period("raid__planned_on", date_from, date_to), raid__region_id__in=ids)
        .exclude(result=VisitResult.PENDING),
        "raid__region_id",
        checked=Count("outlet_id", distinct=True),
        violations=Count("id", filter=Q(result__in=VisitResult.VIOLATIONS)),
    )
    certified, uncertified = Q(certified=True), Q(certified=False)
    seized = _per_region(
        SeizureLine.objects.restrict(user, "view").filter(
            _in_period("seizure__seized_on", date_from, date_to),
            seizure__region_id__in=ids,
        ),
        "seizure__region_id",
        units_certified=Sum("units", filter=certified),
        units_uncertified=Sum("units", filter=uncertified),
        boxes_certified=Sum("boxes", filter=certified),
        boxes_uncertified=Sum("boxes", filter=uncertified),
    )
    expired = _per_region(
        Outlet.objects.restrict(user, "view").filter(
            expired_certificate_q(timezone.localdate()), active=True, region_id__in=ids
        ),
        "region_id",
        n=Count("id"),
    )

    result = []
    for place in regions_list:
        lines = seized.get(place.pk, {})
        result.append(
            Totals(
                region=place,
                raids_done=raids.get(place.pk, {}).get("n", 0),
                outlets_checked=visits.get(place.pk, {}).get("checked", 0),
                violations=visits.get(place.pk, {}).get("violations", 0),
                units_certified=lines.get("units_certified") or 0,
                units_uncertified=lines.get("units_uncertified") or 0,
                boxes_certified=lines.get("boxes_certified") or 0,
                boxes_uncertified=lines.get("boxes_uncertified") or 0,
                outlets_expired=expired.get(place.pk, {}).get("n", 0),
            )
        )
    return result


def sum_totals(rows: list[Totals]) -> Totals:
    """The sum of several regions' figures."""
    total = Totals(region=None)
    for row in rows:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total
