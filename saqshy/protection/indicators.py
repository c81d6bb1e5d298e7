"""The commission's figures on protective security of crowded places (declared in
``apps.py``; see docs/indicators.md).

Both are taken at the window's end, on its last day (``core.indicators.dates_in``): an
assessment or a finding counts once it was recorded by the window's end, and a finding is
open on that day unless it was fixed on or before it. A venue's region is its region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q

from saqshy.core.indicators import Figure, dates_in
from saqshy.protection.choices import AssessmentStatus, FindingStatus, Severity
from saqshy.protection.models import Assessment, Finding

REGION = "facility__region_id"


def crowded_venues_assessed(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Venues with a completed assessment (completed by the window's end) valid on the
    window's last day: ``assessed_on <= day <= valid_until``, at any tier."""
    _first, last = dates_in(start, end)
    rows = (
        Assessment.objects.filter(
            facility__region_id__in=ids,
            status=AssessmentStatus.COMPLETED,
            completed_at__lt=end,
            assessed_on__lte=last,
            valid_until__gte=last,
        )
        .order_by()
        .values(REGION)
        .annotate(n=Count("facility_id", distinct=True))
    )
    return {row[REGION]: Figure(row["n"]) for row in rows}


def protection_critical_open(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Critical findings recorded by the window's end and not fixed by its last day (still
    open, or fixed on a later day)."""
    _first, last = dates_in(start, end)
    rows = (
        Finding.objects.filter(
            facility__region_id__in=ids, severity=Severity.CRITICAL, created_at__lt=end
        )
        .filter(Q(status=FindingStatus.OPEN) | Q(fixed_on__gt=last))
        .order_by()
        .values(REGION)
        .annotate(n=Count("id"))
    )
    return {row[REGION]: Figure(row["n"]) for row in rows}
