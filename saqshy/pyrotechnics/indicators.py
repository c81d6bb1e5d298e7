"""The commission's pyrotechnics figures (declared in ``apps.py``; see docs/indicators.md).

Raids and seizures carry a date only: they count in the window that holds noon of their day
(``core.indicators.dates_in``), as ``queries.totals`` counts them for a date range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Sum

from saqshy.core.indicators import Figure, dates_in
from saqshy.pyrotechnics.choices import RaidStatus
from saqshy.pyrotechnics.models import Raid, SeizureLine


def raids(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Raids done, planned for the window's days."""
    first, last = dates_in(start, end)
    rows = (
        Raid.objects.filter(
            region_id__in=ids,
            status=RaidStatus.DONE,
            planned_on__gte=first,
            planned_on__lte=last,
        )
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}


def _seized(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime, field: str
) -> dict[int, Figure]:
    first, last = dates_in(start, end)
    rows = (
        SeizureLine.objects.filter(
            seizure__region_id__in=ids,
            seizure__seized_on__gte=first,
            seizure__seized_on__lte=last,
        )
        .order_by()
        .values("seizure__region_id")
        .annotate(n=Sum(field))
    )
    return {row["seizure__region_id"]: Figure(row["n"] or 0) for row in rows}


def pyro_units_seized(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Units of pyrotechnics seized on the window's days (certified or not)."""
    return _seized(ids, start, end, "units")


def pyro_boxes_seized(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Boxes of pyrotechnics seized on the window's days (certified or not)."""
    return _seized(ids, start, end, "boxes")
