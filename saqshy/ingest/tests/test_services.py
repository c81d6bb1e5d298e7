"""Store and process through the in-process path: once per message, handlers once, retries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from saqshy.algorithms.ingest import Incoming
from saqshy.core.audit_models import AuditEntry
from saqshy.ingest import handlers, services
from saqshy.ingest.models import Device, DeviceMessage, Reading
from saqshy.ingest.tests.factories import DeviceFactory
from saqshy.ingest.transport import DirectPublisher, FakePublisher, publisher_from_settings

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def _alarm(serial: str, ident: str, kind: str = "alarm", **extra: Any) -> dict[str, Any]:
    return {"id": ident, "time": "2026-12-03T18:00:00+06:00", **extra}


def test_an_alarm_is_stored_once_and_handled_once(registry: None) -> None:
    device: Device = DeviceFactory(serial="FA-1")
    calls: list[list[handlers.Received]] = []

    def on_alarm(messages: list[handlers.Received], *, acting_user: Any) -> None:
        assert acting_user.username == services.SYSTEM_USERNAME and not acting_user.is_active
        calls.append(list(messages))

    handlers.register("alarm", on_alarm)
    publisher = DirectPublisher()
    for _ in range(2):
        publisher.publish("saqshy/alarms/FA-1/alarm", _alarm("FA-1", "m-1", battery=17))
        publisher.flush()
    assert DeviceMessage.objects.filter(device=device).count() == 1
    assert [[m.message_id for m in batch] for batch in calls] == [["m-1"]]
    assert calls[0][0].payload["battery"] == 17
    row = DeviceMessage.objects.get()
    assert row.handled_at is not None and row.handled_by
    device.refresh_from_db()
    assert device.status == "online" and device.last_message_at is not None
    assert device.last_heartbeat is None


def test_going_online_is_audited_once() -> None:
    device: Device = DeviceFactory(serial="FA-2", status="offline")
    publisher = DirectPublisher()
    publisher.publish("saqshy/alarms/FA-2/heartbeat", _alarm("FA-2", "h-1"))
    publisher.publish("saqshy/alarms/FA-2/heartbeat", _alarm("FA-2", "h-2"))
    publisher.flush()
    device.refresh_from_db()
    assert device.status == "online"
    assert device.last_heartbeat == T0
    entries = AuditEntry.objects.filter(object_type="ingest.device", object_id=str(device.pk))
    assert [(e.before, e.after, e.actor_repr) for e in entries] == [
        ({"status": "offline"}, {"status": "online"}, services.SYSTEM_USERNAME)
    ]


def test_last_heard_times_only_move_forward() -> None:
    device: Device = DeviceFactory(serial="FA-3", last_heartbeat=T0 + dt.timedelta(hours=1))
    publisher = DirectPublisher()
    publisher.publish("saqshy/alarms/FA-3/heartbeat", _alarm("FA-3", "late"))
    publisher.flush()
    device.refresh_from_db()
    assert device.last_heartbeat == T0 + dt.timedelta(hours=1)


def test_unknown_devices_and_bad_messages_are_dropped() -> None:
    DeviceFactory(serial="FA-4")
    now = timezone.now()
    batch = [
        Incoming("alarms", "NOPE", "alarm", "x", T0, now),
        Incoming("alarms", "FA-4", "test", "y", T0, now),
    ]
    result = services.store(batch)
    assert (result.unknown, result.messages) == (1, 1)
    publisher = DirectPublisher()
    publisher.publish("saqshy/alarms/FA-4/alarm", {"id": "z", "time": "noon"})
    assert [r.field for _, r in publisher.rejected] == ["time"]
    assert DeviceMessage.objects.count() == 1


def test_readings_reach_handlers_once_even_when_redelivered(registry: None) -> None:
    DeviceFactory(serial="BH-1", kind="site_gateway")
    seen: list[tuple[str, float]] = []
    handlers.register_readings(
        lambda readings, *, acting_user: seen.extend((r.parameter, r.value) for r in readings)
    )
    publisher = DirectPublisher()
    body = {"id": "r-1", "time": "2026-12-03T12:00:00Z", "value": 71.5}
    publisher.publish("saqshy/telemetry/BH-1/supply_temp", body)
    publisher.publish("saqshy/telemetry/BH-1/supply_temp", body)
    publisher.flush()
    publisher.publish("saqshy/telemetry/BH-1/supply_temp", body)
    publisher.publish("saqshy/telemetry/BH-1/pressure", {**body, "id": "r-2", "value": 4.0})
    publisher.flush()
    assert seen == [("supply_temp", 71.5), ("pressure", 4.0)]
    assert Reading.objects.count() == 2
    assert Device.objects.get(serial="BH-1").status == "online"


def test_a_failing_reading_handler_does_not_lose_the_readings(registry: None) -> None:
    DeviceFactory(serial="BH-2", kind="site_gateway")

    def broken(readings: Any, *, acting_user: Any) -> None:
        raise RuntimeError("threshold table missing")

    handlers.register_readings(broken)
    publisher = DirectPublisher()
    publisher.publish(
        "saqshy/telemetry/BH-2/flow", {"id": "1", "time": "2026-12-03T12:00Z", "value": 3}
    )
    publisher.flush()
    assert Reading.objects.filter(parameter="flow").count() == 1


def test_a_failing_handler_is_retried_then_given_up(registry: None, settings: Any) -> None:
    settings.INGEST_HANDLER_ATTEMPTS = 3
    DeviceFactory(serial="FA-5")
    attempts: list[str] = []

    def flaky(messages: list[handlers.Received], *, acting_user: Any) -> None:
        for m in messages:
            attempts.append(m.message_id)
            if m.message_id == "bad":
                raise ValueError("cannot place this alarm")

    handlers.register("alarm", flaky)
    now = timezone.now()
    services.store(
        [
            Incoming("alarms", "FA-5", "alarm", "good", T0, now),
            Incoming("alarms", "FA-5", "alarm", "bad", T0, now),
        ]
    )
    assert services.process(limit=10) == 1
    good = DeviceMessage.objects.get(message_id="good")
    bad = DeviceMessage.objects.get(message_id="bad")
    assert good.handled_at is not None
    assert (bad.handled_at, bad.handled_by, bad.attempts) == (None, "", 1)
    assert services.process(limit=10) == 0  # waits out its pause
    DeviceMessage.objects.filter(pk=bad.pk).update(claimed_at=None)
    assert services.process(limit=10) == 0
    DeviceMessage.objects.filter(pk=bad.pk).update(claimed_at=None)
    assert services.process(limit=10) == 1
    bad.refresh_from_db()
    assert (bad.handled_by, bad.attempts) == (services.FAILED, 3)
    assert bad.handled_at is not None
    assert attempts.count("good") == 2  # once in the failed batch (rolled back), once alone
    assert services.process(limit=10) == 0


def test_alarms_are_handled_before_heartbeats(registry: None) -> None:
    DeviceFactory(serial="FA-6")
    order: list[str] = []
    handlers.register("heartbeat", lambda ms, *, acting_user: order.extend(m.kind for m in ms))
    handlers.register("alarm", lambda ms, *, acting_user: order.extend(m.kind for m in ms))
    now = timezone.now()
    services.store(
        [
            Incoming("alarms", "FA-6", "heartbeat", "1", T0, now),
            Incoming("alarms", "FA-6", "alarm", "2", T0, now),
        ]
    )
    services.process()
    assert order == ["alarm", "heartbeat"]


def test_claims_of_a_stopped_worker_are_taken_back(registry: None) -> None:
    DeviceFactory(serial="FA-7")
    seen: list[str] = []
    handlers.register("alarm", lambda ms, *, acting_user: seen.extend(m.message_id for m in ms))
    services.store([Incoming("alarms", "FA-7", "alarm", "1", T0, timezone.now())])
    DeviceMessage.objects.update(
        handled_by="ingest@gone:1", claimed_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert services.process() == 0
    assert services.reclaim(older_than_seconds=600) == 0
    assert services.reclaim(older_than_seconds=60) == 1
    assert services.process() == 1
    assert seen == ["1"]


def test_kinds_nobody_handles_are_stored_handled(registry: None) -> None:
    DeviceFactory(serial="FA-8")
    services.store([Incoming("alarms", "FA-8", "heartbeat", "1", T0, timezone.now())])
    row = DeviceMessage.objects.get()
    assert (row.handled_by, row.handled_at is not None) == (services.NO_HANDLER, True)
    assert services.process() == 0


def test_the_system_user_is_one_inactive_account() -> None:
    first, second = services.system_user(), services.system_user()
    assert first.pk == second.pk and not first.is_active and not first.has_usable_password()


def test_fake_publisher_records() -> None:
    fake = FakePublisher()
    fake.publish("saqshy/alarms/FA-1/test", {"id": "1"})
    fake.flush()
    fake.close()
    assert (fake.sent, fake.flushes, fake.closed) == (
        [("saqshy/alarms/FA-1/test", {"id": "1"})],
        1,
        True,
    )


def test_without_a_broker_publishers_store_in_process(settings: Any) -> None:
    settings.INGEST_TRANSPORT = "mqtt"
    settings.MQTT_URL = "mqtt://127.0.0.1:1"  # nothing listens on port 1
    assert isinstance(publisher_from_settings(), DirectPublisher)
    settings.INGEST_TRANSPORT = "direct"
    assert isinstance(publisher_from_settings(), DirectPublisher)
    settings.INGEST_TRANSPORT = "pigeon"
    with pytest.raises(ValueError, match="INGEST_TRANSPORT"):
        publisher_from_settings()
