"""The commission's figures on the home fire-alarm programme (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.alarms.choices import AlarmEventKind
from saqshy.alarms.models import AlarmEvent, Installation
from saqshy.core.indicators import Figure, dates_in
from saqshy.ingest.choices import DeviceStatus


def _installed(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Installation]:
    _first, last = dates_in(start, end)
    return (
        Installation.objects.filter(region_id__in=ids, installed_on__lte=last)
        .exclude(device__status=DeviceStatus.RETIRED)
        .order_by()
    )


def sensors_installed(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Sensors installed up to the window's last day whose device is not retired."""
    rows = _installed(ids, start, end).values("region_id").annotate(n=Count("id"))
    return {row["region_id"]: Figure(row["n"]) for row in rows}


def sensors_online(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Of those sensors, the ones whose device is online now (the device's status history is
    not kept, so a past window shows today's status)."""
    rows = (
        _installed(ids, start, end)
        .values("region_id")
        .annotate(value=Count("id", filter=Q(device__status=DeviceStatus.ONLINE)), base=Count("id"))
    )
    return {row["region_id"]: Figure(row["value"], row["base"]) for row in rows}


def home_alarms(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Incidents reported in the window that a home sensor's alarm opened or joined (merged
    duplicates and exercises left out)."""
    rows = (
        AlarmEvent.objects.real()
        .filter(
            region_id__in=ids,
            kind=AlarmEventKind.ALARM,
            incident__is_exercise=False,
            incident__reported_at__gte=start,
            incident__reported_at__lt=end,
            incident__merged_at__isnull=True,
        )
        .order_by()
        .values("region_id")
        .annotate(n=Count("incident_id", distinct=True))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}
