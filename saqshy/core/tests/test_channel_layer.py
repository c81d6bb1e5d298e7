"""The live channel layer (``core.channel_layer``) against the real Redis."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis

from saqshy.core.channel_layer import LOST, PubSubChannelLayer
from saqshy.core.testing.redis_server import shared_redis_url


def _on_database(url: str, number: int) -> str:
    return url.rsplit("/", 1)[0] + f"/{number}" if url.count("/") > 2 else f"{url}/{number}"


def _layer(url: str, prefix: str, name: str = "", **options: Any) -> PubSubChannelLayer:
    host: dict[str, Any] = {"address": url, **options}
    if name:
        host["client_name"] = name
    return PubSubChannelLayer(hosts=[host], prefix=prefix)


def test_a_push_is_published_once_and_reaches_every_member_of_the_process() -> None:
    url = shared_redis_url()
    prefix = f"t{uuid.uuid4().hex[:8]}"
    layer = _layer(url, prefix)
    client = redis.Redis.from_url(url)

    async def scenario() -> None:
        members = [await layer.new_channel() for _ in range(3)]
        for channel in members:
            await layer.group_add("region.1", channel)
        # One subscription to the group, for the process, not one per member.
        group_channel = layer._get_layer()._get_group_channel_name("region.1")
        numsub = dict(client.pubsub_numsub(group_channel))
        assert list(numsub.values()) == [1]
        await layer.group_send("region.1", {"type": "saqshy.event", "n": 1})
        got = [await asyncio.wait_for(layer.receive(c), 5) for c in members]
        assert got == [{"type": "saqshy.event", "n": 1}] * 3
        await layer.flush()

    asyncio.run(scenario())


def test_installations_in_two_databases_of_one_redis_do_not_hear_each_other() -> None:
    url = shared_redis_url()
    prefix = f"t{uuid.uuid4().hex[:8]}"
    one, two = _layer(_on_database(url, 1), prefix), _layer(_on_database(url, 2), prefix)

    async def scenario() -> None:
        listener = await two.new_channel()
        await two.group_add("region.1", listener)
        await one.group_send("region.1", {"type": "saqshy.event", "from": "one"})
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(two.receive(listener), 1.0)
        await one.flush()
        await two.flush()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "options", [{}, {"retry_on_error": [redis.ConnectionError]}], ids=["raised", "retried"]
)
def test_a_broken_subscription_is_told_to_every_channel_of_the_process(
    options: dict[str, Any],
) -> None:
    """Whatever was published while the connection was down is gone: the channels hear so,
    whether redis-py reports the broken connection or (retries configured) connects again
    without a word."""
    url = shared_redis_url()
    name = f"t{uuid.uuid4().hex[:12]}"
    layer = _layer(url, name, name=name, **options)
    client = redis.Redis.from_url(url)

    async def scenario() -> None:
        members = [await layer.new_channel() for _ in range(2)]
        await layer.group_add("region.1", members[0])
        killed = 0
        for entry in client.client_list(_type="pubsub"):
            if entry.get("name") == name:
                killed += client.client_kill_filter(_id=entry["id"])
        assert killed == 1
        got = [await asyncio.wait_for(layer.receive(c), 5) for c in members]
        assert got == [LOST, LOST]
        # The subscription comes back by itself, and pushes arrive again.
        for _ in range(50):
            await layer.group_send("region.1", {"type": "saqshy.event", "n": 2})
            try:
                message = await asyncio.wait_for(layer.receive(members[0]), 0.2)
            except TimeoutError:
                continue
            if message != LOST:
                assert message == {"type": "saqshy.event", "n": 2}
                break
        else:
            pytest.fail("no push arrived after the subscription came back")
        await layer.flush()

    asyncio.run(scenario())


def test_a_channel_too_far_behind_is_told_once_and_sent_nothing_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from saqshy.core import channel_layer

    monkeypatch.setattr(channel_layer, "BEHIND", 5)
    url = shared_redis_url()
    layer = _layer(url, f"t{uuid.uuid4().hex[:8]}")

    async def scenario() -> None:
        slow, quick = await layer.new_channel(), await layer.new_channel()
        for channel in (slow, quick):
            await layer.group_add("region.1", channel)
        for n in range(8):
            await layer.group_send("region.1", {"type": "saqshy.event", "n": n})
            assert (await asyncio.wait_for(layer.receive(quick), 5))["n"] == n
        got = [await asyncio.wait_for(layer.receive(slow), 5) for _ in range(6)]
        assert got == [*({"type": "saqshy.event", "n": n} for n in range(5)), LOST]
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(slow), 0.5)
        await layer.flush()

    asyncio.run(scenario())


def test_a_channel_closed_while_redis_is_away_is_not_subscribed_again(tmp_path: Path) -> None:
    from saqshy.core.testing.redis_server import OwnRedis, redis_binary

    if redis_binary() is None:
        pytest.skip(reason="redis-server is not installed here")
    server = OwnRedis(tmp_path)
    server.start()
    layer = _layer(server.url, "t")
    client = redis.Redis.from_url(server.url)

    async def scenario() -> None:
        kept, closed = await layer.new_channel(), await layer.new_channel()
        for channel in (kept, closed):
            await layer.group_add("region.1", channel)
        server.stop()
        for channel in (kept, closed):
            assert await asyncio.wait_for(layer.receive(channel), 5) == LOST
        leaving = asyncio.create_task(layer.receive(closed))
        await asyncio.sleep(0.1)
        leaving.cancel()  # the socket closes: its channel is unsubscribed, which fails
        with pytest.raises(asyncio.CancelledError):
            await leaving
        server.start()
        for _ in range(100):  # the subscription is made again on the next read
            if client.pubsub_channels():
                break
            await asyncio.sleep(0.05)
        subscribed = {name.decode() for name in client.pubsub_channels()}
        assert kept in subscribed
        assert closed not in subscribed
        await layer.flush()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
