"""An alarm becomes one fire incident with recommendations; a second joins it; a test opens
nothing; the household is called back; a false-alarm answer cancels by the region's rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from saqshy.accounts.models import Norm
from saqshy.alarms import queries, services
from saqshy.alarms.callback import FakeTransport
from saqshy.alarms.choices import AlarmOutcome, CallBackStatus
from saqshy.alarms.models import AlarmEvent, CallBack
from saqshy.alarms.tests.factories import household, installed, person, received
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services as incident_services
from saqshy.incidents.choices import IncidentSource, IncidentStatus
from saqshy.incidents.models import Incident, JournalEntry
from saqshy.incidents.queries import recommendations
from saqshy.incidents.tests.factories import UnitFactory, agency
from saqshy.ingest import handlers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_transport")]


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _alarm(device: Any, kind: str = "alarm", **payload: Any) -> None:
    for handler in handlers.event_handlers(kind):
        handler([received(device, kind, **payload)], acting_user=None)


def test_the_app_registers_its_handlers() -> None:
    for kind in ("alarm", "test", "restored", "battery_low", "tamper"):
        assert services.handle_events in handlers.event_handlers(kind)


def test_an_alarm_opens_one_sensor_incident_without_personal_data(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    home = household(p.astana)
    device = installed(home).device

    with django_capture_on_commit_callbacks(execute=True):
        _alarm(device)

    incident = Incident.objects.get()
    assert incident.type.code == "home_fire_alarm"
    assert incident.source == IncidentSource.SENSOR
    assert (incident.lat, incident.lon, incident.address) == (home.lat, home.lon, home.address)
    assert incident.region_id == p.astana.pk
    assert device.serial in incident.description
    visible_text = incident.description + " ".join(
        JournalEntry.objects.filter(incident=incident).values_list("text", flat=True)
    )
    for private in (home.contact_name, home.contact_phone, "pensioner", "Pensioner"):
        assert private not in visible_text
    event = AlarmEvent.objects.get()
    assert (event.incident_id, event.outcome) == (incident.pk, AlarmOutcome.INCIDENT)


def test_a_second_alarm_within_the_window_joins_the_open_incident(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    home = household(p.astana)
    first, second = installed(home), installed(home)

    with django_capture_on_commit_callbacks(execute=True):
        _alarm(first.device)
        _alarm(second.device)

    incident = Incident.objects.get()
    assert AlarmEvent.objects.filter(incident=incident).count() == 2
    assert AlarmEvent.objects.filter(outcome=AlarmOutcome.JOINED).count() == 1
    assert JournalEntry.objects.filter(incident=incident, code="alarms.joined").count() == 1
    assert CallBack.objects.count() == 1


def test_an_alarm_after_the_window_opens_a_new_incident(p: Personas) -> None:
    home = household(p.astana)
    device = installed(home).device
    Norm.objects.update_or_create(
        code="home_alarm_dedup_minutes", region=None, defaults={"value": 30}
    )
    old = timezone.now() - dt.timedelta(minutes=45)
    services.handle_events([received(device, at=old)], acting_user=None)
    services.handle_events([received(device)], acting_user=None)
    assert Incident.objects.count() == 2


def test_the_same_message_twice_is_recorded_once(p: Personas) -> None:
    device = installed(household(p.astana)).device
    message = received(device)
    services.handle_events([message, message], acting_user=None)
    services.handle_events([message], acting_user=None)
    assert AlarmEvent.objects.count() == 1
    assert Incident.objects.count() == 1


def test_test_messages_never_open_incidents(p: Personas) -> None:
    device = installed(household(p.astana)).device
    _alarm(device, "test")
    _alarm(device, "alarm", test=True)
    _alarm(device, "restored")
    assert Incident.objects.count() == 0
    assert sorted(AlarmEvent.objects.values_list("kind", flat=True)) == [
        "restored",
        "test",
        "test",
    ]


def test_an_alarm_from_a_device_in_no_home_is_recorded_and_opens_nothing(p: Personas) -> None:
    from saqshy.ingest.models import Device

    loose = Device.objects.create(serial="loose-1", kind="fire_alarm", region=p.astana)
    _alarm(loose)
    assert Incident.objects.count() == 0
    assert AlarmEvent.objects.get().outcome == AlarmOutcome.IGNORED


def test_the_call_back_goes_to_the_contact_in_the_household_language(
    p: Personas, django_capture_on_commit_callbacks: Any, fake_transport: type[FakeTransport]
) -> None:
    home = household(p.astana, language="kk")
    device = installed(home).device

    with django_capture_on_commit_callbacks(execute=True):
        _alarm(device)

    assert [sent.to for sent in fake_transport.sent] == [home.contact_phone]
    callback = CallBack.objects.get()
    assert callback.status == CallBackStatus.SENT
    assert callback.language == "kk"
    assert callback.text == fake_transport.sent[0].text
    assert "101" in callback.text
    assert JournalEntry.objects.filter(code="alarms.callback_sent").count() == 1


def test_a_failed_call_back_is_stored_as_failed(
    p: Personas, django_capture_on_commit_callbacks: Any, fake_transport: type[FakeTransport]
) -> None:
    fake_transport.script(fail=True)
    device = installed(household(p.astana)).device
    with django_capture_on_commit_callbacks(execute=True):
        _alarm(device)
    assert CallBack.objects.get().status == CallBackStatus.FAILED


def test_a_scripted_false_alarm_cancels_the_incident_by_rule(
    p: Personas, django_capture_on_commit_callbacks: Any, fake_transport: type[FakeTransport]
) -> None:
    fake_transport.script(answer="false_alarm", answer_text="cooking")
    home = household(p.astana)
    device = installed(home, model="FA-100").device
    with django_capture_on_commit_callbacks(execute=True):
        _alarm(device)

    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.CANCELLED
    callback = CallBack.objects.get()
    assert (callback.answer, callback.answer_text) == ("false_alarm", "cooking")
    assert AlarmEvent.objects.get().outcome == AlarmOutcome.FALSE_ALARM
    by_model = queries.false_alarm_rate_by_model(p.admin)
    assert [(r.key, r.alarms, r.false_alarms, r.rate) for r in by_model] == [("FA-100", 1, 1, 1.0)]
    by_home = queries.false_alarm_rate_by_household(p.admin)
    assert [(r.key, r.false_alarms) for r in by_home] == [(home.pk, 1)]


def _incident_with_callback(p: Personas, captured: Any) -> tuple[Incident, CallBack]:
    device = installed(household(p.astana)).device
    with captured(execute=True):
        _alarm(device)
    return Incident.objects.get(), CallBack.objects.get()


def test_a_false_alarm_answer_does_not_cancel_when_the_rule_is_off(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    Norm.objects.create(code="home_alarm_close_on_false_alarm", region=p.astana, value=0)
    incident, callback = _incident_with_callback(p, django_capture_on_commit_callbacks)

    services.record_answer(acting_user=None, callback=callback, answer="false_alarm", text="")

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.NEW
    assert AlarmEvent.objects.get().outcome == AlarmOutcome.FALSE_ALARM


def test_a_false_alarm_answer_does_not_cancel_once_a_unit_is_on_scene(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    incident, callback = _incident_with_callback(p, django_capture_on_commit_callbacks)
    engine: Any = UnitFactory(
        region=p.astana, agency=agency("des-astana", "emergency", p.astana), kind="fire_engine"
    )
    incident_services.dispatch(acting_user=None, incident=incident, units=[engine])
    incident_services.advance(acting_user=None, incident=incident, to_status="on_scene")

    services.record_answer(acting_user=None, callback=callback, answer="false_alarm", text="")

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ON_SCENE


def test_fire_confirmed_keeps_the_incident_open(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    incident, callback = _incident_with_callback(p, django_capture_on_commit_callbacks)
    services.record_answer(acting_user=None, callback=callback, answer="fire_confirmed")
    incident.refresh_from_db()
    assert incident.is_open
    assert AlarmEvent.objects.get().outcome == AlarmOutcome.FIRE


def test_an_unknown_answer_is_refused_naming_the_field(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.exceptions import ValidationError

    _incident, callback = _incident_with_callback(p, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        services.record_answer(acting_user=None, callback=callback, answer="maybe")
    assert "answer" in refused.value.message_dict


def test_a_planner_may_not_record_an_answer(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    _incident, callback = _incident_with_callback(p, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.record_answer(acting_user=p.planner_astana, callback=callback, answer="no_answer")


BAITEREK = (51.12825, 71.43053)
NEAR_BAITEREK = (51.12600, 71.43400)


def test_the_alarm_incident_has_recommendations(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.VAR_DIR = tmp_path
    from saqshy.demo import loader

    loader.load_regions()
    p = make_personas()
    des = agency("des-astana", "emergency", p.astana)
    engine = UnitFactory(
        region=p.astana,
        agency=des,
        call_sign="FE-1",
        kind="fire_engine",
        lat=NEAR_BAITEREK[0],
        lon=NEAR_BAITEREK[1],
        position_at=timezone.now(),
    )
    fire = person("fire_astana", "dispatcher", "des-astana", "emergency", p.astana)
    device = installed(household(p.astana, at=BAITEREK)).device

    with django_capture_on_commit_callbacks(execute=True):
        _alarm(device)

    result = recommendations(Incident.objects.get(), fire)
    suggested = [c["unit"] for c in result["recommended"] if c["suggested"]]
    assert suggested == [engine.pk]
    assert result["missing"] == {}


def test_through_the_ingest_path_as_its_system_account(
    p: Personas, django_capture_on_commit_callbacks: Any, fake_transport: type[FakeTransport]
) -> None:
    """Published, stored and processed by ingest (no broker): one incident, the call-back's
    scripted false alarm cancels it, the same message again changes nothing."""
    from saqshy.ingest.services import SYSTEM_USERNAME
    from saqshy.ingest.transport import DirectPublisher

    fake_transport.script(answer="false_alarm", answer_text="cooking")
    device = installed(household(p.astana)).device
    payload = {"id": "direct-1", "time": timezone.now().isoformat()}
    publisher = DirectPublisher()
    with django_capture_on_commit_callbacks(execute=True):
        publisher.publish(f"saqshy/alarms/{device.serial}/alarm", payload)
        publisher.flush()
        publisher.publish(f"saqshy/alarms/{device.serial}/alarm", payload)
        publisher.close()

    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.CANCELLED
    event = AlarmEvent.objects.get()
    assert event.outcome == AlarmOutcome.FALSE_ALARM
    from saqshy.core.models import AuditEntry

    created = AuditEntry.objects.get(object_type="alarms.alarmevent", action="create")
    assert created.actor_repr == SYSTEM_USERNAME
