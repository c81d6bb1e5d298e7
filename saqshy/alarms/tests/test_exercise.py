"""A device's exercise alarm (``"exercise": true``, as ``simulate_devices --exercise`` sends)
opens an exercise incident and calls no one; a real alarm never opens or joins an exercise
incident, nor an exercise alarm a real one."""

from __future__ import annotations

from typing import Any

import pytest

from saqshy.alarms.callback import FakeTransport
from saqshy.alarms.choices import AlarmOutcome
from saqshy.alarms.models import AlarmEvent, CallBack
from saqshy.alarms.tests.factories import household, installed, received
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents.models import Incident
from saqshy.ingest import handlers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_transport")]


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _alarm(device: Any, **payload: Any) -> AlarmEvent:
    message = received(device, "alarm", **payload)
    for handler in handlers.event_handlers("alarm"):
        handler([message], acting_user=None)
    return AlarmEvent.objects.get(device=device, message_id=message.message_id)


def test_an_exercise_alarm_opens_an_exercise_incident_and_calls_no_one(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    device = installed(household(p.astana)).device
    with django_capture_on_commit_callbacks(execute=True):
        event = _alarm(device, exercise=True)
    assert event.is_exercise
    assert event.outcome == AlarmOutcome.INCIDENT
    assert event.incident is not None and event.incident.is_exercise
    assert not CallBack.objects.exists()
    assert FakeTransport.sent == []


def test_a_real_alarm_never_joins_an_open_exercise_incident(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    device = installed(household(p.astana)).device
    with django_capture_on_commit_callbacks(execute=True):
        drill = _alarm(device, exercise=True)
        real = _alarm(device)
        drill_again = _alarm(device, exercise=True)
        real_again = _alarm(device)
    assert real.incident is not None and not real.incident.is_exercise
    assert real.incident_id != drill.incident_id
    assert real.outcome == AlarmOutcome.INCIDENT
    assert (drill_again.incident_id, drill_again.outcome) == (
        drill.incident_id,
        AlarmOutcome.JOINED,
    )
    assert (real_again.incident_id, real_again.outcome) == (real.incident_id, AlarmOutcome.JOINED)
    assert Incident.objects.filter(is_exercise=True).count() == 1
    assert Incident.objects.filter(is_exercise=False).count() == 1
    # Only the real alarm's household is called back.
    assert list(CallBack.objects.values_list("incident_id", flat=True)) == [real.incident_id]


def test_a_payload_that_is_not_true_is_no_exercise(p: Personas) -> None:
    device = installed(household(p.astana)).device
    event = _alarm(device, exercise="yes")
    assert not event.is_exercise
    assert event.incident is not None and not event.incident.is_exercise
