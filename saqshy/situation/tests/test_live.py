"""Live push: a committed change reaches every open map that may see it, and no other.

An open socket follows its user's access: logout and deactivation close it, a grant change
re-joins the right regions, and a change made behind the signals' back is caught by the
periodic re-check.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from saqshy.accounts import services as accounts
from saqshy.accounts.models import Agency, Grant, Role, User
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


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=f"pw-{username}")
    return client


async def _connect_with_session(client: Client) -> WebsocketCommunicator:
    """A socket opened the way a browser opens it: the session cookie decides who it is."""
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator = WebsocketCommunicator(
        AuthMiddlewareStack(SituationConsumer.as_asgi()),
        "/ws/situation/",
        headers=[(b"cookie", cookie.encode())],
    )
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    hello = await communicator.receive_json_from(timeout=3)
    assert hello["type"] == "hello"
    return communicator


async def _closed_with(communicator: WebsocketCommunicator) -> int:
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    code: int = output["code"]
    return code


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
            assert isinstance(message["at"], int)  # server time, for the map's catch-up
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


def test_logout_closes_the_socket_of_that_session_only(layer: str, personas: Personas) -> None:
    leaving = _signed_in("dispatcher_astana")
    staying = _signed_in("dispatcher_astana")

    async def scenario() -> None:
        leaving_map = await _connect_with_session(leaving)
        staying_map = await _connect_with_session(staying)
        await database_sync_to_async(leaving.post)("/logout/")
        assert await _closed_with(leaving_map) == 4401
        assert await staying_map.receive_nothing(timeout=0.5)
        await staying_map.disconnect()

    async_to_sync(scenario)()


def test_deactivation_closes_the_socket(layer: str, personas: Personas) -> None:
    def deactivate() -> None:
        user = User.objects.get(username="dispatcher_astana")
        user.is_active = False
        user.save()

    client = _signed_in("dispatcher_astana")

    async def scenario() -> None:
        live_map = await _connect_with_session(client)
        await database_sync_to_async(deactivate)()
        assert await _closed_with(live_map) == 4403

    async_to_sync(scenario)()


def test_a_grant_change_moves_the_socket_to_the_new_region(layer: str, personas: Personas) -> None:
    def move_to_almaty() -> None:
        planner = personas.planner_astana
        accounts.grant(
            acting_user=None,
            user=planner,
            agency=Agency.objects.get(code="police-almaty"),
            role=Role.objects.get(slug="planner"),
            region=personas.almaty,
        )
        Grant.objects.get(user=planner, region=personas.astana).delete()

    def create(name: str, lat: float, lon: float) -> Facility:
        return services.create_facility(acting_user=None, kind="mall", name=name, lat=lat, lon=lon)

    async def scenario() -> None:
        live_map = await _connect(
            await database_sync_to_async(User.objects.get)(username="planner_astana")
        )
        # A change that leaves the access alone is re-checked quietly: no reload of every map.
        await database_sync_to_async(accounts.set_language)(
            acting_user=None, user=personas.planner_astana, language="kk"
        )
        assert await live_map.receive_nothing(timeout=0.5)
        await database_sync_to_async(move_to_almaty)()
        # Said again: the map re-fetches what it may now see.
        while (message := await live_map.receive_json_from(timeout=5))["type"] != "hello":
            pass
        await database_sync_to_async(create)("Khan Shatyr", 51.1326, 71.4036)
        almaty = await database_sync_to_async(create)("Dostyk Plaza", 43.233, 76.957)
        message = await live_map.receive_json_from(timeout=5)
        assert (message["type"], message["id"]) == ("change", almaty.pk)
        assert await live_map.receive_nothing(timeout=0.5)
        await live_map.disconnect()

    async_to_sync(scenario)()


@override_settings(SAQSHY_LIVE_RECHECK_SECONDS=0.2)
def test_the_periodic_recheck_catches_what_no_signal_announced(
    layer: str, personas: Personas
) -> None:
    client = _signed_in("dispatcher_astana")

    async def scenario() -> None:
        live_map = await _connect_with_session(client)
        # A bulk update sends no signal; only the periodic re-check can notice it.
        await database_sync_to_async(User.objects.filter(username="dispatcher_astana").update)(
            is_active=False
        )
        assert await _closed_with(live_map) == 4403

    async_to_sync(scenario)()
