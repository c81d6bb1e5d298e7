"""Two detectors of one home fire at the same moment, handled by two consumers: one incident.

Real concurrency needs row-level locking across connections, so this runs on PostgreSQL (CI's
second pass); SQLite serialises whole transactions and is covered by the sequential tests.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from saqshy.alarms.callback import FakeTransport
from saqshy.alarms.choices import AlarmOutcome
from saqshy.alarms.models import AlarmEvent
from saqshy.alarms.services import handle_events
from saqshy.alarms.tests.factories import household, installed, received
from saqshy.core.testing.personas import make_personas
from saqshy.incidents.models import Incident

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_alarms_of_one_home_at_once_open_one_incident(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    settings.ALARM_CALLBACK_TRANSPORT = "saqshy.alarms.callback.FakeTransport"
    FakeTransport.reset()
    personas = make_personas()
    home = household(personas.astana)
    devices = [installed(home).device, installed(home).device]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def consume(device: Any) -> None:
        try:
            start.wait(timeout=10)
            handle_events([received(device)], acting_user=None)
        except BaseException as error:  # reported below, the thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=consume, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Incident.objects.count() == 1
    outcomes = sorted(AlarmEvent.objects.values_list("outcome", flat=True))
    assert outcomes == sorted([AlarmOutcome.INCIDENT, AlarmOutcome.JOINED])
    assert len(FakeTransport.sent) == 1
    FakeTransport.reset()
