"""Live push: domain changes go to every open map that may see them, after commit only.

Messages are sent to one channel-layer group per region (``region.<id>``) or to the national
group for records without a region. A consumer joins the groups its user can see and checks
the permission carried by each message before forwarding it, so the queryset rules and the
push rules never disagree. Every message carries ``at``, the server time in milliseconds when
it was sent (after its commit), so a map can tell which messages its loaded snapshot already
contains.

Each socket also joins its user's own group (``user.<id>``): a change to the user's account,
grants or sessions is announced there (``notify_user``) and the socket re-checks what it may
still receive.

Frequent telemetry (unit positions: 2,000 units every 5 s on New Year's Eve) is coalesced
(``publish_on_commit(..., coalesce=True)``): within a web process, the messages committed during
``SAQSHY_LIVE_COALESCE_SECONDS`` are sent as one batch per group, the latest per record, so
the fan-out is a message per region and second to each map instead of one per fix. The
socket forwards a batch as one ``changes`` message. In a process without a served event loop
(the ingest consumer, which moves units by their trackers' fixes) a timer thread sends the
batch; with the setting at 0 each message is sent at once as a batch of one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from saqshy.core import readcache

logger = logging.getLogger(__name__)

NATIONAL_GROUP = "national"
EVENT_TYPE = "saqshy.event"
BATCH_TYPE = "saqshy.batch"
RECHECK_TYPE = "saqshy.recheck"
PUSH_TIMEOUT_SECONDS = 5.0


def group_for_region(region_id: int | None) -> str:
    return NATIONAL_GROUP if region_id is None else f"region.{region_id}"


def group_for_user(user_id: int) -> str:
    return f"user.{user_id}"


def server_time_ms() -> int:
    """The server's clock in milliseconds, the unit of every ``at`` a map compares."""
    return time.time_ns() // 1_000_000


def _group_send(group: str, payload: dict[str, Any], what: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = coalescer.serving()
        if loop is not None and not _on(loop):
            # A web process's request thread: send on the served loop, whose connections to
            # the channel layer stay open (async_to_sync would start a loop, and connect, for
            # every message).
            pushed = asyncio.run_coroutine_threadsafe(layer.group_send(group, payload), loop)
            try:
                pushed.result(timeout=PUSH_TIMEOUT_SECONDS)
            except BaseException:
                pushed.cancel()  # not sent late, after the pushes that follow it
                raise
        else:
            async_to_sync(layer.group_send)(group, payload)
    except Exception:  # a push failure must never undo or fail committed work
        logger.exception("live push failed for %s", what)


def _on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def send_now(message: dict[str, Any]) -> None:
    """Send one message to its region's group; failures are logged, never raised."""
    readcache.flush_pending()  # the write is visible to reads before the map hears of it
    event = {**message, "at": server_time_ms()}
    _group_send(
        group_for_region(message.get("region_id")),
        {"type": EVENT_TYPE, "event": event, "key": uuid.uuid4().hex},
        str(message.get("topic")),
    )


def notify_user(user_id: int, *, session_key: str | None = None) -> None:
    """Tell the user's open sockets to re-check the account, grants and session after commit.

    ``session_key`` names a session that is ending (logout): the socket opened with it closes
    even before the session row is gone.
    """
    payload = {"type": RECHECK_TYPE, "ended_session": session_key}
    transaction.on_commit(lambda: _group_send(group_for_user(user_id), payload, "user re-check"))


def publish_on_commit(
    *,
    topic: str,
    op: str,
    object_id: int | str,
    region_id: int | None,
    perm: str,
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
    coalesce: bool = False,
) -> None:
    """Queue a live message to be sent when the current transaction commits.

    ``topic`` names the kind of record (``facility``), ``op`` what happened (``created``,
    ``updated``, ``deleted``), ``perm`` the permission a viewer needs to receive it.
    ``coalesce``: frequent telemetry, sent in the process's next batch (``Coalescer``); a
    later message for the same record in that batch replaces this one, so ``data`` must be
    the record's whole changed state (a position), never a delta.
    """
    message = {
        "topic": topic,
        "op": op,
        "id": object_id,
        "region_id": region_id,
        "agency_id": agency_id,
        "perm": perm,
        "data": data or {},
    }
    transaction.on_commit(lambda: coalescer.add(message) if coalesce else send_now(message))


class Coalescer:
    """Per-process buffer of coalesced messages, flushed on the served event loop.

    Request threads add to it after their commit; the first message into an empty buffer
    schedules a flush ``interval`` seconds later on the loop the ASGI server runs (recorded
    by ``saqshy.asgi`` on every request), so the send happens where the channel layer lives.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[tuple[str, str, Any], dict[str, Any]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.since = 0.0
        self.flushing: asyncio.Future[None] | None = None

    def interval(self) -> float:
        return float(getattr(settings, "SAQSHY_LIVE_COALESCE_SECONDS", 1.0))

    def serving(self) -> asyncio.AbstractEventLoop | None:
        loop = self.loop
        return loop if loop is not None and loop.is_running() and not loop.is_closed() else None

    def add(self, message: dict[str, Any]) -> None:
        readcache.flush_pending()
        interval = self.interval()
        group = group_for_region(message.get("region_id"))
        if interval <= 0:
            _send_batch(group, [{**message, "at": server_time_ms()}])
            return
        with self.lock:
            # A flush is scheduled with the first message into an empty buffer; should it
            # never have run (its loop stopped meanwhile), a later message schedules another.
            now = time.monotonic()
            due = not self.pending or now - self.since > 3 * interval
            self.pending[(group, str(message.get("topic")), message.get("id"))] = message
            if due:
                self.since = now
        if not due:
            return
        loop = self.serving()
        if loop is not None:
            loop.call_soon_threadsafe(loop.call_later, interval, self._start_flush)
        else:  # a worker process (the ingest consumer's trackers): a timer thread sends
            timer = threading.Timer(interval, self.flush_now)
            timer.daemon = True
            timer.start()

    def _start_flush(self) -> None:
        self.flushing = asyncio.ensure_future(self.flush())

    def flush_now(self) -> None:
        """Send the buffer from a thread without an event loop."""
        for group, events in self.take().items():
            _send_batch(group, events)

    def take(self) -> dict[str, list[dict[str, Any]]]:
        """Empty the buffer: its messages by group, stamped with the time of sending."""
        with self.lock:
            pending, self.pending = self.pending, {}
        at = server_time_ms()
        groups: dict[str, list[dict[str, Any]]] = {}
        for (group, _topic, _id), message in pending.items():
            groups.setdefault(group, []).append({**message, "at": at})
        return groups

    async def flush(self) -> None:
        layer = get_channel_layer()
        for group, events in self.take().items():
            if layer is None:
                return
            try:
                await layer.group_send(group, batch_message(events))
            except Exception:  # a push failure must never reach the request that caused it
                logger.exception("live push of a batch failed for %s", group)


coalescer = Coalescer()


def _send_batch(group: str, events: list[dict[str, Any]]) -> None:
    _group_send(group, batch_message(events), f"batch for {group}")


def batch_message(events: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch as the channel layer carries it; ``batch`` tells the sockets of one process
    that they hold the same batch (each user's share is encoded once per scope)."""
    return {"type": BATCH_TYPE, "batch": uuid.uuid4().hex, "events": events}
