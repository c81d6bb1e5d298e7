"""Retention of raw device data, and the monthly reading partitions on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from saqshy.algorithms.ingest import Incoming
from saqshy.ingest import partitions, retention, services
from saqshy.ingest.models import DeviceMessage, Reading
from saqshy.ingest.tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def _reading(serial: str, ident: str, at: dt.datetime) -> Incoming:
    return Incoming("telemetry", serial, "reading", ident, at, at, {}, "pressure", 4.2)


def _partition_of(reading: Reading) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM ingest_reading WHERE id = %s", [reading.pk]
        )
        return str(cursor.fetchone()[0])


def test_old_events_and_readings_are_deleted(settings: Any) -> None:
    settings.INGEST_MESSAGE_RETENTION_DAYS = 90
    settings.INGEST_READING_RETENTION_DAYS = 400
    DeviceFactory(serial="BH-1", kind="site_gateway")
    old, recent = NOW - dt.timedelta(days=500), NOW - dt.timedelta(days=10)
    services.store(
        [
            Incoming("alarms", "BH-1", "heartbeat", "old", old, NOW - dt.timedelta(days=91)),
            Incoming("alarms", "BH-1", "heartbeat", "new", recent, recent),
            _reading("BH-1", "r-old", old),
            _reading("BH-1", "r-new", recent),
        ]
    )
    purged = retention.purge(now=NOW)
    assert (purged.messages, purged.readings) == (1, 1)
    assert list(DeviceMessage.objects.values_list("message_id", flat=True)) == ["new"]
    assert list(Reading.objects.values_list("message_id", flat=True)) == ["r-new"]
    out = io.StringIO()
    call_command("ingest_retention", stdout=out)
    assert "0 device event(s) and 0 reading(s) deleted" in out.getvalue()


def test_readings_go_to_their_month_and_old_months_are_dropped() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    assert partitions.is_partitioned()
    DeviceFactory(serial="BH-2", kind="site_gateway")
    # Years ahead, so the months made after migrate (this month and the next) are not these.
    today = dt.date(2031, 6, 15)
    odd = dt.datetime(2099, 5, 1, tzinfo=dt.UTC)
    early = dt.datetime(2031, 5, 2, tzinfo=dt.UTC)
    june = dt.datetime(2031, 6, 15, 12, tzinfo=dt.UTC)
    services.store([_reading("BH-2", "odd", odd), _reading("BH-2", "early", early)])
    assert _partition_of(Reading.objects.get(message_id="early")) == partitions.DEFAULT
    created = partitions.ensure_partitions(months_ahead=2, today=today)
    assert created == [
        "ingest_reading_y2031m05",
        "ingest_reading_y2031m06",
        "ingest_reading_y2031m07",
        "ingest_reading_y2031m08",
    ]
    assert partitions.ensure_partitions(months_ahead=2, today=today) == []
    # The row that waited in the default partition moved to its month; the odd one stayed.
    assert _partition_of(Reading.objects.get(message_id="early")) == "ingest_reading_y2031m05"
    assert _partition_of(Reading.objects.get(message_id="odd")) == partitions.DEFAULT
    services.store([_reading("BH-2", "june", june)])
    assert _partition_of(Reading.objects.get(message_id="june")) == "ingest_reading_y2031m06"
    dropped = partitions.drop_partitions_before(dt.datetime(2031, 6, 1, tzinfo=dt.UTC))
    assert "ingest_reading_y2031m05" in dropped
    assert "ingest_reading_y2031m06" not in dropped
    assert set(Reading.objects.values_list("message_id", flat=True)) == {"odd", "june"}
    # Redelivered into a partition: still stored once.
    result = services.store([_reading("BH-2", "june", june)])
    assert (result.readings, result.duplicates) == (0, 1)


def test_this_month_exists_after_migrate() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    month = timezone.now().astimezone(dt.UTC).date()
    assert f"ingest_reading_y{month.year:04d}m{month.month:02d}" in partitions.partitions()
