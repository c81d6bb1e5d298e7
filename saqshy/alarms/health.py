"""Device health of the home fire alarms: the offline sweep, maintenance tasks, and figures.

- :func:`sweep` is the step of ``manage.py device_health``: a fire alarm heard from by
  neither a heartbeat nor any other message for the norm ``home_alarm_heartbeat_hours`` goes
  offline (:func:`mark_offline`) and gets a visit task; a visit task whose device was heard
  from again is closed. The ingest store puts a device back online on *any* message; the
  sweep only takes a device offline when both its last heartbeat and its last message are
  older than the norm, so the two never undo each other's work.
- ``battery_low`` and ``tamper`` events open a battery or tamper task (:func:`on_battery_low`,
  :func:`on_tamper`, registered by :func:`register_handlers` from ``AlarmsConfig.ready``).
- Every decision is a service here: one transaction, audit, live push on commit; devices are
  taken by compare-and-set (an ``UPDATE … WHERE status = 'online' AND heard < cutoff``, with
  the rows locked ``SKIP LOCKED`` where the database can), so two sweepers never act twice
  on one device, and a device has at most one open task of a kind (a partial unique index).
- :func:`district_summary` is the daily health table per district.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import District
from saqshy.accounts.queries import norm
from saqshy.alarms.choices import AlarmEventKind, AlarmOutcome
from saqshy.alarms.health_choices import TaskKind, TaskStatus
from saqshy.alarms.models import AlarmEvent, Installation, MaintenanceTask
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.core.worker import claim
from saqshy.ingest import handlers
from saqshy.ingest.choices import DeviceKind, DeviceStatus
from saqshy.ingest.handlers import Received
from saqshy.ingest.models import Device

log = logging.getLogger("saqshy.alarms.health")

HEARTBEAT_NORM = "home_alarm_heartbeat_hours"
TASK_DUE_NORM = "home_alarm_task_due_hours"
SWEEP_LIMIT = 5000
"""Devices taken offline per region in one step; a bigger backlog takes several steps."""
BACK_ONLINE_NOTE = _("Closed automatically: the device was heard from again.")


# --- locking ----------------------------------------------------------------------------------


def _locked(queryset: QuerySet[Any], limit: int | None = None) -> list[Any]:
    """The rows of ``queryset`` (the first ``limit`` by id), locked for this transaction;
    rows another transaction holds are skipped (PostgreSQL), so concurrent sweepers split
    the work instead of waiting."""
    queryset = queryset.order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return list(queryset[:limit] if limit is not None else queryset)


def _silent(queryset: QuerySet[Device], cutoff: dt.datetime) -> QuerySet[Device]:
    """Fire alarms online whose last heartbeat and last message are both before ``cutoff``."""
    return queryset.filter(
        kind=DeviceKind.FIRE_ALARM,
        status=DeviceStatus.ONLINE,
    ).filter(
        Q(last_heartbeat__lt=cutoff) | Q(last_heartbeat__isnull=True),
        Q(last_message_at__lt=cutoff) | Q(last_message_at__isnull=True),
    )


def _publish_devices(devices: Sequence[Device], status: str) -> None:
    by_region: dict[int, list[Device]] = defaultdict(list)
    for device in devices:
        by_region[device.region_id].append(device)
    for region_id, members in by_region.items():
        publish_on_commit(
            topic="device",
            op="status",
            object_id=0,
            region_id=region_id,
            perm=perm_name(Device, "view"),
            data={
                "status": status,
                "devices": [
                    {"id": d.pk, "serial": d.serial, "kind": d.kind, "lat": d.lat, "lon": d.lon}
                    for d in members
                ],
            },
        )


# --- tasks ------------------------------------------------------------------------------------


def _due(now: dt.datetime, region_id: int) -> dt.datetime:
    return now + dt.timedelta(hours=norm(TASK_DUE_NORM, region_id))


def _insert_tasks(tasks: list[MaintenanceTask]) -> list[MaintenanceTask]:
    """Insert ``tasks``; when another writer opened one of them first, the others alone."""
    try:
        with transaction.atomic():
            return list(MaintenanceTask.objects.bulk_create(tasks))
    except IntegrityError:
        created = []
        for task in tasks:
            try:
                with transaction.atomic():
                    task.save(force_insert=True)
                created.append(task)
            except IntegrityError:
                task.pk = None
        return created


def open_tasks(
    *,
    acting_user: Any,
    kind: str,
    devices: Iterable[Device],
    now: dt.datetime | None = None,
    note: str = "",
) -> list[MaintenanceTask]:
    """Open a ``kind`` task for each of ``devices`` that has none open; return those opened.

    Idempotent: a device with an open task of the kind gets no second one.
    """
    now = now or timezone.now()
    wanted = {device.pk: device for device in devices}
    if not wanted:
        return []
    with transaction.atomic():
        already = set(
            MaintenanceTask.objects.filter(
                kind=kind, status=TaskStatus.OPEN, device_id__in=list(wanted)
            ).values_list("device_id", flat=True)
        )
        homes = dict(
            Installation.objects.filter(device_id__in=list(wanted)).values_list(
                "device_id", "household_id"
            )
        )
        created = _insert_tasks(
            [
                MaintenanceTask(
                    kind=kind,
                    device=device,
                    household_id=homes.get(pk),
                    region_id=device.region_id,
                    district_id=device.district_id,
                    due=_due(now, device.region_id),
                    note=note[:255],
                )
                for pk, device in sorted(wanted.items())
                if pk not in already
            ]
        )
        if created:
            audit.record(
                acting_user=acting_user,
                changes=[
                    audit.Change("create", task, task.region_id, after=audit.snapshot(task))
                    for task in created
                ],
            )
            _publish_tasks(created, "created")
    return created


def _publish_tasks(tasks: Sequence[MaintenanceTask], op: str) -> None:
    by_region: dict[int, list[MaintenanceTask]] = defaultdict(list)
    for task in tasks:
        by_region[task.region_id].append(task)
    for region_id, members in by_region.items():
        publish_on_commit(
            topic="maintenancetask",
            op=op,
            object_id=members[0].pk if len(members) == 1 else 0,
            region_id=region_id,
            perm=perm_name(MaintenanceTask, "view"),
            data={
                "tasks": [
                    {"id": t.pk, "kind": t.kind, "status": t.status, "device": t.device_id}
                    for t in members
                ]
            },
        )


def complete_task(*, acting_user: Any, task: MaintenanceTask, note: str = "") -> MaintenanceTask:
    """Mark an open task done (409 when it is done already); a battery task also clears the
    device's low-battery flag."""
    now = timezone.now()
    user = acting_user if getattr(acting_user, "pk", None) else None
    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=task,
            states=TaskStatus,
            to=TaskStatus.DONE,
            changes={"done_at": now, "done_by": user, "note": note[:255] or task.note},
        )
        if task.kind == TaskKind.REPLACE_BATTERY:
            _set_battery_low(acting_user=acting_user, device_ids=[task.device_id], low=False)
    return task


def close_resolved_visits(*, acting_user: Any, now: dt.datetime | None = None) -> int:
    """Close the open visit tasks of devices that are online again; return how many."""
    now = now or timezone.now()
    with transaction.atomic():
        tasks = _locked(
            MaintenanceTask.objects.filter(
                kind=TaskKind.VISIT, status=TaskStatus.OPEN, device__status=DeviceStatus.ONLINE
            ),
            SWEEP_LIMIT,
        )
        if not tasks:
            return 0
        note = str(BACK_ONLINE_NOTE)
        closed = claim(
            MaintenanceTask.objects.filter(pk__in=[t.pk for t in tasks]),
            field="status",
            expected=TaskStatus.OPEN,
            value=TaskStatus.DONE,
            done_at=now,
            note=note,
            updated_at=now,
        )
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "update",
                    task,
                    task.region_id,
                    before={"status": TaskStatus.OPEN},
                    after={"status": TaskStatus.DONE, "note": note},
                )
                for task in tasks
            ],
        )
        for task in tasks:
            task.status = TaskStatus.DONE
        _publish_tasks(tasks, "updated")
    return closed


# --- devices ----------------------------------------------------------------------------------


def mark_offline(
    *, device_ids: Iterable[int], cutoff: dt.datetime, acting_user: Any, now: dt.datetime
) -> list[Device]:
    """Declare offline those of ``device_ids`` still silent since ``cutoff``; open a visit task
    for each. Returns the devices this call took (compare-and-set: none twice)."""
    ids = sorted(set(device_ids))
    if not ids:
        return []
    with transaction.atomic():
        devices = _locked(_silent(Device.objects.filter(pk__in=ids), cutoff))
        if not devices:
            return []
        taken = claim(
            _silent(Device.objects.filter(pk__in=[d.pk for d in devices]), cutoff),
            field="status",
            expected=DeviceStatus.ONLINE,
            value=DeviceStatus.OFFLINE,
            updated_at=now,
        )
        if taken != len(devices):
            raise RuntimeError("devices changed under a lock; the step is retried")
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "update",
                    device,
                    device.region_id,
                    before={"status": DeviceStatus.ONLINE},
                    after={
                        "status": DeviceStatus.OFFLINE,
                        "last_heartbeat": audit.to_jsonable(device.last_heartbeat),
                    },
                )
                for device in devices
            ],
        )
        for device in devices:
            device.status = DeviceStatus.OFFLINE
        _publish_devices(devices, DeviceStatus.OFFLINE)
        open_tasks(acting_user=acting_user, kind=TaskKind.VISIT, devices=devices, now=now)
    return devices


def _set_battery_low(*, acting_user: Any, device_ids: Iterable[int], low: bool) -> int:
    with transaction.atomic():
        devices = _locked(Device.objects.filter(pk__in=list(device_ids), battery_low=not low))
        if not devices:
            return 0
        claim(
            Device.objects.filter(pk__in=[d.pk for d in devices]),
            field="battery_low",
            expected=not low,
            value=low,
        )
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "update",
                    device,
                    device.region_id,
                    before={"battery_low": not low},
                    after={"battery_low": low},
                )
                for device in devices
            ],
        )
    return len(devices)


def sweep(now: dt.datetime | None = None, *, acting_user: Any = None) -> int:
    """One step of the device-health worker; returns how many devices and tasks it changed."""
    from saqshy.ingest.services import system_user

    now = now or timezone.now()
    actor = acting_user if acting_user is not None else system_user()
    done = 0
    regions = (
        Device.objects.filter(kind=DeviceKind.FIRE_ALARM, status=DeviceStatus.ONLINE)
        .values_list("region_id", flat=True)
        .distinct()
        .order_by("region_id")
    )
    for region_id in list(regions):
        cutoff = now - dt.timedelta(hours=norm(HEARTBEAT_NORM, region_id))
        ids = list(
            _silent(Device.objects.filter(region_id=region_id), cutoff).values_list(
                "pk", flat=True
            )[:SWEEP_LIMIT]
        )
        if ids:
            taken = mark_offline(device_ids=ids, cutoff=cutoff, acting_user=actor, now=now)
            done += len(taken)
            if taken:
                log.info("device health: %d devices offline in region %s", len(taken), region_id)
    done += close_resolved_visits(acting_user=actor, now=now)
    return done


# --- handlers ---------------------------------------------------------------------------------


def _devices_of(messages: Sequence[Received]) -> list[Device]:
    ids = sorted({m.device_id for m in messages})
    return list(Device.objects.filter(pk__in=ids, kind=DeviceKind.FIRE_ALARM).order_by("pk"))


def on_battery_low(messages: Sequence[Received], *, acting_user: Any) -> None:
    """``battery_low`` events: flag the devices and open a battery-replacement task."""
    devices = _devices_of(messages)
    with transaction.atomic():
        _set_battery_low(acting_user=acting_user, device_ids=[d.pk for d in devices], low=True)
        open_tasks(acting_user=acting_user, kind=TaskKind.REPLACE_BATTERY, devices=devices)


def on_tamper(messages: Sequence[Received], *, acting_user: Any) -> None:
    """``tamper`` events: open a tamper check at the home."""
    open_tasks(acting_user=acting_user, kind=TaskKind.TAMPER_CHECK, devices=_devices_of(messages))


def register_handlers() -> None:
    """Called from ``AlarmsConfig.ready``: device health listens to battery and tamper events."""
    handlers.register("battery_low", on_battery_low)
    handlers.register("tamper", on_tamper)


# --- figures ----------------------------------------------------------------------------------


@dataclass
class DistrictHealth:
    """One row of the daily health summary (no personal data)."""

    district_id: int | None
    district: str
    installed: int = 0
    online: int = 0
    offline: int = 0
    silent_new: int = 0
    battery_low: int = 0
    visits_open: int = 0
    battery_open: int = 0
    tamper_open: int = 0
    opened_today: int = 0
    done_today: int = 0
    alarms_today: int = 0
    false_alarms_today: int = 0

    @property
    def tasks_open(self) -> int:
        return self.visits_open + self.battery_open + self.tamper_open


def district_summary(user: Any, day: dt.date | None = None) -> list[DistrictHealth]:
    """Per district the user may see: devices online/offline/battery now, tasks open now,
    tasks opened and done on ``day``, alarms and false alarms on ``day``."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    rows: dict[int | None, DistrictHealth] = {}

    def row(district_id: int | None) -> DistrictHealth:
        return rows.setdefault(district_id, DistrictHealth(district_id, ""))

    devices: QuerySet[Any] = (
        Device.objects.restrict(user, "view")
        .filter(kind=DeviceKind.FIRE_ALARM)
        .values("district_id")
        .annotate(
            installed=Count("id"),
            online=Count("id", filter=Q(status=DeviceStatus.ONLINE)),
            offline=Count("id", filter=Q(status=DeviceStatus.OFFLINE)),
            silent_new=Count("id", filter=Q(status=DeviceStatus.NEW)),
            battery_low=Count("id", filter=Q(battery_low=True)),
        )
    )
    for item in devices:
        target = row(item["district_id"])
        for key in ("installed", "online", "offline", "silent_new", "battery_low"):
            setattr(target, key, item[key])
    open_by_kind = {
        TaskKind.VISIT: "visits_open",
        TaskKind.REPLACE_BATTERY: "battery_open",
        TaskKind.TAMPER_CHECK: "tamper_open",
    }
    tasks: QuerySet[MaintenanceTask] = MaintenanceTask.objects.restrict(user, "view")
    for item in (
        tasks.filter(status=TaskStatus.OPEN).values("district_id", "kind").annotate(n=Count("id"))
    ):
        setattr(row(item["district_id"]), open_by_kind[item["kind"]], item["n"])
    for item in (
        tasks.filter(created_at__gte=start, created_at__lt=end)
        .values("district_id")
        .annotate(n=Count("id"))
    ):
        row(item["district_id"]).opened_today = item["n"]
    for item in (
        tasks.filter(status=TaskStatus.DONE, done_at__gte=start, done_at__lt=end)
        .values("district_id")
        .annotate(n=Count("id"))
    ):
        row(item["district_id"]).done_today = item["n"]
    for item in (
        AlarmEvent.objects.real()
        .restrict(user, "view")
        .filter(kind=AlarmEventKind.ALARM, at__gte=start, at__lt=end)
        .values("installation__district_id")
        .annotate(n=Count("id"), false=Count("id", filter=Q(outcome=AlarmOutcome.FALSE_ALARM)))
    ):
        target = row(item["installation__district_id"])
        target.alarms_today, target.false_alarms_today = item["n"], item["false"]
    names = {d.pk: d.display_name for d in District.objects.filter(pk__in=[k for k in rows if k])}
    for district_id, value in rows.items():
        value.district = names.get(district_id, "") if district_id is not None else "—"
    return sorted(rows.values(), key=lambda r: (r.district_id is None, r.district))


def summary_total(rows: Sequence[DistrictHealth]) -> DistrictHealth:
    """The sum of the summary's rows (the table's last line)."""
    total = DistrictHealth(None, str(_("Total")))
    for item in rows:
        for key in DistrictHealth.__dataclass_fields__:
            if key not in ("district_id", "district"):
                setattr(total, key, getattr(total, key) + getattr(item, key))
    return total
