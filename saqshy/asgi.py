"""ASGI entry point: HTTP through the shared read cache and Django, WebSockets through
Channels.

Django answers plain HTTP through its WSGI handler, in a pool of threads (``a2wsgi``), not its
ASGI handler: measured on the same requests and server (docs/benchmarks.md), the ASGI handler
spends about a third more CPU per request (a thread hop per sync middleware and view) and runs
a process's sync views one at a time on one thread, while the pool overlaps their database
waits. Every view is synchronous but the live socket's consumer, which stays on the event loop.
``WholeBody`` receives each request's body before a thread takes it, as the ASGI handler did.
"""

import asyncio
import os
from typing import Any

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.wsgi import get_wsgi_application

from saqshy.core.wholebody import WholeBody

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
django_http = WholeBody(
    WSGIMiddleware(
        get_wsgi_application(),  # type: ignore[arg-type]  # Django types its return loosely
        workers=settings.SAQSHY_HTTP_THREADS,
    )
)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from saqshy.core.readcache import ReadCache  # noqa: E402
from saqshy.core.realtime import coalescer  # noqa: E402
from saqshy.situation.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": ReadCache(django_http),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)


async def application(scope: Any, receive: Any, send: Any) -> None:
    """The router, noting the served event loop: coalesced live pushes are flushed on it."""
    coalescer.loop = asyncio.get_running_loop()
    await router(scope, receive, send)
