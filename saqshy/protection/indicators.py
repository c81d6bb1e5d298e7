"""The commission's figures on protective security of crowded places (declared in
``apps.py``; see docs/indicators.md).

Both are taken at the window's end, on its last day (``core.indicators.dates_in``): an
assessment or a finding counts once it was recorded by the window's end, and a finding is
open on that day unless it was fixed on or before it. A venue's region is its region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.core.indicators import Days, Figure, by_day, rows_counted, standing_by_day, standing_in
from saqshy.protection.choices import AssessmentStatus, FindingStatus, Severity
from saqshy.protection.models import Assessment, Finding

REGION = "facility__region_id"


def _assessments(ids: Sequence[int]) -> QuerySet[Assessment]:
    return Assessment.objects.filter(facility__region_id__in=ids, status=AssessmentStatus.COMPLETED)


def _valid_on(last: dt.date, end: dt.datetime) -> Q:
    return Q(completed_at__lt=end, assessed_on__lte=last, valid_until__gte=last)


def _venues(selected: Q) -> Count:
    return Count("facility_id", distinct=True, filter=selected)


def crowded_venues_assessed_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_assessments(ids), days, _valid_on, _venues, region=REGION)


@by_day(crowded_venues_assessed_days)
def crowded_venues_assessed(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Venues with a completed assessment (completed by the window's end) valid on the
    window's last day: ``assessed_on <= day <= valid_until``, at any tier."""
    return standing_in(_assessments(ids), start, end, _valid_on, _venues, region=REGION)


def _critical(ids: Sequence[int]) -> QuerySet[Finding]:
    return Finding.objects.filter(facility__region_id__in=ids, severity=Severity.CRITICAL)


def _open_on(last: dt.date, end: dt.datetime) -> Q:
    return Q(created_at__lt=end) & (Q(status=FindingStatus.OPEN) | Q(fixed_on__gt=last))


def protection_critical_open_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_critical(ids), days, _open_on, rows_counted, region=REGION)


@by_day(protection_critical_open_days)
def protection_critical_open(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Critical findings recorded by the window's end and not fixed by its last day (still
    open, or fixed on a later day)."""
    return standing_in(_critical(ids), start, end, _open_on, rows_counted, region=REGION)
