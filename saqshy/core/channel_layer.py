"""The live channel layer: Redis publish/subscribe, one copy of a push per web process.

``channels_redis.core.RedisChannelLayer`` keeps a list per channel in Redis: a push to a
region's group is written once for every open map in it, and each web process then takes its
maps' copies out of Redis one round trip at a time. On New Year's Eve (200 maps in one
group, about 120 changes a second) that fan-out is what the web processes spent their time
on (``benchmarks/fan_out.py``).

``channels_redis.pubsub`` publishes a push once; every web process that has a member of the
group subscribed receives one copy and hands it to its members in memory. What it does not
do is say when its subscription was broken: Redis restarted, or the connection dropped. The
subscription comes back by itself, and whatever was published in between is gone without a
trace. A map must never stay open with a hole in its picture, so here every channel of the
process is then told (``saqshy.layer_lost``); the situation socket closes with 1012 and the
map reconnects and loads its snapshot again, as it does after any restart.

Publish/subscribe keeps no message for a process that is not listening; no message here
needs that. A push is sent after its commit, and a map that was away reloads its snapshot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close, create_pool
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

LOST = {"type": "saqshy.layer_lost"}
"""Sent to every channel of a process whose subscription to Redis broke, and to a channel
that fell too far behind."""

BEHIND = 2000
"""Messages a channel may have waiting. A socket whose client stopped reading (until the
server's ping gives up on it) would otherwise keep every push in memory; past this many it is
told ``LOST`` once and sent nothing more, so it closes and its map reloads."""


class _PubSub(PubSub):
    """redis-py's subscriptions, which call ``on_again`` whenever they are connected again."""

    def __init__(self, pool: Any, *, on_again: Callable[[], None]) -> None:
        super().__init__(pool)
        self._on_again = on_again

    async def on_connect(self, connection: Any) -> None:
        if self.channels or self.patterns:  # subscriptions to renew: there was a gap
            log.warning("live subscription to Redis made again, maps will reload")
            self._on_again()
        await super().on_connect(connection)


class _Shard(RedisSingleShardConnection):
    """One Redis connection's subscriptions; a broken connection is told to every channel.

    Told twice over: when reading fails, and when redis-py connects the subscriptions again
    (which it may also do silently, inside a retry, where retries are configured).
    """

    _redis: Any
    _pubsub: Any
    _lock: asyncio.Lock
    _subscribed_to: set[str]

    def _ensure_redis(self) -> None:
        if self._redis is None:
            client = Redis(connection_pool=create_pool(self.host))
            self._redis = client
            self._pubsub = _PubSub(client.connection_pool, on_again=self._tell_everyone_lost)

    async def _do_receiving(self) -> None:
        while True:
            try:
                if self._pubsub is not None and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=0.1
                    )
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as error:  # the connection broke: messages may be missing
                log.warning("live subscription to Redis broken, maps will reload: %r", error)
                self._tell_everyone_lost()
                await asyncio.sleep(0.5)

    async def unsubscribe(self, channel: str) -> None:
        """Unsubscribe; with Redis away, forget the subscription so it is not made again.

        ``channels_redis`` unsubscribes a closed socket's channel. While Redis is down that
        fails (and it logged a traceback per socket), and redis-py, keeping the channel in its
        list, would subscribe it again on reconnecting: a subscription left for every map
        that closed during the outage.
        """
        try:
            await super().unsubscribe(channel)
        except (RedisError, OSError):
            async with self._lock:
                self._subscribed_to.discard(channel)
                if self._pubsub is not None:
                    for name in (channel, channel.encode()):
                        self._pubsub.channels.pop(name, None)
                        self._pubsub.pending_unsubscribe_channels.discard(name)

    def _receive_message(self, message: Any) -> None:
        if message is None:
            return
        name, data = message["channel"], message["data"]
        if isinstance(name, bytes):
            name = name.decode()
        layer: Any = self.channel_layer
        if name in layer.channels:
            members: Any = (name,)
        else:
            members = layer.groups.get(name, ())
        for member in members:
            queue = layer.channels.get(member)
            if queue is None:
                continue
            if queue.qsize() < BEHIND:
                queue.put_nowait(data)
            elif queue.qsize() == BEHIND:
                log.warning("live channel %s fell %d messages behind: it reloads", member, BEHIND)
                self._tell_lost(queue)

    def _tell_everyone_lost(self) -> None:
        layer: Any = self.channel_layer
        for queue in list(layer.channels.values()):
            self._tell_lost(queue)

    def _tell_lost(self, queue: asyncio.Queue[Any]) -> None:
        """Put ``LOST`` in ``queue``; a queue past ``BEHIND`` already has it last."""
        if queue.qsize() <= BEHIND:
            queue.put_nowait(self.channel_layer.channel_layer.serialize(LOST))


class _LoopLayer(RedisPubSubLoopLayer):
    _shards: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """``CHANNEL_LAYERS`` backend: ``channels_redis``' publish/subscribe layer, see above.

    Redis's publish/subscribe ignores the database number, so the number of the first host's
    database is made part of the prefix: two installations on one Redis, each in a database
    of its own, never hear each other's pushes.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        hosts = kwargs.get("hosts") or []
        first = hosts[0] if hosts else {}
        address = first.get("address", "") if isinstance(first, dict) else str(first)
        database = urlsplit(str(address)).path.strip("/") or "0"
        kwargs["prefix"] = f"{kwargs.get('prefix', 'asgi')}:{database}:"
        super().__init__(*args, **kwargs)

    def _get_layer(self) -> Any:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer
