"""A request thread (Django's WSGI handler in the web process's pool) sends its live pushes on
the served event loop, where the channel layer's connections live; a process without a served
loop (a worker, a command) still sends on a loop of its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from channels.layers import get_channel_layer

from saqshy.core import realtime
from saqshy.core.realtime import coalescer


@pytest.fixture
def served() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    coalescer.loop = loop
    try:
        yield loop
    finally:
        coalescer.loop = None
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


def _spy(monkeypatch: pytest.MonkeyPatch, layer: Any) -> list[asyncio.AbstractEventLoop]:
    loops: list[asyncio.AbstractEventLoop] = []
    original = layer.group_send

    async def group_send(group: str, message: dict[str, Any]) -> None:
        loops.append(asyncio.get_running_loop())
        await original(group, message)

    monkeypatch.setattr(layer, "group_send", group_send)
    return loops


def test_a_request_thread_pushes_on_the_served_loop(
    served: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    layer = get_channel_layer()
    channel = asyncio.run_coroutine_threadsafe(layer.new_channel(), served).result(5)
    asyncio.run_coroutine_threadsafe(layer.group_add("region.7", channel), served).result(5)
    loops = _spy(monkeypatch, layer)

    realtime._group_send("region.7", {"type": "saqshy.event", "n": 1}, "a test push")

    assert loops == [served]
    received = asyncio.run_coroutine_threadsafe(layer.receive(channel), served).result(5)
    assert received["n"] == 1


def test_without_a_served_loop_the_push_runs_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    assert coalescer.serving() is None
    loops = _spy(monkeypatch, get_channel_layer())

    realtime._group_send("region.7", {"type": "saqshy.event", "n": 2}, "a test push")

    assert len(loops) == 1


def test_a_push_that_cannot_be_sent_is_logged_not_raised(
    served: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    layer = get_channel_layer()

    async def broken(group: str, message: dict[str, Any]) -> None:
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(layer, "group_send", broken)
    realtime._group_send("region.7", {"type": "saqshy.event"}, "a test push")
    assert "live push failed for a test push" in caplog.text
