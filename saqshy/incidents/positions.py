"""Units' positions: one fix through the API, or a batch of vehicle trackers' fixes over MQTT.

Positions are frequent telemetry, not decisions: each is one compare-and-set, pushed live
(coalesced) but not audited. ``incidents.services`` offers these with the other service
functions of incidents and units.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.queries import region_locator
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.incidents.models import Unit

log = logging.getLogger(__name__)


def record_position(
    *, acting_user: Any, unit: Unit, lat: float, lon: float, at: dt.datetime | None = None
) -> bool:
    """Store a unit's position fix unless a newer one is stored; whether it was stored.

    Positions only move forward in time: the write is one compare-and-set ``UPDATE … WHERE
    position_at IS NULL OR position_at < at``, so a late or replayed older fix never
    overwrites a newer one, whatever the order in which concurrent fixes arrive. Positions are
    frequent telemetry, not decisions: they are pushed live (coalesced, a batch per region a
    second) but not audited. ``unit`` shows the stored position afterwards.
    """
    core_services.require_scope(acting_user, unit, "change")
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        raise ValidationError({"lat": [_("Not a valid position.")]})
    with transaction.atomic():
        return _move(unit, lat, lon, at or timezone.now())


def _move(unit: Unit, lat: float, lon: float, at: dt.datetime) -> bool:
    """The compare-and-set of ``record_position`` and its coalesced push; whether it moved."""
    stored = (
        Unit.objects.filter(pk=unit.pk)
        .filter(Q(position_at__isnull=True) | Q(position_at__lt=at))
        .update(lat=lat, lon=lon, position_at=at)
    )
    if not stored:
        unit.refresh_from_db(fields=["lat", "lon", "position_at", "status"])
        return False
    unit.lat, unit.lon, unit.position_at = lat, lon, at
    publish_on_commit(
        topic="unit",
        op="moved",
        object_id=unit.pk,
        region_id=unit.scope_region_id(),
        agency_id=unit.scope_agency_id(),
        perm=perm_name(Unit, "view"),
        data={"id": unit.pk, "lat": lat, "lon": lon, "position_at": at.isoformat()},
        coalesce=True,
    )
    return True


def record_tracker_positions(messages: Sequence[Any], *, acting_user: Any) -> None:
    """The ingest handler of vehicle trackers' fixes (``saqshy/positions/{tracker}/fix``).

    Each unit whose ``tracker`` sent fixes in the batch moves to the newest of them by the
    same compare-and-set as ``record_position``, so a redelivered or late fix never moves it
    back. A fix outside every region is kept in the device's messages but moves nothing; a
    tracker not fitted to any unit moves nothing either.
    """
    newest: dict[int, Any] = {}
    for message in messages:
        seen = newest.get(message.device_id)
        if seen is None or message.device_time > seen.device_time:
            newest[message.device_id] = message
    if not newest:
        return
    locate = region_locator()
    # In key order, as dispatches and closes take units: a batch that moved them in call-sign
    # order could hold one unit and wait for another that a dispatch holds while waiting for
    # the first.
    units = (
        Unit.objects.filter(tracker_id__in=newest)
        .only("pk", "tracker_id", "region_id", "agency_id", "status")
        .order_by("pk")
    )
    for unit in units:
        fix = newest[unit.tracker_id or 0]
        lat, lon = float(fix.payload["lat"]), float(fix.payload["lon"])
        if locate(lat, lon) is None:
            log.warning("tracker %s: a fix outside every region, unit not moved", fix.serial)
            continue
        _move(unit, lat, lon, fix.device_time)
