"""Monthly partitions of the telemetry table on PostgreSQL (nothing to do on SQLite).

On PostgreSQL ``ingest_reading`` is ``PARTITION BY RANGE (at)`` (migration 0001): one
partition per calendar month (UTC) named ``ingest_reading_yYYYYmMM`` and a DEFAULT partition
that takes any time outside them (a device clock years off never fails an insert). The
consumer creates the coming months at start and retention drops whole months past the
retention period, which costs nothing compared with deleting rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import connections, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

TABLE = "ingest_reading"
DEFAULT = f"{TABLE}_default"
_NAME = re.compile(rf"{TABLE}_y(\d{{4}})m(\d{{2}})")


def is_partitioned(using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def _month(day: dt.date, offset: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def _bound(day: dt.date) -> str:
    return f"{day.isoformat()} 00:00:00+00"


def partitions(using: str = "default") -> dict[str, dt.date]:
    """The monthly partitions that exist: name → first day of the month."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = {}
    for name in names:
        match = _NAME.fullmatch(name)
        if match:
            found[name] = dt.date(int(match[1]), int(match[2]), 1)
    return found


def ensure_partitions(
    months_ahead: int = 2, today: dt.date | None = None, using: str = "default"
) -> list[str]:
    """Create the partitions from last month to ``months_ahead`` months ahead; return the new.

    Rows of such a month already in the DEFAULT partition are moved into the new one.
    """
    if not is_partitioned(using):
        return []
    today = today or timezone.now().astimezone(dt.UTC).date()
    existing = set(partitions(using))
    created = []
    for offset in range(-1, months_ahead + 1):
        start = _month(today, offset)
        name = f"{TABLE}_y{start.year:04d}m{start.month:02d}"
        if name in existing:
            continue
        low, high = _bound(start), _bound(_month(start, 1))
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
            cursor.execute(
                f"WITH moved AS (DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s RETURNING *) "  # noqa: S608
                f"INSERT INTO {name} SELECT * FROM moved",
                [low, high],
            )
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {name} "
                f"FOR VALUES FROM ('{low}') TO ('{high}')"
            )
        created.append(name)
    if created:
        log.info("ingest: created reading partitions %s", ", ".join(created))
    return created


def drop_partitions_before(cutoff: dt.datetime, using: str = "default") -> list[str]:
    """Drop the monthly partitions that end on or before ``cutoff``; return their names."""
    if not is_partitioned(using):
        return []
    dropped = []
    for name, start in sorted(partitions(using).items(), key=lambda kv: kv[1]):
        end = dt.datetime.combine(_month(start, 1), dt.time(), tzinfo=dt.UTC)
        if end <= cutoff:
            with transaction.atomic(using=using), connections[using].cursor() as cursor:
                cursor.execute(f"DROP TABLE {name}")
            dropped.append(name)
    if dropped:
        log.info("ingest: dropped reading partitions %s", ", ".join(dropped))
    return dropped
