"""The ingest path: store a batch of device messages once, then hand them to their handlers.

Two steps, both safe to repeat and to run in several consumers at once:

- :func:`store` writes a batch in one transaction before the broker is acknowledged: device
  events into ``DeviceMessage`` and telemetry into ``Reading`` (both insert-or-ignore, so a
  redelivered message is stored once), devices' last-heard times in bulk UPDATEs, and a
  device heard from again goes online through :func:`mark_online` (audited, pushed live).
  Reading handlers run inside that transaction on the readings it newly inserted, so a
  redelivered reading never reaches them twice and a crash before commit loses none.
- :func:`process` claims unhandled events by compare-and-set and calls the handlers
  registered for their kind (``saqshy.ingest.handlers``), alarms first. A failing handler is
  logged, its messages released for a retry, and given up after ``INGEST_HANDLER_ATTEMPTS``.

Raw messages are not audited row by row; the decisions taken from them are.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, When
from django.utils import timezone

from saqshy.algorithms.ingest import Incoming
from saqshy.core import audit
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.core.worker import claim, worker_name
from saqshy.ingest import handlers
from saqshy.ingest.choices import DeviceStatus, MessageKind
from saqshy.ingest.models import Device, DeviceMessage, Reading

log = logging.getLogger(__name__)

SYSTEM_USERNAME = "saqshy-ingest"
FAILED = "!failed"
"""``handled_by`` of a message whose handlers failed ``INGEST_HANDLER_ATTEMPTS`` times."""
NO_HANDLER = "-"
"""``handled_by`` of a message stored when no handler was registered for its kind."""

__all__ = [
    "FAILED",
    "Incoming",
    "StoreResult",
    "mark_online",
    "process",
    "reclaim",
    "store",
    "system_user",
]


def system_user() -> Any:
    """The acting user of decisions taken from device messages (an inactive account).

    Looked up by its unique name on each call (one indexed query per batch): a cached object
    would outlive a test's rolled-back transaction.
    """
    user_model = get_user_model()
    user, created = user_model._default_manager.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@dataclass
class StoreResult:
    """What one :func:`store` call did, for counters and logs."""

    messages: int = 0
    """Device events newly stored."""
    readings: int = 0
    """Telemetry values newly stored."""
    duplicates: int = 0
    """Messages already stored (a redelivery or a device that sent twice)."""
    unknown: int = 0
    """Messages from serials no ``Device`` has; logged and dropped."""
    online: int = 0
    """Devices that went online (from new or offline)."""
    kinds: Counter[str] = field(default_factory=Counter)
    """Newly stored events by kind."""

    def add(self, other: StoreResult) -> None:
        self.messages += other.messages
        self.readings += other.readings
        self.duplicates += other.duplicates
        self.unknown += other.unknown
        self.online += other.online
        self.kinds.update(other.kinds)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- storing ------------------------------------------------------------------------------------


def store(batch: Sequence[Incoming]) -> StoreResult:
    """Store ``batch`` in one transaction; messages already stored are skipped.

    Raises on database errors (the caller does not acknowledge and retries later).
    """
    result = StoreResult()
    if not batch:
        return result
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        devices = _lock_and_touch(batch) if postgres else _lock_devices(batch)
        known = [m for m in batch if m.serial in devices]
        result.unknown = len(batch) - len(known)
        if result.unknown:
            missing = sorted({m.serial for m in batch if m.serial not in devices})
            log.warning(
                "ingest: %d messages from %d unknown devices dropped (%s)",
                result.unknown,
                len(missing),
                ", ".join(missing[:5]),
            )
        if not known:
            return result
        events = [m for m in known if m.kind != MessageKind.READING]
        values = [m for m in known if m.kind == MessageKind.READING]
        if postgres:
            _store_events_pg(events, devices, result)
            new_readings = _store_readings_pg(values, devices, result)
        else:
            _store_events(events, devices, result)
            new_readings = _store_readings(values, devices, result)
            _touch_devices(known, devices)
        to_online = sorted(
            {
                devices[m.serial][0]
                for m in known
                if devices[m.serial][1] in (DeviceStatus.NEW, DeviceStatus.OFFLINE)
            }
        )
        if to_online:
            result.online = mark_online(device_ids=to_online, acting_user=system_user())
        if new_readings:
            _call_reading_handlers(new_readings)
    return result


_Devices = dict[str, tuple[int, str, int]]
"""serial → (id, status, region id) of the batch's known devices, locked by this transaction."""


def _lock_devices(batch: Sequence[Incoming]) -> _Devices:
    """The batch's devices, locked in id order (consumers sharing devices never deadlock)."""
    serials = sorted({m.serial for m in batch})
    return {
        serial: (pk, status, region_id)
        for pk, serial, status, region_id in Device.objects.filter(serial__in=serials)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", "serial", "status", "region_id")
    }


def _heard(batch: Iterable[Incoming]) -> tuple[dict[str, dt.datetime], dict[str, dt.datetime]]:
    """Per serial, the latest time a message was received and the latest heartbeat's time."""
    heard: dict[str, dt.datetime] = {}
    beat: dict[str, dt.datetime] = {}
    for m in batch:
        if m.serial not in heard or m.received_at > heard[m.serial]:
            heard[m.serial] = m.received_at
        if m.kind == MessageKind.HEARTBEAT and (
            m.serial not in beat or m.device_time > beat[m.serial]
        ):
            beat[m.serial] = m.device_time
    return heard, beat


def _lock_and_touch(batch: Sequence[Incoming]) -> _Devices:
    """PostgreSQL: lock the batch's devices in id order, move their last-heard times forward
    and read their status, in one statement (one new row version per device, not three).

    The rows travel as one JSON document (``json_to_recordset``): a short statement with one
    parameter, which costs the driver far less than thousands of bound values or arrays.
    """
    heard, beat = _heard(batch)
    rows = [
        {"s": serial, "m": at.isoformat(), "b": _iso(beat.get(serial))}
        for serial, at in sorted(heard.items())
    ]
    table = connection.ops.quote_name(Device._meta.db_table)
    sql = (
        "WITH heard AS (SELECT * FROM json_to_recordset(%s::json) "  # noqa: S608
        "AS h(s text, m timestamptz, b timestamptz)), "
        f"locked AS (SELECT id FROM {table} WHERE serial IN (SELECT s FROM heard) "
        "ORDER BY id FOR NO KEY UPDATE) "
        f"UPDATE {table} AS d SET last_message_at = GREATEST(d.last_message_at, h.m), "
        "last_heartbeat = GREATEST(d.last_heartbeat, h.b) "
        "FROM heard h, locked l WHERE d.id = l.id AND d.serial = h.s "
        "RETURNING d.id, d.serial, d.status, d.region_id"
    )
    return {serial: (pk, status, region) for pk, serial, status, region in _with_json(sql, rows)}


def _with_json(sql: str, document: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Run ``sql`` whose one parameter is ``document`` as JSON; the rows it returns."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(document)])
        return list(cursor.fetchall())


def _iso(at: dt.datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _distinct_events(
    events: Sequence[Incoming], devices: _Devices
) -> dict[tuple[int, str], Incoming]:
    """The batch's events by (device id, message id), the first of any repeated one."""
    rows: dict[tuple[int, str], Incoming] = {}
    for m in events:
        rows.setdefault((devices[m.serial][0], m.message_id), m)
    return rows


def _distinct_readings(
    values: Sequence[Incoming], devices: _Devices
) -> dict[tuple[int, str, dt.datetime], Incoming]:
    """The batch's readings by (device id, message id, time), the first of any repeated one."""
    rows: dict[tuple[int, str, dt.datetime], Incoming] = {}
    for m in values:
        rows.setdefault((devices[m.serial][0], m.message_id, m.device_time), m)
    return rows


def _count_events(
    result: StoreResult,
    rows: dict[tuple[int, str], Incoming],
    fresh: set[tuple[int, str]],
    received: int,
) -> None:
    result.messages += len(fresh)
    result.duplicates += received - len(fresh)
    result.kinds.update(rows[key].kind for key in fresh)


def _unhandled_kinds(events: Sequence[Incoming]) -> set[str]:
    """Kinds nobody handles (heartbeats, as a rule): stored already handled, no claim round."""
    return {kind for kind in {m.kind for m in events} if not handlers.event_handlers(kind)}


def _store_events_pg(events: Sequence[Incoming], devices: _Devices, result: StoreResult) -> None:
    """PostgreSQL: one ``INSERT … SELECT FROM json_to_recordset ON CONFLICT DO NOTHING``."""
    if not events:
        return
    rows = _distinct_events(events, devices)
    unhandled = _unhandled_kinds(events)
    now = timezone.now().isoformat()
    document = [
        {
            "d": device_id,
            "m": message_id,
            "k": m.kind,
            "t": m.device_time.isoformat(),
            "r": m.received_at.isoformat(),
            "p": m.payload,
            "h": NO_HANDLER if m.kind in unhandled else "",
            "a": now if m.kind in unhandled else None,
        }
        for (device_id, message_id), m in rows.items()
    ]
    table = connection.ops.quote_name(DeviceMessage._meta.db_table)
    sql = (
        f"INSERT INTO {table} (device_id, message_id, kind, device_time, received_at, "  # noqa: S608
        "payload, handled_by, claimed_at, handled_at, attempts) "
        "SELECT d, m, k, t, r, p::jsonb, h, NULL, a, 0 FROM json_to_recordset(%s::json) "
        "AS u(d bigint, m text, k text, t timestamptz, r timestamptz, p json, h text, "
        "a timestamptz) ON CONFLICT DO NOTHING RETURNING device_id, message_id"
    )
    fresh = {(device_id, message_id) for device_id, message_id in _with_json(sql, document)}
    _count_events(result, rows, fresh, len(events))


def _store_readings_pg(
    values: Sequence[Incoming], devices: _Devices, result: StoreResult
) -> list[handlers.ReadingIn]:
    """PostgreSQL: insert-or-ignore from one JSON document; the inserted rows come back."""
    if not values:
        return []
    rows = _distinct_readings(values, devices)
    document = [
        {
            "d": device_id,
            "p": m.parameter,
            "t": at.isoformat(),
            "v": m.value,
            "m": message_id,
            "r": m.received_at.isoformat(),
        }
        for (device_id, message_id, at), m in rows.items()
    ]
    table = connection.ops.quote_name(Reading._meta.db_table)
    sql = (
        f"INSERT INTO {table} (device_id, parameter, at, value, message_id, received_at) "  # noqa: S608
        "SELECT d, p, t, v, m, r FROM json_to_recordset(%s::json) "
        "AS u(d bigint, p text, t timestamptz, v float8, m text, r timestamptz) "
        "ON CONFLICT DO NOTHING RETURNING id, device_id, parameter, at, value, received_at"
    )
    inserted = sorted(_with_json(sql, document), key=lambda row: (row[3], row[0]))
    result.readings += len(inserted)
    result.duplicates += len(values) - len(inserted)
    serial_of = {pk: serial for serial, (pk, _status, _region) in devices.items()}
    return [
        handlers.ReadingIn(
            device_id=device_id,
            serial=serial_of[device_id],
            parameter=parameter,
            at=at,
            value=value,
            received_at=received_at,
        )
        for _pk, device_id, parameter, at, value, received_at in inserted
    ]


def _store_events(events: Sequence[Incoming], devices: _Devices, result: StoreResult) -> None:
    if not events:
        return
    rows = _distinct_events(events, devices)
    unhandled = _unhandled_kinds(events)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    payload_field = DeviceMessage._meta.get_field("payload")
    table = ops.quote_name(DeviceMessage._meta.db_table)
    items = list(rows.items())
    fresh: set[tuple[int, str]] = set()
    # One INSERT … ON CONFLICT DO NOTHING RETURNING per chunk: no model instances, no lookup
    # of what is already stored (the conflict on (device, message id) says it).
    for first in range(0, len(items), _INSERT_CHUNK):
        chunk = items[first : first + _INSERT_CHUNK]
        params: list[Any] = []
        for (device_id, message_id), m in chunk:
            done = m.kind in unhandled
            params.extend(
                [
                    device_id,
                    message_id,
                    m.kind,
                    ops.adapt_datetimefield_value(m.device_time),
                    ops.adapt_datetimefield_value(m.received_at),
                    payload_field.get_db_prep_save(dict(m.payload), connection),
                    NO_HANDLER if done else "",
                    now if done else None,
                ]
            )
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, NULL, %s, 0)"] * len(chunk))
        sql = (
            f"INSERT INTO {table} (device_id, message_id, kind, device_time, received_at, "  # noqa: S608
            f"payload, handled_by, claimed_at, handled_at, attempts) VALUES {placeholders} "
            "ON CONFLICT DO NOTHING RETURNING device_id, message_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fresh.update((device_id, message_id) for device_id, message_id in cursor.fetchall())
    _count_events(result, rows, fresh, len(events))


_INSERT_CHUNK = 1000
"""Rows per multi-row INSERT (8 parameters each: well within PostgreSQL's and SQLite's
limits on bound parameters)."""


def _store_readings(
    values: Sequence[Incoming], devices: dict[str, tuple[int, str, int]], result: StoreResult
) -> list[handlers.ReadingIn]:
    """Insert-or-ignore the readings; return those this call inserted (``RETURNING``)."""
    if not values:
        return []
    rows = _distinct_readings(values, devices)
    table = connection.ops.quote_name(Reading._meta.db_table)
    ops = connection.ops
    params: list[Any] = []
    for (device_id, message_id, at), m in rows.items():
        params.extend(
            [
                device_id,
                m.parameter,
                ops.adapt_datetimefield_value(at),
                m.value,
                message_id,
                ops.adapt_datetimefield_value(m.received_at),
            ]
        )
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} (device_id, parameter, at, value, message_id, received_at) "  # noqa: S608
        f"VALUES {placeholders} ON CONFLICT DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = [row[0] for row in cursor.fetchall()]
    result.readings += len(inserted)
    result.duplicates += len(values) - len(inserted)
    serial_of = {pk: serial for serial, (pk, _status, _region) in devices.items()}
    return [
        handlers.ReadingIn(
            device_id=r.device_id,
            serial=serial_of[r.device_id],
            parameter=r.parameter,
            at=r.at,
            value=r.value,
            received_at=r.received_at,
        )
        for r in Reading.objects.filter(pk__in=inserted).order_by("at", "pk")
    ]


def _touch_devices(known: Sequence[Incoming], devices: _Devices) -> None:
    """Move each device's last-heard times forward: one ``UPDATE … FROM (VALUES …)`` per
    column (the ORM's CASE per row costs more than the write itself)."""
    by_serial = _heard(known)
    heard, beat = ({devices[s][0]: at for s, at in times.items()} for times in by_serial)
    ops = connection.ops
    table = ops.quote_name(Device._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    cast = "::timestamptz" if connection.vendor == "postgresql" else ""
    for column, times in (("last_message_at", heard), ("last_heartbeat", beat)):
        if not times:
            continue
        rows = ", ".join([f"(%s, %s{cast})"] * len(times))
        params: list[Any] = []
        for pk, at in sorted(times.items()):
            params.extend([pk, ops.adapt_datetimefield_value(at)])
        col = ops.quote_name(column)
        sql = (
            f"WITH heard(device_id, at) AS (VALUES {rows}) "  # noqa: S608
            f"UPDATE {table} SET {col} = {greatest}(COALESCE({col}, heard.at), heard.at) "
            f"FROM heard WHERE {table}.id = heard.device_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _call_reading_handlers(readings: list[handlers.ReadingIn]) -> None:
    """Each reading handler in a savepoint: a failing one is logged and undone alone."""
    acting_user = system_user()
    for handler in handlers.reading_handlers():
        try:
            with transaction.atomic():
                handler(readings, acting_user=acting_user)
        except Exception:
            log.exception(
                "ingest: reading handler %r failed on %d readings", handler, len(readings)
            )


def mark_online(*, device_ids: Iterable[int], acting_user: Any) -> int:
    """Declare devices online that were new or offline: audited, pushed live per region.

    Returns how many changed. Runs in the caller's transaction when there is one.
    """
    ids = sorted(set(device_ids))
    if not ids:
        return 0
    with transaction.atomic():
        changing = list(
            Device.objects.filter(
                pk__in=ids, status__in=(DeviceStatus.NEW, DeviceStatus.OFFLINE)
            ).order_by("pk")
        )
        if not changing:
            return 0
        Device.objects.filter(pk__in=[d.pk for d in changing]).update(
            status=DeviceStatus.ONLINE, updated_at=timezone.now()
        )
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "update",
                    device,
                    device.region_id,
                    before={"status": device.status},
                    after={"status": DeviceStatus.ONLINE},
                )
                for device in changing
            ],
        )
        by_region: dict[int, list[Device]] = defaultdict(list)
        for device in changing:
            by_region[device.region_id].append(device)
        for region_id, members in by_region.items():
            publish_on_commit(
                topic="device",
                op="status",
                object_id=0,
                region_id=region_id,
                perm=perm_name(Device, "view"),
                data={
                    "status": DeviceStatus.ONLINE,
                    "devices": [
                        {"id": d.pk, "serial": d.serial, "kind": d.kind, "lat": d.lat, "lon": d.lon}
                        for d in members
                    ],
                },
            )
    return len(changing)


# --- processing ---------------------------------------------------------------------------------

_WORKER = worker_name("ingest")


def _attempt_limit() -> int:
    return int(_setting("INGEST_HANDLER_ATTEMPTS", 5))


def reclaim(*, older_than_seconds: float | None = None) -> int:
    """Take back events a worker claimed and never finished (it died): compare-and-set.

    Returns how many were released for the next :func:`process`.
    """
    seconds = (
        older_than_seconds
        if older_than_seconds is not None
        else float(_setting("INGEST_RECLAIM_SECONDS", 60))
    )
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    released = 0
    stale = (
        DeviceMessage.objects.filter(handled_at__isnull=True, claimed_at__lt=cutoff)
        .exclude(handled_by="")
        .values_list("pk", "handled_by")[:1000]
    )
    for pk, owner in stale:
        released += claim(
            DeviceMessage.objects.filter(pk=pk, handled_at__isnull=True),
            field="handled_by",
            expected=owner,
            value="",
            claimed_at=None,
        )
    if released:
        log.warning("ingest: took back %d events claimed by workers that stopped", released)
    return released


def process(limit: int = 500, *, worker: str | None = None) -> int:
    """Claim up to ``limit`` unhandled events (alarms first), run their handlers; return how
    many were handled (successfully or given up)."""
    name = worker or _WORKER
    alarms_first = Case(
        When(kind=MessageKind.ALARM, then=0), default=1, output_field=IntegerField()
    )
    now = timezone.now()
    candidates = list(
        DeviceMessage.objects.filter(handled_at__isnull=True, handled_by="")
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now))
        .order_by(alarms_first, "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return 0
    claim(
        DeviceMessage.objects.filter(pk__in=candidates, handled_at__isnull=True),
        field="handled_by",
        expected="",
        value=name,
        claimed_at=now,
    )
    mine = list(
        DeviceMessage.objects.filter(pk__in=candidates, handled_by=name, handled_at__isnull=True)
        .select_related("device")
        .order_by(alarms_first, "pk")
    )
    if not mine:
        return 0
    acting_user = system_user()
    by_kind: dict[str, list[DeviceMessage]] = defaultdict(list)
    for row in mine:
        by_kind[row.kind].append(row)
    done = 0
    for kind in sorted(by_kind, key=lambda k: (k != MessageKind.ALARM, k)):
        done += _handle(kind, by_kind[kind], name, acting_user)
    return done


def _received(row: DeviceMessage) -> handlers.Received:
    return handlers.Received(
        row_id=row.pk,
        device_id=row.device_id,
        serial=row.device.serial,
        kind=row.kind,
        message_id=row.message_id,
        device_time=row.device_time,
        received_at=row.received_at,
        payload=row.payload or {},
    )


def _run(kind: str, rows: list[DeviceMessage], name: str, acting_user: Any) -> None:
    """All handlers of ``kind`` and the ``handled_at`` stamp, in one transaction."""
    fns = handlers.event_handlers(kind)
    with transaction.atomic():
        if fns:
            received = [_received(row) for row in rows]
            for fn in fns:
                fn(received, acting_user=acting_user)
        DeviceMessage.objects.filter(pk__in=[r.pk for r in rows], handled_by=name).update(
            handled_at=timezone.now()
        )


def _handle(kind: str, rows: list[DeviceMessage], name: str, acting_user: Any) -> int:
    """Run the batch; when it fails, each message alone, so one bad message fails alone."""
    try:
        _run(kind, rows, name, acting_user)
        return len(rows)
    except Exception:
        if len(rows) == 1:
            log.exception("ingest: %s handler failed on message %s", kind, rows[0].pk)
            return _release(rows[0], name)
        log.warning("ingest: %s handlers failed on a batch of %d; one by one", kind, len(rows))
    done = 0
    for row in rows:
        done += _handle(kind, [row], name, acting_user)
    return done


def _release(row: DeviceMessage, name: str) -> int:
    """Count the failed attempt; release for a retry after a growing pause
    (``INGEST_RETRY_SECONDS`` doubled per attempt) and return 0, or give up past the limit
    and return 1."""
    limit = _attempt_limit()
    mine = DeviceMessage.objects.filter(pk=row.pk, handled_by=name, handled_at__isnull=True)
    if row.attempts + 1 >= limit:
        mine.update(attempts=F("attempts") + 1, handled_by=FAILED, handled_at=timezone.now())
        log.error("ingest: message %s given up after %d failed attempts", row.pk, limit)
        return 1
    delay = float(_setting("INGEST_RETRY_SECONDS", 2)) * 2**row.attempts
    # A released row keeps ``claimed_at`` as the time before which it is not tried again.
    mine.update(
        attempts=F("attempts") + 1,
        handled_by="",
        claimed_at=timezone.now() + dt.timedelta(seconds=min(delay, 600)),
    )
    return 0


def ingest(batch: Sequence[Incoming], *, limit: int = 500) -> StoreResult:
    """Store ``batch`` and process what it brought (the in-process path: HTTPS, demos, tests)."""
    result = store(batch)
    if result.messages:
        process(limit=max(limit, result.messages))
    return result
