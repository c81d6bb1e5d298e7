"""Live push: domain changes go to every open map that may see them, after commit only.

Messages are sent to one channel-layer group per region (``region.<id>``) or to the national
group for records without a region. A consumer joins the groups its user can see and checks
the permission carried by each message before forwarding it, so the queryset rules and the
push rules never disagree.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

NATIONAL_GROUP = "national"
EVENT_TYPE = "saqshy.event"


def group_for_region(region_id: int | None) -> str:
    return NATIONAL_GROUP if region_id is None else f"region.{region_id}"


def send_now(message: dict[str, Any]) -> None:
    """Send one message to its region's group; failures are logged, never raised."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            group_for_region(message.get("region_id")), {"type": EVENT_TYPE, "event": message}
        )
    except Exception:  # a push failure must never undo or fail committed work
        logger.exception("live push failed for %s", message.get("topic"))


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
