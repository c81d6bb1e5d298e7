"""How long raw device data is kept: events ``INGEST_MESSAGE_RETENTION_DAYS`` (by receipt),
readings ``INGEST_READING_RETENTION_DAYS`` (by measurement time).

On PostgreSQL whole monthly reading partitions past the period are dropped first; what is
left (the partly expired month, the DEFAULT partition, SQLite) is deleted row by row in
chunks so no single statement holds locks for long.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from saqshy.ingest import partitions
from saqshy.ingest.models import DeviceMessage, Reading

CHUNK = 10_000


@dataclass
class Purged:
    messages: int = 0
    readings: int = 0
    dropped_partitions: list[str] = field(default_factory=list)


def _delete_chunked(model: type[DeviceMessage] | type[Reading], **before: dt.datetime) -> int:
    total = 0
    while True:
        ids = list(model.objects.filter(**before).values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return total
        deleted, _ = model.objects.filter(pk__in=ids, **before).delete()
        total += deleted


def purge(now: dt.datetime | None = None) -> Purged:
    """Delete device events and readings older than their retention periods."""
    now = now or timezone.now()
    message_cutoff = now - dt.timedelta(days=settings.INGEST_MESSAGE_RETENTION_DAYS)
    reading_cutoff = now - dt.timedelta(days=settings.INGEST_READING_RETENTION_DAYS)
    result = Purged()
    result.messages = _delete_chunked(DeviceMessage, received_at__lt=message_cutoff)
    result.dropped_partitions = partitions.drop_partitions_before(reading_cutoff)
    result.readings = _delete_chunked(Reading, at__lt=reading_cutoff)
    partitions.ensure_partitions()
    return result
