"""Device health: the offline sweep (norm, compare-and-set, no fight with the ingest store),
idempotent tasks from battery and tamper events, completing tasks, the district summary."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from saqshy.accounts.models import District, Norm
from saqshy.alarms import health
from saqshy.alarms.choices import AlarmEventKind, AlarmOutcome
from saqshy.alarms.health_choices import TaskKind, TaskStatus
from saqshy.alarms.models import AlarmEvent, MaintenanceTask
from saqshy.alarms.tests.factories import household, installed, received
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.ingest import handlers
from saqshy.ingest.choices import DeviceStatus
from saqshy.ingest.models import Device

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _device(p: Personas, heard_hours_ago: float, **extra: Any) -> Device:
    device = installed(household(p.astana, **extra)).device
    heard = NOW - dt.timedelta(hours=heard_hours_ago)
    Device.objects.filter(pk=device.pk).update(
        status=DeviceStatus.ONLINE,
        last_heartbeat=heard,
        last_message_at=heard,
        district=device.installation.district,
    )
    device.refresh_from_db()
    return device


@pytest.mark.django_db
def test_silent_devices_go_offline_with_one_visit_task(p: Personas) -> None:
    silent = _device(p, 5)
    fresh = _device(p, 1)

    assert health.sweep(NOW) == 1
    silent.refresh_from_db()
    fresh.refresh_from_db()
    assert (silent.status, fresh.status) == (DeviceStatus.OFFLINE, DeviceStatus.ONLINE)
    [task] = MaintenanceTask.objects.all()
    assert (task.kind, task.device_id, task.status) == (TaskKind.VISIT, silent.pk, "open")
    assert task.household_id == silent.installation.household_id
    assert task.due == NOW + dt.timedelta(hours=72)
    assert AuditEntry.objects.filter(object_type="ingest.device", object_id=str(silent.pk)).exists()

    assert health.sweep(NOW + dt.timedelta(hours=1)) == 0
    assert MaintenanceTask.objects.count() == 1


@pytest.mark.django_db
def test_the_norm_is_per_region(p: Personas) -> None:
    device = _device(p, 5)
    Norm.objects.create(code="home_alarm_heartbeat_hours", region=p.astana, value=6, unit="hours")
    assert health.sweep(NOW) == 0
    assert health.sweep(NOW + dt.timedelta(hours=2)) == 1
    device.refresh_from_db()
    assert device.status == DeviceStatus.OFFLINE


@pytest.mark.django_db
def test_any_recent_message_keeps_a_device_online(p: Personas) -> None:
    """The ingest store sets ONLINE on any message: the sweep must not take it back while
    the device speaks, even if its heartbeats stopped."""
    device = _device(p, 10)
    Device.objects.filter(pk=device.pk).update(last_message_at=NOW - dt.timedelta(minutes=5))
    assert health.sweep(NOW) == 0


@pytest.mark.django_db
def test_a_stale_candidate_list_changes_nothing(p: Personas) -> None:
    """Compare-and-set: a sweeper that read the candidates before another took them, or
    before a heartbeat arrived, acts on none of them."""
    taken = _device(p, 5)
    revived = _device(p, 5)
    assert health.sweep(NOW) == 2
    Device.objects.filter(pk=revived.pk).update(status=DeviceStatus.ONLINE)
    Device.objects.filter(pk=revived.pk).update(last_heartbeat=NOW)
    again = health.mark_offline(
        device_ids=[taken.pk, revived.pk],
        cutoff=NOW - dt.timedelta(hours=3),
        acting_user=None,
        now=NOW,
    )
    assert again == []
    assert MaintenanceTask.objects.filter(kind=TaskKind.VISIT).count() == 2


@pytest.mark.django_db
def test_a_device_heard_again_closes_its_visit(p: Personas) -> None:
    device = _device(p, 5)
    health.sweep(NOW)
    Device.objects.filter(pk=device.pk).update(
        status=DeviceStatus.ONLINE, last_heartbeat=NOW, last_message_at=NOW
    )
    assert health.sweep(NOW + dt.timedelta(minutes=1)) == 1
    task = MaintenanceTask.objects.get()
    assert task.status == TaskStatus.DONE
    assert task.done_at is not None


@pytest.mark.django_db
def test_battery_and_tamper_events_open_one_task_each(p: Personas) -> None:
    device = _device(p, 0)
    for _ in range(2):
        for kind in ("battery_low", "tamper"):
            for handler in handlers.event_handlers(kind):
                handler([received(device, kind, battery=12)], acting_user=None)
    kinds = sorted(MaintenanceTask.objects.values_list("kind", flat=True))
    assert kinds == [TaskKind.REPLACE_BATTERY, TaskKind.TAMPER_CHECK]
    device.refresh_from_db()
    assert device.battery_low is True


@pytest.mark.django_db
def test_completing_a_battery_task_clears_the_flag_and_a_second_time_is_refused(
    p: Personas,
) -> None:
    device = _device(p, 0)
    health.on_battery_low([received(device, "battery_low")], acting_user=None)
    task = MaintenanceTask.objects.get()
    health.complete_task(acting_user=p.admin, task=task, note="new CR123A")
    task.refresh_from_db()
    device.refresh_from_db()
    assert (task.status, task.note, task.done_by) == (TaskStatus.DONE, "new CR123A", p.admin)
    assert device.battery_low is False
    with pytest.raises(Conflict):
        health.complete_task(acting_user=p.admin, task=task)
    health.on_battery_low([received(device, "battery_low")], acting_user=None)
    assert MaintenanceTask.objects.filter(status=TaskStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_district_summary_counts(p: Personas) -> None:
    district = District.objects.create(region=p.astana, slug="esil", name_en="Esil")
    offline = _device(p, 5, district=district)
    _device(p, 1, district=district)
    battery = _device(p, 0, district=district)
    health.sweep(NOW)
    health.on_battery_low([received(battery, "battery_low")], acting_user=None)
    AlarmEvent.objects.create(
        device=offline,
        message_id="a1",
        installation=offline.installation,
        household=offline.installation.household,
        region=p.astana,
        kind=AlarmEventKind.ALARM,
        at=timezone.now(),
        received_at=timezone.now(),
        outcome=AlarmOutcome.FALSE_ALARM,
    )

    [row] = health.district_summary(p.admin)
    assert (row.district, row.installed, row.online, row.offline) == ("Esil", 3, 2, 1)
    assert (row.battery_low, row.visits_open, row.battery_open, row.tamper_open) == (1, 1, 1, 0)
    assert (row.tasks_open, row.alarms_today, row.false_alarms_today) == (2, 1, 1)
    assert health.summary_total([row, row]).offline == 2


@pytest.mark.django_db
def test_summary_is_scoped(p: Personas) -> None:
    _device(p, 5)
    health.sweep(NOW)
    assert health.district_summary(p.viewer_other_region) == []


@pytest.mark.django_db
def test_device_health_command_runs_one_sweep(p: Personas) -> None:
    _device(p, 24 * 365)
    call_command("device_health", "--once", verbosity=0)
    assert MaintenanceTask.objects.filter(kind=TaskKind.VISIT).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_take_each_device_once() -> None:
    """On PostgreSQL, with real row locks: two sweeps released together."""
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    p = make_personas()
    devices = [_device(p, 6) for _ in range(40)]
    start = threading.Barrier(2)
    results: list[int] = [0, 0]

    def run(index: int) -> None:
        try:
            start.wait(timeout=20)
            results[index] = health.sweep(NOW)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == len(devices)
    assert MaintenanceTask.objects.filter(kind=TaskKind.VISIT).count() == len(devices)
    assert Device.objects.filter(status=DeviceStatus.OFFLINE).count() == len(devices)
