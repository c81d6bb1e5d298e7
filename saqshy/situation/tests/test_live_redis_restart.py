"""A Redis restart loses the channel layer's groups (it runs without persistence): an open map
must get its pushes again by itself, and reload what it missed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.core.testing.redis_server import OwnRedis, redis_binary
from saqshy.facilities import services
from saqshy.situation.consumers import SERVICE_RESTART, SituationConsumer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(
    params=["saqshy.core.channel_layer.PubSubChannelLayer", "channels_redis.core.RedisChannelLayer"]
)
def redis_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[OwnRedis]:
    """A Redis of the test's own, under the production channel layer and under the former."""
    if redis_binary() is None:
        pytest.skip(reason="redis-server is not installed here")
    server = OwnRedis(tmp_path)
    server.start()
    config: dict[str, Any] = {
        "BACKEND": request.param,
        "CONFIG": {"hosts": [f"redis://127.0.0.1:{server.port}/0"], "prefix": "t"},
    }
    with override_settings(CHANNEL_LAYERS={"default": config}):
        channel_layers.backends.clear()
        yield server
    channel_layers.backends.clear()
    server.stop()


def test_a_map_gets_pushes_again_after_redis_restarts(redis_server: OwnRedis, db: Any) -> None:
    personas: Personas = make_personas()

    def create(name: str) -> int:
        return services.create_facility(
            acting_user=personas.planner_almaty, kind="mall", name=name, lat=43.233, lon=76.957
        ).pk

    async def open_map() -> WebsocketCommunicator:
        socket = WebsocketCommunicator(SituationConsumer.as_asgi(), "/ws/situation/")
        socket.scope["user"] = personas.analyst_national
        connected, _ = await socket.connect(timeout=3)
        assert connected
        assert (await socket.receive_json_from(timeout=3))["type"] == "hello"
        return socket

    async def scenario() -> None:
        socket = await open_map()
        await database_sync_to_async(create)("Before")
        assert (await socket.receive_json_from(timeout=5))["data"]["name"] == "Before"
        redis_server.stop()
        redis_server.start()
        # The socket's wait on its channel fails: it closes retryably, never stays open deaf.
        output = await socket.receive_output(timeout=20)
        assert output == {"type": "websocket.close", "code": SERVICE_RESTART}
        # The map reconnects: a new socket joins its groups in the new Redis and gets pushes.
        again = await open_map()
        await database_sync_to_async(create)("After")
        assert (await again.receive_json_from(timeout=5))["data"]["name"] == "After"
        await again.disconnect()

    async_to_sync(scenario)()
