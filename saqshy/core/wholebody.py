"""Read a request's whole body before Django sees it, as Django's ASGI handler did.

Django's WSGI handler (``saqshy.asgi`` serves plain HTTP through it, in threads) reads the body
as the view asks for it, ``CONTENT_LENGTH`` bytes of it. So without this:

- a client that leaves half-way through a POST would hand the view a cut-off body, where
  Django's ASGI handler dropped the request (``RequestAborted``);
- a body sent in chunks, without ``Content-Length`` (a device streaming its report), would
  read as empty.

Here the body is received first, into memory or, past ``FILE_UPLOAD_MAX_MEMORY_SIZE``, a
temporary file; a request whose client left is answered by no one, and the one that goes on
carries the length of what arrived.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CHUNK = 64 * 1024
HOP_HEADERS = frozenset({b"content-length", b"transfer-encoding"})


class WholeBody:
    """ASGI middleware: HTTP requests reach ``app`` with their body complete."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with tempfile.SpooledTemporaryFile(
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b"
        ) as body:
            size = 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left before its request was whole: nothing happens
                chunk = message.get("body", b"")
                if chunk:
                    body.write(chunk)
                    size += len(chunk)
                if not message.get("more_body", False):
                    break
            body.seek(0)
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in HOP_HEADERS]
            if size or scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
                headers.append((b"content-length", str(size).encode()))
            whole = {**scope, "headers": headers}
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if replayed:
                    return await receive()  # after the body: the client's disconnect, if any
                data = body.read(CHUNK)
                more = body.tell() < size
                replayed = not more
                return {"type": "http.request", "body": data, "more_body": more}

            await self.app(whole, replay, send)
