"""Incidents and units reach the open maps that may see them, and no other, after commit."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.utils import timezone

from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services
from saqshy.incidents.tests.factories import agency, incident_type
from saqshy.situation.tests.test_live import _connect, layer  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def personas() -> Personas:
    return make_personas()


async def _next_change(socket: Any, topic: str) -> dict[str, Any]:
    message: dict[str, Any] = await socket.receive_json_from(timeout=5)
    assert message["type"] == "change"
    assert message["topic"] == topic, message
    return message


def test_incidents_and_units_reach_only_the_maps_that_may_see_them(
    layer: str,  # noqa: F811 (fixture)
    personas: Personas,
) -> None:
    p = personas
    police = Agency.objects.get(grants__user=p.dispatcher_astana)
    emergency = agency("des-astana", "emergency", p.astana)
    fire = incident_type("fire")

    async def scenario() -> None:
        police_map = await _connect(p.dispatcher_astana)  # Astana police only
        national_map = await _connect(p.analyst_national)
        shymkent_map = await _connect(p.viewer_other_region)

        incident = await database_sync_to_async(services.report_incident)(
            acting_user=p.dispatcher_astana, type=fire, lat=51.128, lon=71.430
        )
        for socket in (police_map, national_map):
            message = await _next_change(socket, "incident")
            assert (message["op"], message["id"]) == ("created", incident.pk)
            assert message["data"]["type"] == "fire"
            assert message["data"]["status"] == "new"

        engine = await database_sync_to_async(services.create_unit)(
            acting_user=None,
            call_sign="FE-9",
            kind="fire_engine",
            agency=emergency,
            region=p.astana,
        )
        message = await _next_change(national_map, "unit")
        assert (message["op"], message["id"]) == ("created", engine.pk)
        # The police dispatcher's grant covers the police's units, not the fire service's.
        assert await police_map.receive_nothing(timeout=0.3)

        car = await database_sync_to_async(services.create_unit)(
            acting_user=None, call_sign="P-9", kind="patrol_car", agency=police, region=p.astana
        )
        await database_sync_to_async(services.record_position)(
            acting_user=None, unit=car, lat=51.13, lon=71.43, at=timezone.now()
        )
        for socket in (police_map, national_map):
            created = await _next_change(socket, "unit")
            batch = await socket.receive_json_from(timeout=5)  # positions come in batches
            assert batch["type"] == "changes", batch
            [moved] = batch["changes"]
            assert (moved["topic"], moved["op"]) == ("unit", "moved")
            assert created["id"] == moved["id"] == car.pk
            assert (moved["data"]["lat"], moved["data"]["lon"]) == (51.13, 71.43)

        assert await shymkent_map.receive_nothing(timeout=0.3)
        for socket in (police_map, national_map, shymkent_map):
            await socket.disconnect()

    async_to_sync(scenario)()
