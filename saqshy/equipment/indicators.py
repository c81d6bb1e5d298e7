"""The commission's figure on equipment checks (declared in ``apps.py``; see
docs/indicators.md). Checks carry a date only: they count in the window that holds noon of
their day (``core.indicators.dates_in``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count

from saqshy.core.indicators import Figure, dates_in
from saqshy.equipment.models import EquipmentCheck, HydrantCheck


def equipment_checks(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Checks of hydrants and of facility equipment (extinguishers, alarms, sprinklers …)."""
    first, last = dates_in(start, end)
    total: Counter[int] = Counter()
    for queryset, region in (
        (
            HydrantCheck.objects.filter(
                hydrant__region_id__in=ids, checked_on__gte=first, checked_on__lte=last
            ),
            "hydrant__region_id",
        ),
        (
            EquipmentCheck.objects.filter(
                equipment__facility__region_id__in=ids,
                checked_on__gte=first,
                checked_on__lte=last,
            ),
            "equipment__facility__region_id",
        ),
    ):
        for row in queryset.order_by().values(region).annotate(n=Count("id")):
            total[row[region]] += row["n"]
    return {region_id: Figure(n) for region_id, n in total.items()}
