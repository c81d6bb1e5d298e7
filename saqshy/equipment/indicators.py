"""The commission's figure on equipment checks (declared in ``apps.py``; see
docs/indicators.md). Checks carry a date only: they count in the window that holds noon of
their day (``core.indicators.dates_in``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet

from saqshy.core.indicators import Days, Figure, by_day, dated_by_day, dated_in
from saqshy.equipment.models import EquipmentCheck, HydrantCheck


def _checks(ids: Sequence[int]) -> list[tuple[QuerySet[Any], str]]:
    """Hydrants' checks and facility equipment's, each with the path to its region."""
    return [
        (HydrantCheck.objects.filter(hydrant__region_id__in=ids), "hydrant__region_id"),
        (
            EquipmentCheck.objects.filter(equipment__facility__region_id__in=ids),
            "equipment__facility__region_id",
        ),
    ]


def _added(parts: list[dict[int, Figure]]) -> dict[int, Figure]:
    total: Counter[int] = Counter()
    for part in parts:
        for region_id, figure in part.items():
            total[region_id] += int(figure.value)
    return {region_id: Figure(n) for region_id, n in total.items()}


def equipment_checks_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    parts = [
        dated_by_day(rows, "checked_on", days, Count("id"), region=region)
        for rows, region in _checks(ids)
    ]
    return {day: _added([part[day] for part in parts]) for day in days}


@by_day(equipment_checks_days)
def equipment_checks(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Checks of hydrants and of facility equipment (extinguishers, alarms, sprinklers …)."""
    return _added(
        [
            dated_in(rows, "checked_on", start, end, Count("id"), region=region)
            for rows, region in _checks(ids)
        ]
    )
