"""ASGI entry point: HTTP through the shared read cache and Django, WebSockets through
Channels."""

import asyncio
import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from saqshy.core.readcache import ReadCache  # noqa: E402
from saqshy.core.realtime import coalescer  # noqa: E402
from saqshy.situation.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": ReadCache(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)


async def application(scope: Any, receive: Any, send: Any) -> None:
    """The router, noting the served event loop: coalesced live pushes are flushed on it."""
    coalescer.loop = asyncio.get_running_loop()
    await router(scope, receive, send)
