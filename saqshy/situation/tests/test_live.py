"""Live push: a committed change reaches every open map that may see it, and no other.

An open socket follows its user's access: logout and deactivation close it, a grant change
re-joins the right regions, and a change made behind the signals' back is caught by the
periodic re-check.
"""

from __future__ import annotations

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
from saqshy.core.testing.redis_server import SHARED_REDIS_URL, shared_redis_url
from saqshy.facilities import services
from saqshy.facilities.models import Facility
from saqshy.situation.consumers import SituationConsumer

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = SHARED_REDIS_URL


@pytest.fixture
def personas() -> Personas:
    return make_personas()


def _redis_layer() -> dict[str, Any]:
    """The production channel layer on the test Redis, under a prefix of its own."""
    return {
        "BACKEND": "saqshy.core.channel_layer.PubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
    }


@pytest.fixture(params=["memory", "redis"])
def layer(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "memory":
        config: dict[str, Any] = {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    else:
        shared_redis_url()
        config = _redis_layer()
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


def _police_units(personas: Personas, *call_signs: str) -> list[Any]:
    from saqshy.incidents import services as incidents

    police = Agency.objects.get(grants__user=personas.dispatcher_astana)
    return [
        incidents.create_unit(
            acting_user=None,
            call_sign=sign,
            kind="patrol_car",
            agency=police,
            region=personas.astana,
        )
        for sign in call_signs
    ]


def _fixes(units: list[Any], fixes: list[tuple[int, float]]) -> None:
    """Each (unit index, seconds after now) a fix of that unit, in its own transaction."""
    import datetime as dt

    from django.utils import timezone

    from saqshy.incidents import services as incidents

    now = timezone.now()
    for index, seconds in fixes:
        incidents.record_position(
            acting_user=None,
            unit=units[index],
            lat=51.12 + seconds / 1000,
            lon=71.43,
            at=now + dt.timedelta(seconds=seconds),
        )


def test_positions_are_coalesced_into_one_batch_per_region(layer: str, personas: Personas) -> None:
    """Four fixes of two units within the interval reach a map as one message: the latest
    fix of each, position only; a map of another region gets nothing."""
    import asyncio

    from saqshy.core.realtime import coalescer

    units = _police_units(personas, "C-1", "C-2")

    async def scenario() -> None:
        astana_map = await _connect(personas.dispatcher_astana)
        almaty_map = await _connect(personas.planner_almaty)
        national_map = await _connect(personas.analyst_national)
        coalescer.loop = asyncio.get_running_loop()
        try:
            await database_sync_to_async(_fixes)(units, [(0, 1), (1, 1), (0, 2), (0, 3)])
            message = await astana_map.receive_json_from(timeout=5)
            # Another scope that sees the same units gets the same batch (encoded apart).
            assert await national_map.receive_json_from(timeout=5) == message
        finally:
            coalescer.loop = None
        assert message["type"] == "changes"
        changes = sorted(message["changes"], key=lambda c: c["id"])
        assert [(c["topic"], c["op"], c["id"]) for c in changes] == [
            ("unit", "moved", units[0].pk),
            ("unit", "moved", units[1].pk),
        ]
        assert changes[0]["data"]["lat"] == pytest.approx(51.123)  # the latest of unit 0
        assert set(changes[0]["data"]) == {"id", "lat", "lon", "position_at"}
        assert all(isinstance(c["at"], int) for c in changes)
        assert await astana_map.receive_nothing(timeout=0.5)
        assert await almaty_map.receive_nothing(timeout=0.1)
        for socket in (astana_map, almaty_map, national_map):
            await socket.disconnect()

    with override_settings(SAQSHY_LIVE_COALESCE_SECONDS=0.3):
        async_to_sync(scenario)()


def test_with_no_interval_each_fix_is_sent_at_once(layer: str, personas: Personas) -> None:
    units = _police_units(personas, "C-3")

    async def scenario() -> None:
        astana_map = await _connect(personas.dispatcher_astana)
        await database_sync_to_async(_fixes)(units, [(0, 1), (0, 2)])
        for expected in (51.121, 51.122):
            message = await astana_map.receive_json_from(timeout=5)
            assert message["type"] == "changes"
            assert [c["data"]["lat"] for c in message["changes"]] == [pytest.approx(expected)]
        await astana_map.disconnect()

    with override_settings(SAQSHY_LIVE_COALESCE_SECONDS=0):
        async_to_sync(scenario)()


def test_a_worker_process_sends_its_batch_from_a_timer(personas: Personas) -> None:
    """Without a served event loop (the ingest consumer moving units by their trackers) the
    batch goes out from a timer thread: through Redis, as between the real processes."""
    shared_redis_url()
    config = _redis_layer()
    units = _police_units(personas, "C-4", "C-5")

    async def scenario() -> None:
        astana_map = await _connect(personas.dispatcher_astana)
        await database_sync_to_async(_fixes)(units, [(0, 1), (1, 1), (0, 2)])
        message = await astana_map.receive_json_from(timeout=5)
        assert message["type"] == "changes"
        moved = {c["id"]: c["data"]["lat"] for c in message["changes"]}
        assert moved == {units[0].pk: pytest.approx(51.122), units[1].pk: pytest.approx(51.121)}
        assert await astana_map.receive_nothing(timeout=1.0)
        await astana_map.disconnect()

    with override_settings(
        CHANNEL_LAYERS={"default": config}, SAQSHY_LIVE_COALESCE_SECONDS=0.3
    ):  # fmt: skip
        channel_layers.backends.clear()
        try:
            async_to_sync(scenario)()
        finally:
            channel_layers.backends.clear()
