"""Acceptance against the real Mosquitto: a published alarm becomes one fire incident with
recommendations, through the ingest consumer and the handlers the alarms app registers.

Own shared-subscription group, client id and serial per test (``alarms-`` prefixed), so
parallel runs and other consumers never take its messages.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone

from saqshy.alarms.tests.factories import household, installed, person
from saqshy.core.testing.personas import make_personas
from saqshy.incidents.choices import IncidentSource
from saqshy.incidents.models import Incident
from saqshy.incidents.queries import recommendations
from saqshy.incidents.tests.factories import UnitFactory, agency
from saqshy.ingest.consumer import Consumer
from saqshy.ingest.models import DeviceMessage
from saqshy.ingest.transport import MqttPublisher, broker_reachable

URL = "mqtt://127.0.0.1:1883"
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("mqtt"), pytest.mark.django_db]

BAITEREK = (51.12825, 71.43053)
NEAR_BAITEREK = (51.12600, 71.43400)


@pytest.fixture(autouse=True)
def broker(settings: Any, tmp_path: Any) -> None:
    if not broker_reachable(URL):
        pytest.skip(reason=f"no MQTT broker at {URL} (not running on this machine)")
    settings.ALARM_CALLBACK_TRANSPORT = "saqshy.alarms.callback.FakeTransport"
    settings.VAR_DIR = tmp_path


def test_a_published_alarm_is_one_incident_with_recommendations() -> None:
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
    tag = uuid.uuid4().hex[:10]
    device = installed(household(p.astana, at=BAITEREK)).device
    device.serial = f"ALM-{tag}"
    device.save(update_fields=["serial"])

    consumer = Consumer(
        url=URL, client_id=f"alarms-test-{tag}", group=f"alarms-{tag}", session_expiry=60
    ).start()
    publisher = MqttPublisher(URL, client_id=f"alarms-pub-{tag}")
    body = {"id": "m-1", "time": timezone.now().isoformat()}
    try:
        publisher.publish(f"saqshy/alarms/{device.serial}/alarm", body)
        publisher.publish(f"saqshy/alarms/{device.serial}/alarm", body)
        publisher.flush()
        for _ in range(100):
            if consumer.counters.received >= 2:
                break
            consumer.step(wait=0.2)
        assert consumer.counters.received == 2, "the consumer did not receive both copies"
    finally:
        publisher.close()
        consumer.close()

    assert DeviceMessage.objects.filter(device=device).count() == 1
    incident = Incident.objects.get()
    assert incident.source == IncidentSource.SENSOR
    assert incident.type.code == "home_fire_alarm"
    result = recommendations(incident, fire)
    assert [c["unit"] for c in result["recommended"] if c["suggested"]] == [engine.pk]
