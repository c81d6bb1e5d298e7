"""The commission's figures on the home fire-alarm programme (declared in ``apps.py``; see
docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from saqshy.alarms.choices import AlarmEventKind
from saqshy.alarms.models import AlarmEvent, Installation
from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    counted_by_day,
    counted_in,
    rows_counted,
    standing_by_day,
    standing_in,
)
from saqshy.ingest.choices import DeviceStatus


def _installations(ids: Sequence[int]) -> QuerySet[Installation]:
    return Installation.objects.filter(region_id__in=ids).exclude(
        device__status=DeviceStatus.RETIRED
    )


def _installed_by(last: dt.date, _end: dt.datetime) -> Q:
    return Q(installed_on__lte=last)


def _online(selected: Q) -> Count:
    return Count("id", filter=selected & Q(device__status=DeviceStatus.ONLINE))


def sensors_installed_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_installations(ids), days, _installed_by, rows_counted)


@by_day(sensors_installed_days)
def sensors_installed(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Sensors installed up to the window's last day whose device is not retired."""
    return standing_in(_installations(ids), start, end, _installed_by, rows_counted)


def sensors_online_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_installations(ids), days, _installed_by, _online, rows_counted)


@by_day(sensors_online_days)
def sensors_online(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Of those sensors, the ones whose device is online now (the device's status history is
    not kept, so a past window shows today's status)."""
    return standing_in(_installations(ids), start, end, _installed_by, _online, rows_counted)


def _alarmed(ids: Sequence[int]) -> QuerySet[AlarmEvent]:
    return AlarmEvent.objects.real().filter(
        region_id__in=ids,
        kind=AlarmEventKind.ALARM,
        incident__is_exercise=False,
        incident__merged_at__isnull=True,
    )


def home_alarms_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(
        _alarmed(ids), "incident__reported_at", days, Count("incident_id", distinct=True)
    )


@by_day(home_alarms_days)
def home_alarms(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Incidents reported in the window that a home sensor's alarm opened or joined (merged
    duplicates and exercises left out)."""
    return counted_in(
        _alarmed(ids), "incident__reported_at", start, end, Count("incident_id", distinct=True)
    )
