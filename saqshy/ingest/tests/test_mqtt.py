"""Acceptance against the real Mosquitto: stored once, handled once, nothing lost on a crash.

Each test uses its own shared-subscription group, client ids and device serials (``ingest-``
prefixed), so parallel runs and other helpers' consumers never take its messages. Consumers
step in the test's thread (paho's network thread only queues), except the command test which
runs ``manage.py ingest_mqtt`` in a thread and therefore needs committed rows.
"""

from __future__ import annotations

import threading
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


def _publish(serial: str, *bodies: dict[str, Any], kind: str = "alarm", url: str = URL) -> None:
    publisher = MqttPublisher(url, client_id=f"ingest-pub-{uuid.uuid4().hex[:8]}")
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
    mine = DeviceMessage.objects.filter(device__serial=names["serial"])
    try:
        _publish(names["serial"], *({**ALARM, "id": f"a-{i}"} for i in range(40)))
        for _ in range(200):
            if mine.count() >= 40:
                break
            for consumer in consumers:
                consumer.step(wait=0.05)
    finally:
        for consumer in consumers:
            consumer.close()
    # The group's filter covers every device, so a message another test publishes meanwhile may
    # land here too (as an unknown device): only this device's messages are counted.
    own = [c.counters.received - c.counters.unknown for c in consumers]
    assert sum(own) == 40, own
    assert all(own), f"the broker gave one consumer nothing: {own}"
    assert mine.count() == 40
    assert sorted(alarms_seen) == sorted(f"a-{i}" for i in range(40))


# --- partitioned mode: plain subscriptions, which a broker restart keeps -------------------------


def test_partitions_cover_every_device_once() -> None:
    consumers = [Consumer(url=URL, client_id=f"ingest-p-{k}", partition=(k, 3)) for k in range(3)]
    topics = [f"saqshy/alarms/DEV-{n}/alarm" for n in range(300)] + ["saqshy", "saqshy/alarms"]
    owners = [[c for c in consumers if c.owns(topic)] for topic in topics]
    assert all(len(found) == 1 for found in owners)
    assert {id(found[0]) for found in owners} == {id(c) for c in consumers}
    # A site's telemetry goes where its serial hashes, whatever the parameter.
    assert [c.owns("saqshy/telemetry/BH-7/supply_t") for c in consumers] == [
        c.owns("saqshy/telemetry/BH-7/pressure") for c in consumers
    ]
    topics = ["saqshy/alarms/+/+", "saqshy/telemetry/+/+", "saqshy/positions/+/+"]
    assert all(c.topics() == topics for c in consumers)
    with pytest.raises(ValueError, match="partition"):
        Consumer(url=URL, client_id="ingest-p-bad", partition=(3, 3))


def test_the_command_names_a_bad_partition() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="partition"):
        call_command("ingest_mqtt", "--partition", "3/2", "--max-seconds", "1")


@pytest.mark.django_db
def test_two_partitions_store_each_device_on_one_consumer(
    broker: None, names: dict[str, str], alarms_seen: list[str]
) -> None:
    serials = [f"{names['serial']}-{n}" for n in range(8)]
    for serial in serials:
        DeviceFactory(serial=serial)
    seen: dict[int, set[str]] = {0: set(), 1: set()}

    def recorder(k: int) -> Callable[[Consumer, list[Incoming]], None]:
        def record(_consumer: Consumer, batch: list[Incoming]) -> None:
            seen[k].update(m.serial for m in batch if m.serial in serials)

        return record

    consumers = [
        Consumer(
            url=URL,
            client_id=f"{names['client']}-p{k}",
            session_expiry=60,
            partition=(k, 2),
            before_store=recorder(k),
        ).start()
        for k in (0, 1)
    ]
    mine = DeviceMessage.objects.filter(device__serial__in=serials)
    try:
        for serial in serials:
            _publish(serial, *({**ALARM, "id": f"a-{i}"} for i in range(3)))
        for _ in range(200):
            if mine.count() >= 24:
                break
            for consumer in consumers:
                consumer.step(wait=0.05)
    finally:
        for consumer in consumers:
            consumer.close()
    assert mine.count() == 24
    assert seen[0] | seen[1] == set(serials)
    assert not seen[0] & seen[1], "a device was stored by both partitions"
    for k, consumer in enumerate(consumers):
        assert seen[k] == {s for s in serials if consumer.owns(f"saqshy/alarms/{s}/alarm")}
        assert consumer.counters.foreign >= 3 * len(seen[1 - k])
    assert len(alarms_seen) == 24


@pytest.fixture
def own_broker() -> Iterator[Any]:
    import shutil
    import tempfile
    from pathlib import Path

    from saqshy.ingest.testing import OwnBroker, mosquitto_binary

    if mosquitto_binary() is None:
        pytest.skip(reason="mosquitto is not installed on this machine (CI has it)")
    # Under the system temporary folder itself: Mosquitto started as root runs as its own
    # user, who cannot enter pytest's private folders.
    folder = Path(tempfile.mkdtemp(prefix="saqshy-mqtt-"))
    own = OwnBroker(folder / "mqtt")
    try:
        own.start()
        yield own
    finally:
        own.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.django_db
def test_a_partitioned_consumer_loses_nothing_across_a_broker_restart(
    own_broker: Any, names: dict[str, str], alarms_seen: list[str]
) -> None:
    """Mosquitto 2.0 forgets shared subscriptions when it restarts, but keeps a persistent
    session's plain ones: what devices send while the consumer is still away is kept for it."""
    DeviceFactory(serial=names["serial"])

    def consumer() -> Consumer:
        return Consumer(
            url=own_broker.url, client_id=names["client"], session_expiry=300, partition=(0, 1)
        )

    consumer().start().close()
    own_broker.restart()
    _publish(names["serial"], *({**ALARM, "id": f"a-{i}"} for i in range(5)), url=own_broker.url)
    back = consumer().start()
    try:
        _until(back, lambda: back.counters.received >= 5)
    finally:
        back.close()
    assert DeviceMessage.objects.filter(device__serial=names["serial"]).count() == 5
    assert sorted(alarms_seen) == [f"a-{i}" for i in range(5)]
