"""Live push: a committed change reaches every open map that may see it, and no other."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import override_settings

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities import services
from saqshy.facilities.models import Facility
from saqshy.situation.consumers import SituationConsumer

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def personas() -> Personas:
    return make_personas()


@pytest.fixture(params=["memory", "redis"])
def layer(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "memory":
        config: dict[str, Any] = {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    else:
        if not _redis_up():
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not answering at {REDIS_URL}; CI must run this test")
            pytest.skip(reason=f"no Redis server at {REDIS_URL} (not running on this machine)")
        config = {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    with override_settings(CHANNEL_LAYERS={"default": config}):
        channel_layers.backends.clear()
        yield request.param
    channel_layers.backends.clear()


async def _connect(user: Any) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(SituationConsumer.as_asgi(), "/ws/situation/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    hello = await communicator.receive_json_from(timeout=3)
    assert hello["type"] == "hello"
    return communicator


def test_change_reaches_maps_that_may_see_it(layer: str, personas: Personas) -> None:
    async def scenario() -> None:
        almaty_map = await _connect(personas.planner_almaty)
        astana_map = await _connect(personas.dispatcher_astana)
        national_map = await _connect(personas.analyst_national)
        created = await database_sync_to_async(services.create_facility)(
            acting_user=personas.planner_almaty,
            kind="mall",
            name="Dostyk Plaza",
            lat=43.233,
            lon=76.957,
        )
        for socket in (almaty_map, national_map):
            message = await socket.receive_json_from(timeout=5)
            assert message["type"] == "change"
            assert (message["topic"], message["op"], message["id"]) == (
                "facility",
                "created",
                created.pk,
            )
            assert message["data"]["name"] == "Dostyk Plaza"
        assert await astana_map.receive_nothing(timeout=0.5)
        for socket in (almaty_map, astana_map, national_map):
            await socket.disconnect()

    async_to_sync(scenario)()


def test_nothing_is_pushed_before_commit_or_after_rollback(layer: str, personas: Personas) -> None:
    def create_then_fail() -> None:
        try:
            with transaction.atomic():
                services.create_facility(
                    acting_user=None, kind="school", name="Ghost", lat=43.24, lon=76.94
                )
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    async def scenario() -> None:
        almaty_map = await _connect(personas.inspector_almaty)
        await database_sync_to_async(create_then_fail)()
        assert await almaty_map.receive_nothing(timeout=0.5)
        assert not await database_sync_to_async(Facility.objects.filter(name="Ghost").exists)()
        await almaty_map.disconnect()

    async_to_sync(scenario)()


def test_anonymous_socket_is_refused(layer: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    async def scenario() -> None:
        communicator = WebsocketCommunicator(SituationConsumer.as_asgi(), "/ws/situation/")
        communicator.scope["user"] = AnonymousUser()
        connected, code = await communicator.connect(timeout=3)
        assert not connected
        assert code == 4401

    async_to_sync(scenario)()
