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
"""

from __future__ import annotations

import logging
import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

NATIONAL_GROUP = "national"
EVENT_TYPE = "saqshy.event"
RECHECK_TYPE = "saqshy.recheck"


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
        async_to_sync(layer.group_send)(group, payload)
    except Exception:  # a push failure must never undo or fail committed work
        logger.exception("live push failed for %s", what)


def send_now(message: dict[str, Any]) -> None:
    """Send one message to its region's group; failures are logged, never raised."""
    event = {**message, "at": server_time_ms()}
    _group_send(
        group_for_region(message.get("region_id")),
        {"type": EVENT_TYPE, "event": event},
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
) -> None:
    """Queue a live message to be sent when the current transaction commits.

    ``topic`` names the kind of record (``facility``), ``op`` what happened (``created``,
    ``updated``, ``deleted``), ``perm`` the permission a viewer needs to receive it.
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
    transaction.on_commit(lambda: send_now(message))
