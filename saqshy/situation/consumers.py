"""``/ws/situation/``: every change a signed-in user may see, pushed as it commits.

A socket outlives the request that opened it, so it re-checks its user: at least every
``SAQSHY_LIVE_RECHECK_SECONDS`` and at once when the user's group (``user.<id>``) announces a
change to the account, its grants or its sessions (see ``situation.signals``). A deactivated
user's socket closes with 4403, a socket whose session ended (logout, expiry, password change)
with 4401; a changed set of grants re-joins the right region groups and says ``hello`` again so
the map re-fetches what it may now see (a change that leaves the grants alone, such as the
interface language, does not make every map reload).

When the channel layer fails under an open socket (Redis restarted: it runs without
persistence, so every group membership is gone; or the database is restarting), the socket
closes with 1012 (service restart) instead of living on deaf: the map reconnects, joins its
groups again and reloads its snapshot after the new ``hello``, so nothing it missed stays
missing (``benchmarks/nye_faults.py`` measures it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import OrderedDict
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from saqshy.accounts.models import Region, User
from saqshy.core.realtime import (
    NATIONAL_GROUP,
    group_for_region,
    group_for_user,
    server_time_ms,
)
from saqshy.core.scoping import Scope

UNAUTHENTICATED = 4401
FORBIDDEN = 4403
SERVICE_RESTART = 1012
"""Retryable: the map reconnects (only 4401 and 4403 stop it)."""

log = logging.getLogger(__name__)

ENCODED_KEPT = 256
_encoded: OrderedDict[tuple[Any, ...], str] = OrderedDict()
"""(message key, scopes of its permissions) → the text the sockets of that scope are sent."""


def groups_for(user: Any) -> list[str]:
    """The region groups whose messages this user might be allowed to receive."""
    if user.is_superuser or user.grants.filter(region__isnull=True).exists():
        return [
            NATIONAL_GROUP,
            *(group_for_region(pk) for pk in Region.objects.values_list("pk", flat=True)),
        ]
    region_ids = set(user.grants.values_list("region_id", flat=True))
    return [group_for_region(pk) for pk in sorted(region_ids)]


def access_of(user: Any) -> tuple[Any, ...]:
    """What the user's access is made of; when it changes, the map must load again."""
    grants = user.grants.values_list("region_id", "agency_id", "role_id")
    return (user.is_superuser, *sorted(grants, key=lambda g: tuple(v or 0 for v in g)))


def session_still_signs_in(session_key: str, user: User) -> bool:
    """Whether the session still exists and still authenticates ``user``.

    The same test as ``django.contrib.auth.get_user`` (user id and password-derived hash, the
    fallback secrets included) without its side effects on the session.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    data = store.load()
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    stored = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return bool(stored) and any(constant_time_compare(stored, h) for h in hashes)


def recheck_seconds() -> float:
    return float(getattr(settings, "SAQSHY_LIVE_RECHECK_SECONDS", 60))


class SituationConsumer(AsyncJsonWebsocketConsumer):
    accepted = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Exception as error:
            if not self.accepted:
                raise  # the handshake fails; the map retries
            # The channel layer (or the database) failed under the open socket: close it
            # retryably so the map reconnects and reloads, never leave it open and deaf.
            log.warning("live socket closed for a reconnect: %r", error)
            self._stop_rechecking()
            with contextlib.suppress(Exception):
                await send({"type": "websocket.close", "code": SERVICE_RESTART})

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.user = user
        self.closed = False
        session = self.scope.get("session")
        self.session_key: str | None = session.session_key if session is not None else None
        self.personal = group_for_user(user.pk)
        await self.channel_layer.group_add(self.personal, self.channel_name)
        self.joined = await database_sync_to_async(groups_for)(user)
        self.access = await database_sync_to_async(access_of)(user)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self.accepted = True
        await self._hello()
        self.watch = asyncio.create_task(self._recheck_periodically())

    async def disconnect(self, code: int) -> None:
        watch = getattr(self, "watch", None)
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        for group in [*getattr(self, "joined", []), getattr(self, "personal", None)]:
            if group:
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong", "at": server_time_ms()})

    async def saqshy_event(self, message: dict[str, Any]) -> None:
        await self._forward(message.get("key"), [message["event"]], "change")

    async def saqshy_batch(self, message: dict[str, Any]) -> None:
        """Coalesced telemetry (unit positions): the events this user may see, as one message."""
        await self._forward(message.get("batch"), message["events"], "changes")

    async def _forward(self, key: str | None, events: list[dict[str, Any]], kind: str) -> None:
        """Send this user's share of ``events``: one ``change``, or ``changes`` (a batch).

        Every map in the process gets the same message (on New Year's Eve 200 maps, 120
        incident and unit changes and a batch of positions a second), so the share of each
        distinct scope is filtered and encoded once and the text reused.
        """
        scopes = tuple(
            sorted(
                ((perm, self.user.cached_scope(perm)) for perm in {e["perm"] for e in events}),
                key=lambda pair: pair[0],
            )
        )
        cacheable = key is not None and all(scope is not None for _perm, scope in scopes)
        text = _encoded.get((key, scopes)) if cacheable else None
        if text is None:
            shown = [event for event in events if await self._allowed(event)]
            if not shown:
                text = ""
            elif kind == "change":
                text = json.dumps({"type": "change", **shown[0]})
            else:
                text = json.dumps({"type": "changes", "changes": shown})
            if cacheable:
                _encoded[(key, scopes)] = text
                while len(_encoded) > ENCODED_KEPT:
                    _encoded.popitem(last=False)
        if text:
            await self.send(text_data=text)

    async def _allowed(self, event: dict[str, Any]) -> bool:
        # Most events need no query (the user's scope for the permission is cached): decide
        # here, without a hop to the worker's one database thread, which every socket's
        # every event would otherwise queue on.
        scope = self.user.cached_scope(event["perm"])
        if scope is not None:
            return bool(scope.covers(event.get("region_id"), event.get("agency_id")))
        return bool(await database_sync_to_async(self._may_see)(event))

    async def saqshy_recheck(self, message: dict[str, Any]) -> None:
        """The user's account, grants or sessions changed somewhere: check again now."""
        ended = message.get("ended_session")
        if ended and self.session_key and constant_time_compare(ended, self.session_key):
            await self._close(UNAUTHENTICATED)
            return
        await self._recheck()

    async def saqshy_layer_lost(self, _message: dict[str, Any]) -> None:
        """The process's subscription to Redis broke (``core.channel_layer``): pushes may be
        missing, so close retryably; the map reconnects and loads its snapshot again."""
        if self.closed:
            return
        log.warning("live socket closed for a reconnect: the channel layer lost messages")
        self._stop_rechecking()
        await self.close(code=SERVICE_RESTART)

    def _stop_rechecking(self) -> None:
        """Mark the socket closed and stop its periodic re-check (a retryable close)."""
        self.closed = True
        watch = getattr(self, "watch", None)
        if watch is not None:
            watch.cancel()

    async def _hello(self) -> None:
        """Tell the map it is subscribed; it loads its snapshot after this ``at``."""
        await self.send_json({"type": "hello", "groups": len(self.joined), "at": server_time_ms()})

    async def _recheck_periodically(self) -> None:
        while await self._recheck(wait=recheck_seconds()):
            pass

    async def _recheck(self, wait: float = 0) -> bool:
        """Re-check the user (after ``wait`` seconds); whether the socket stays open."""
        await asyncio.sleep(wait)
        if self.closed:
            return False
        user, groups, access, verdict = await database_sync_to_async(self._current)()
        if verdict:
            await self._close(verdict)
            return False
        self.user = user
        for group in set(self.joined) - set(groups):
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in set(groups) - set(self.joined):
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = groups
        if access != self.access:
            self.access = access
            await self._hello()
        return True

    def _current(self) -> tuple[Any, list[str], tuple[Any, ...], int | None]:
        """The user as stored now, their groups and access, and a close code if they may not."""
        user = User.objects.filter(pk=self.user.pk, is_active=True).first()
        if user is None:
            return None, [], (), FORBIDDEN
        if self.session_key is not None and not session_still_signs_in(self.session_key, user):
            return None, [], (), UNAUTHENTICATED
        return user, groups_for(user), access_of(user), None

    async def _close(self, code: int) -> None:
        if self.closed:
            return
        self.closed = True
        await self.close(code=code)
        for group in [*self.joined, self.personal]:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.joined = []

    def _may_see(self, event: dict[str, Any]) -> bool:
        scope: Scope = self.user.scope_for(event["perm"])
        return scope.covers(event.get("region_id"), event.get("agency_id"))
