"""Two workers process the same backlog at once, and a consumer's handler thread handles what
its storing step stored: every event is handled exactly once.

Needs row-level concurrency, so it runs on PostgreSQL (CI's second pass).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from saqshy.algorithms.ingest import Incoming
from saqshy.ingest import handlers, services
from saqshy.ingest.consumer import Consumer, Received
from saqshy.ingest.models import DeviceMessage
from saqshy.ingest.tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_never_handle_one_event_twice(registry: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    DeviceFactory(serial="FA-RACE")
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def on_alarm(messages: list[handlers.Received], *, acting_user: Any) -> None:
        with lock:
            seen.update(m.message_id for m in messages)

    handlers.register("alarm", on_alarm)
    now = timezone.now()
    services.store([Incoming("alarms", "FA-RACE", "alarm", f"m-{i}", now, now) for i in range(200)])
    start = threading.Barrier(2)

    def work(name: str) -> None:
        try:
            start.wait(timeout=10)
            while services.process(limit=20, worker=name):
                pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"ingest@test:{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(seen) == 200 and set(seen.values()) == {1}
    assert not DeviceMessage.objects.filter(handled_at__isnull=True).exists()


def test_a_consumer_without_a_broker_gives_up_when_told() -> None:
    consumer = Consumer(url="mqtt://127.0.0.1:1", client_id="ingest-nobody")
    with pytest.raises(ConnectionError):
        consumer.start(timeout=1)


def test_the_handler_thread_handles_what_step_stored(registry: None) -> None:
    """With the handler thread running, ``step`` only stores and wakes it; the thread handles
    every event once with its own connection."""
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    DeviceFactory(serial="FA-THREAD")
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def on_alarm(messages: list[handlers.Received], *, acting_user: Any) -> None:
        with lock:
            seen.update(m.message_id for m in messages)

    handlers.register("alarm", on_alarm)
    consumer = Consumer(url="mqtt://127.0.0.1:1", client_id="ingest-thread", batch=50)
    for n in range(120):
        body = f'{{"id": "t-{n}", "time": "2026-12-03T23:10:00+05:00"}}'.encode()
        consumer.inbox.put(
            Received(
                mid=n,
                qos=0,
                topic="saqshy/alarms/FA-THREAD/alarm",
                body=body,
                received_at=timezone.now(),
                connection=0,
            )
        )
    consumer.start_handler()
    try:
        while consumer.step(wait=0.1):
            pass
        assert DeviceMessage.objects.count() == 120
        for _ in range(300):
            if not DeviceMessage.objects.filter(handled_at__isnull=True).exists():
                break
            time.sleep(0.1)
        assert not DeviceMessage.objects.filter(handled_at__isnull=True).exists(), (
            "the handler thread did not handle the batch"
        )
    finally:
        consumer.stop_handler()
    assert len(seen) == 120 and set(seen.values()) == {1}
    assert consumer.counters.handled == 120
