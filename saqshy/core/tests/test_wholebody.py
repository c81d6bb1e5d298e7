"""Requests reach Django with their whole body (``saqshy.core.wholebody``): a client that
leaves half-way changes nothing, and a body sent in chunks without a length arrives whole."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import override_settings

from saqshy.core.wholebody import WholeBody


class Echo:
    """A stand-in for Django: what it was asked, and the body it read (as a2wsgi reads)."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[bytes, bytes], bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.calls.append((dict(scope["headers"]), body))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _run(app: Any, messages: list[dict[str, Any]], headers: list[tuple[bytes, bytes]],
         method: str = "POST") -> list[dict[str, Any]]:  # fmt: skip
    scope = {"type": "http", "method": method, "path": "/api/ingest/", "headers": headers}
    pending = list(messages)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async_to_sync(WholeBody(app))(scope, receive, send)
    return sent


def test_a_client_that_leaves_half_way_reaches_no_one() -> None:
    echo = Echo()
    sent = _run(
        echo,
        [{"type": "http.request", "body": b'{"a": 1, "b"', "more_body": True},
         {"type": "http.disconnect"}],
        [(b"content-length", b"40"), (b"content-type", b"application/json")],
    )  # fmt: skip
    assert echo.calls == []
    assert sent == []


@pytest.mark.parametrize("memory", [1_000_000, 10])  # in memory, and spooled to a file
def test_a_chunked_body_arrives_whole_with_its_length(memory: int) -> None:
    echo = Echo()
    parts = [b'{"device": "h-1", ', b'"kind": "heartbeat", ', b'"at": "2026-12-31T23:59:00Z"}']
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=memory):
        sent = _run(
            echo,
            [{"type": "http.request", "body": part, "more_body": i < len(parts) - 1}
             for i, part in enumerate(parts)],
            [(b"transfer-encoding", b"chunked"), (b"content-type", b"application/json")],
        )  # fmt: skip
    [(headers, body)] = echo.calls
    assert body == b"".join(parts)
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"transfer-encoding" not in headers
    assert sent[0]["status"] == 200


def test_a_large_body_is_replayed_in_pieces_and_whole() -> None:
    echo = Echo()
    big = bytes(range(256)) * 1000  # 256 kB, several replayed chunks
    _run(echo, [{"type": "http.request", "body": big, "more_body": False}],
         [(b"content-length", str(len(big)).encode())])  # fmt: skip
    [(headers, body)] = echo.calls
    assert body == big
    assert headers[b"content-length"] == str(len(big)).encode()


def test_a_get_keeps_its_headers() -> None:
    echo = Echo()
    _run(echo, [{"type": "http.request", "body": b"", "more_body": False}],
         [(b"accept", b"application/json")], method="GET")  # fmt: skip
    [(headers, body)] = echo.calls
    assert body == b""
    assert headers == {b"accept": b"application/json"}
