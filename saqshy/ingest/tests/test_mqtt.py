"""Acceptance against the real Mosquitto: stored once, handled once, nothing lost on a crash.

Each test uses its own shared-subscription group, client ids and device serials (``ingest-``
prefixed), so parallel runs and other helpers' consumers never take its messages. Consumers
step in the test's thread (paho's network thread only queues), except the command test which
runs ``manage.py ingest_mqtt`` in a thread and therefore needs committed rows.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connections

from saqshy.algorithms.ingest import Incoming
from saqshy.ingest import handlers, services
from saqshy.ingest.consumer import Consumer, Killed
from saqshy.ingest.models import DeviceMessage
from saqshy.ingest.tests.factories import DeviceFactory
from saqshy.ingest.transport import MqttPublisher, broker_reachable

URL = "mqtt://127.0.0.1:1883"
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("mqtt")]


@pytest.fixture
def broker() -> None:
    if not broker_reachable(URL):
        pytest.skip(reason=f"no MQTT broker at {URL} (not running on this machine)")


@pytest.fixture
def names() -> dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    return {"group": f"ingest-{tag}", "client": f"ingest-test-{tag}", "serial": f"ING-{tag}"}


@pytest.fixture
def alarms_seen(registry: None) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_alarm(messages: list[handlers.Received], *, acting_user: Any) -> None:
        seen.extend(m.message_id for m in messages)

    handlers.register("alarm", on_alarm)
    yield seen


def _until(consumer: Consumer, done: Callable[[], bool], steps: int = 100) -> None:
    """Step the consumer until ``done`` (each step waits up to 0.2 s for the broker)."""
    for _ in range(steps):
        if done():
            return
        consumer.step(wait=0.2)
    assert done(), f"the consumer did not get there in {steps} steps"


def _publish(serial: str, *bodies: dict[str, Any], kind: str = "alarm") -> None:
    publisher = MqttPublisher(URL, client_id=f"ingest-pub-{uuid.uuid4().hex[:8]}")
    try:
        for body in bodies:
            publisher.publish(f"saqshy/alarms/{serial}/{kind}", body)
    finally:
        publisher.close()


ALARM = {"id": "a-1", "time": "2026-12-03T23:10:00+05:00", "battery": 80}


@pytest.mark.django_db
def test_an_alarm_twice_is_one_row_and_one_handler_call(
    broker: None, names: dict[str, str], alarms_seen: list[str]
) -> None:
    DeviceFactory(serial=names["serial"])
    consumer = Consumer(
        url=URL, client_id=names["client"], group=names["group"], session_expiry=60
    ).start()
    try:
        _publish(names["serial"], ALARM, ALARM)
        _until(consumer, lambda: consumer.counters.received >= 2)
    finally:
        consumer.close()
    assert DeviceMessage.objects.filter(device__serial=names["serial"]).count() == 1
    assert alarms_seen == ["a-1"]
    assert consumer.counters.duplicates == 1


@pytest.mark.django_db
def test_a_consumer_killed_before_commit_loses_nothing(
    broker: None, names: dict[str, str], alarms_seen: list[str]
) -> None:
    DeviceFactory(serial=names["serial"])

    def crash(consumer: Consumer, batch: list[Incoming]) -> None:
        consumer.kill()
        raise Killed

    first = Consumer(
        url=URL,
        client_id=names["client"],
        group=names["group"],
        session_expiry=60,
        before_store=crash,
    ).start()
    _publish(names["serial"], ALARM)
    with pytest.raises(Killed):
        _until(first, lambda: False)
    assert not DeviceMessage.objects.exists()
    # The same persistent session comes back (a restarted consumer): the broker sends again.
    second = Consumer(
        url=URL, client_id=names["client"], group=names["group"], session_expiry=60
    ).start()
    try:
        _until(second, lambda: second.counters.received >= 1)
    finally:
        second.close()
    assert DeviceMessage.objects.filter(device__serial=names["serial"]).count() == 1
    assert alarms_seen == ["a-1"]


@pytest.mark.django_db
def test_a_database_error_is_retried_without_acknowledging(
    broker: None, names: dict[str, str], alarms_seen: list[str], monkeypatch: Any
) -> None:
    DeviceFactory(serial=names["serial"])
    real_store = services.store
    failures: list[int] = []

    def store_failing_once(batch: list[Incoming]) -> services.StoreResult:
        if not failures:
            failures.append(1)
            raise DatabaseError("server closed the connection unexpectedly")
        return real_store(batch)

    monkeypatch.setattr(services, "store", store_failing_once)
    consumer = Consumer(
        url=URL, client_id=names["client"], group=names["group"], session_expiry=60
    ).start()
    try:
        _publish(names["serial"], ALARM)
        _until(consumer, lambda: consumer.counters.received >= 1)
    finally:
        consumer.close()
    assert (failures, consumer.counters.db_errors) == ([1], 1)
    assert DeviceMessage.objects.filter(device__serial=names["serial"]).count() == 1
    assert alarms_seen == ["a-1"]


@pytest.mark.django_db(transaction=True)
def test_the_command_stores_and_handles_an_alarm(
    broker: None, names: dict[str, str], alarms_seen: list[str]
) -> None:
    DeviceFactory(serial=names["serial"])
    # The session (with its subscriptions) exists before the command starts, so what is
    # published meanwhile waits for it in the broker.
    Consumer(
        url=URL, client_id=names["client"], group=names["group"], session_expiry=60
    ).start().close()
    _publish(names["serial"], ALARM, {**ALARM, "id": "a-2"})

    def consume() -> None:
        try:
            call_command(
                "ingest_mqtt",
                url=URL,
                client_id=names["client"],
                group=names["group"],
                max_seconds=5,
                linger_ms=20,
                session_expiry=60,
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=consume)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert set(
        DeviceMessage.objects.filter(device__serial=names["serial"]).values_list(
            "message_id", flat=True
        )
    ) == {"a-1", "a-2"}
    assert sorted(alarms_seen) == ["a-1", "a-2"]
    assert DeviceMessage.objects.filter(handled_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_two_consumers_in_one_group_split_the_messages(
    broker: None, names: dict[str, str], alarms_seen: list[str]
) -> None:
    DeviceFactory(serial=names["serial"])
    consumers = [
        Consumer(
            url=URL, client_id=f"{names['client']}-{n}", group=names["group"], session_expiry=60
        ).start()
        for n in (1, 2)
    ]
    try:
        _publish(names["serial"], *({**ALARM, "id": f"a-{i}"} for i in range(40)))
        deadline = time.monotonic() + 20
        while sum(c.counters.received for c in consumers) < 40:
            assert time.monotonic() < deadline, [c.counters.received for c in consumers]
            for consumer in consumers:
                consumer.step(wait=0.05)
    finally:
        for consumer in consumers:
            consumer.close()
    assert all(c.counters.received for c in consumers), "the broker gave one consumer nothing"
    assert DeviceMessage.objects.filter(device__serial=names["serial"]).count() == 40
    assert sorted(alarms_seen) == sorted(f"a-{i}" for i in range(40))
