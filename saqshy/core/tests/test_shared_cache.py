"""The shared cache: a readiness change dropped in one process is dropped in every other
(through Redis), and an unreachable Redis means computing, never an error."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from saqshy.core.cache import SharedCache
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.core.testing.redis_server import SHARED_REDIS_URL, shared_redis_url
from saqshy.duty.readiness import services as readiness_services
from saqshy.duty.readiness.queries import _BANNER_VERSION, banner_levels

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = SHARED_REDIS_URL
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _shared(location: str, prefix: str) -> dict[str, dict[str, object]]:
    return {
        "default": {
            "BACKEND": "saqshy.core.cache.SharedCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def personas() -> Personas:
    return make_personas()


@pytest.fixture
def prefix() -> Iterator[str]:
    shared_redis_url()
    name = f"test-cache-{uuid.uuid4().hex[:8]}"
    yield name
    SharedCache(REDIS_URL, {"KEY_PREFIX": name}).clear()


def _enhanced(personas: Personas) -> None:
    readiness_services.set_readiness(
        acting_user=personas.planner_almaty,
        region=personas.almaty,
        level="enhanced",
        starts_at=timezone.now() - timezone.timedelta(minutes=5),
        reason="Holidays",
    )


def test_a_level_set_in_one_process_drops_the_banner_kept_by_another(
    personas: Personas, prefix: str
) -> None:
    # Another web process: its own connection to the same Redis, under the same prefix.
    other_process = SharedCache(REDIS_URL, {"KEY_PREFIX": prefix})
    with override_settings(CACHES=_shared(REDIS_URL, prefix)):
        assert banner_levels(personas.planner_almaty) == []  # kept: no level
        kept = other_process.get(_BANNER_VERSION)
        assert kept is not None
        _enhanced(personas)  # forget_banners runs on commit, here
        assert other_process.get(_BANNER_VERSION) == kept + 1
        # The other process now reads the new level, not its minute-old empty answer.
        with override_settings(CACHES=_shared(REDIS_URL, prefix)):
            levels = banner_levels(personas.planner_almaty)
        assert [level.level for level in levels] == ["enhanced"]


def test_without_redis_the_banner_is_computed_and_nothing_fails(personas: Personas) -> None:
    with override_settings(CACHES=_shared(NOWHERE, "nowhere")):
        assert cache.get("anything", "default") == "default"
        cache.set("anything", 1)  # dropped, no error
        assert cache.get_or_set("computed", 7) == 7
        assert cache.add("anything", 1) is False
        with pytest.raises(ValueError):
            cache.incr("anything")
        assert banner_levels(personas.planner_almaty) == []
        _enhanced(personas)  # forget_banners cannot reach Redis: no error either
        assert [level.level for level in banner_levels(personas.planner_almaty)] == ["enhanced"]


def test_clear_deletes_only_the_cache_s_own_keys(prefix: str) -> None:
    import redis

    other = redis.Redis.from_url(REDIS_URL)
    bystander = f"{prefix}-bystander"  # e.g. the channel layer's or the read cache's keys
    other.set(bystander, "kept")
    try:
        shared = SharedCache(REDIS_URL, {"KEY_PREFIX": prefix})
        shared.set("a", 1)
        assert shared.get("a") == 1
        shared.clear()
        assert shared.get("a") is None
        assert other.get(bystander) == b"kept"
    finally:
        other.delete(bystander)


def test_values_are_json_and_a_planted_pickle_is_a_miss(prefix: str) -> None:
    import pickle

    import redis

    shared = SharedCache(REDIS_URL, {"KEY_PREFIX": prefix})
    shared.set("ids", [3, 1, 2])
    shared.set("version", 7)
    raw = redis.Redis.from_url(REDIS_URL)
    assert raw.get(shared.make_key("ids")) == b"[3,1,2]"
    assert shared.get("ids") == [3, 1, 2]
    assert shared.incr("version") == 8

    class Boom:
        def __reduce__(self) -> tuple[Any, ...]:
            return (exec, ("raise SystemExit('unpickled')",))

    raw.set(shared.make_key("planted"), pickle.dumps(Boom()))
    assert shared.get("planted", "miss") is None  # decoded as nothing, never unpickled


def test_one_redis_client_per_process_not_per_request(prefix: str) -> None:
    # Django makes a cache object per request context; they must share one connection pool.
    first = SharedCache(REDIS_URL, {"KEY_PREFIX": prefix})
    second = SharedCache(REDIS_URL, {"KEY_PREFIX": prefix})
    assert first._cache is second._cache


def test_an_unreachable_redis_is_not_asked_again_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import redis

    away = SharedCache("redis://127.0.0.1:1/3", {"KEY_PREFIX": "away"})
    asked: list[int] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        asked.append(1)
        raise redis.ConnectionError("refused")

    monkeypatch.setattr(away._cache, "get_client", refuse)
    assert away.get("x") is None
    assert asked == [1]
    for _ in range(10):  # within the next second: answered without asking Redis
        assert away.get("x", "fallback") == "fallback"
    assert asked == [1]
