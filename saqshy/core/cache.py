"""Django's cache shared by every process through Redis (``REDIS_URL``), degrading when Redis
is away.

The figures kept there (the readiness banner's version and ids, the simplified region
boundaries) are dropped by a write in one process and must be dropped in all: with a cache
per process, another web process kept showing a banner for up to a minute after its level
ended. Without ``REDIS_URL`` (the SQLite demo: one process) Django's local-memory cache
serves.

Values are stored as JSON, not pickled: whoever can write to Redis must not be able to run
code in the web processes (the channel layer, msgpack, holds to the same).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60.0
# After a failure, this long without asking Redis at all: a Redis that hangs rather than
# refuses would otherwise cost every cache call its socket timeout.
DOWN_SECONDS = 1.0
_warned_at = 0.0
_down_until: dict[str, float] = {}  # by Redis location
_clients: dict[str, RedisCacheClient] = {}
_clients_lock = threading.Lock()


class JsonSerializer:
    """Django's Redis serializer with JSON for pickle. Integers stay bare, so ``incr`` works
    in Redis; tuples come back as lists."""

    def dumps(self, value: Any) -> Any:
        if type(value) is int:
            return value
        return json.dumps(value, separators=(",", ":")).encode()

    def loads(self, data: bytes) -> Any:
        try:
            return int(data)
        except ValueError:
            pass
        try:
            return json.loads(data)
        except ValueError:  # not written by us (a pickle planted in Redis): a miss
            return None


def _away(location: str, error: RedisError) -> None:
    global _warned_at
    now = time.monotonic()
    _down_until[location] = now + DOWN_SECONDS
    if now - _warned_at >= WARN_EVERY_SECONDS:
        _warned_at = now
        logger.warning("shared cache unreachable, computing instead: %s", error)


def _tolerant(method: Callable[..., Any], on_error: Callable[..., Any]) -> Any:
    """``method``, answering ``on_error(*its arguments)`` when Redis cannot be reached."""

    @functools.wraps(method)
    def call(self: SharedCache, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < _down_until.get(self._location, 0.0):
            return on_error(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _away(self._location, error)
            return on_error(*args, **kwargs)

    return call


def _missing(key: Any, *args: Any, **kwargs: Any) -> int:
    raise ValueError(f"Key {key!r} not found (the shared cache is unreachable)")


def _clear_own_keys(cache: RedisCache) -> None:
    """Delete this cache's keys only. Django's ``clear`` empties the whole Redis database,
    which also holds the channel layer and the read cache's versions."""
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=1000):
        client.delete(key)


class SharedCache(RedisCache):
    """``RedisCache`` that misses instead of failing: with Redis unreachable, a read returns
    the default, a write is dropped and ``incr`` says the key is missing, so a page that
    caches a figure computes it and answers (as the read cache does) rather than a 500.

    Django makes a cache object per context, and every request runs in a context of its own:
    the Redis client, with its connection pool, is one per process instead, so a request
    does not open a connection of its own."""

    _servers: list[str]  # set by RedisCache from LOCATION
    _options: dict[str, Any]  # and from OPTIONS

    @functools.cached_property
    def _location(self) -> str:
        return ",".join(self._servers)

    @functools.cached_property
    def _cache(self) -> RedisCacheClient:
        key = json.dumps([self._location, sorted(self._options.items())], default=str)
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = RedisCacheClient(
                    self._servers,
                    # Bare integers for incr, as Django's own; the stubs say bytes only.
                    serializer=JsonSerializer(),  # type: ignore[arg-type]
                    **self._options,
                )
        return client

    get = _tolerant(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _tolerant(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _tolerant(RedisCache.has_key, lambda *args, **kwargs: False)
    add = _tolerant(RedisCache.add, lambda *args, **kwargs: False)
    set = _tolerant(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _tolerant(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    touch = _tolerant(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _tolerant(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _tolerant(RedisCache.delete_many, lambda *args, **kwargs: None)
    incr = _tolerant(RedisCache.incr, _missing)
    clear = _tolerant(_clear_own_keys, lambda *args, **kwargs: None)
