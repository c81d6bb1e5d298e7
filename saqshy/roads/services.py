"""Every change to the road network: a segment restricted or closed, reopened, renamed.

Each function takes a keyword-only ``acting_user`` (``None`` = the system), runs in one
transaction, audits and queues the live message (topic ``segment``) on commit. The segment's
``status`` always equals its current closure's (or open without one), so the map, the public
page and routing read one column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Grant
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.roads.choices import Restriction, SegmentStatus
from saqshy.roads.models import Closure, Segment

CLOSING_ROLES: dict[str, frozenset[str]] = {
    AgencyKind.TRANSPORT: frozenset({"planner", "duty-officer"}),
    AgencyKind.EMERGENCY: frozenset({"duty-officer"}),
    AgencyKind.AKIMAT: frozenset({"duty-officer"}),
}
"""Who decides closures: a road (transport) agency's planners and duty officers, and the duty
officers of the emergency service and the akimat, by their grant's agency kind and role."""


def may_close(acting_user: Any, segment: Segment) -> bool:
    """Whether ``acting_user`` may close, restrict or reopen ``segment``: the system, a
    superuser, or a holder of a closing role (``CLOSING_ROLES``) whose grant covers the
    segment's region (a national grant covers every region)."""
    if acting_user is None or getattr(acting_user, "is_superuser", False):
        return True
    if not getattr(acting_user, "is_authenticated", False):
        return False
    grants = Grant.objects.filter(user=acting_user).filter(
        Q(region__isnull=True) | Q(region_id=segment.region_id)
    )
    return any(
        role in CLOSING_ROLES.get(kind, frozenset())
        for kind, role in grants.values_list("agency__kind", "role__slug")
    )


def _require_close(acting_user: Any, segment: Segment) -> None:
    if not may_close(acting_user, segment):
        raise PermissionDenied(
            _(
                "Only the road authority's planners and duty officers, or the duty officers of "
                "the emergency service or the akimat, close and reopen roads in this region."
            )
        )


def may_edit(acting_user: Any, segment: Segment) -> bool:
    """Whether ``acting_user`` may edit the segment's name, number and speed."""
    try:
        core_services.require_scope(acting_user, segment, "change")
    except PermissionDenied:
        return False
    return True


def segment_payload(segment: Segment) -> dict[str, Any]:
    """What the live map needs to recolour a segment."""
    return {"status": segment.status, "title": segment.title}


def close_segment(
    *,
    acting_user: Any,
    segment: Segment,
    status: str,
    reason: str,
    restriction: str = "",
    note: str = "",
    starts_at: dt.datetime | None = None,
    expected_reopening_at: dt.datetime | None = None,
    agency: Any = None,
) -> Closure:
    """Restrict or close ``segment`` from ``starts_at`` (now by default).

    A current closure is ended at that moment and replaced (a restriction becoming a closure
    is one decision after another in the history). ``status`` must be restricted (with a
    ``restriction``) or closed; ``expected_reopening_at`` must follow ``starts_at``.
    """
    starts_at = starts_at or timezone.now()
    if status not in (SegmentStatus.RESTRICTED, SegmentStatus.CLOSED):
        raise ValidationError({"status": [_("Choose restricted or closed.")]})
    if status == SegmentStatus.RESTRICTED and restriction not in Restriction.values():
        raise ValidationError({"restriction": [_("Say what the restriction forbids.")]})
    if status == SegmentStatus.CLOSED:
        restriction = ""
    if expected_reopening_at is not None and expected_reopening_at <= starts_at:
        raise ValidationError(
            {"expected_reopening_at": [_("The expected reopening must be after the start.")]}
        )
    _require_close(acting_user, segment)
    with transaction.atomic():
        locked = Segment.objects.select_for_update().get(pk=segment.pk)
        current = Closure.objects.filter(segment=locked, ended_at__isnull=True).first()
        if current is not None:
            core_services.save_changes(
                acting_user=acting_user, instance=current, changes={"ended_at": starts_at}
            )
        closure = Closure(
            segment=locked,
            status=status,
            restriction=restriction,
            reason=reason,
            note=note.replace("\x00", ""),
            starts_at=starts_at,
            expected_reopening_at=expected_reopening_at,
            decided_by=acting_user if getattr(acting_user, "pk", None) else None,
            agency=agency,
        )
        if closure.decided_by_id is None:
            raise ValidationError({"decided_by": [_("A closure is decided by a person.")]})
        closure.full_clean()
        closure.save()
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "create", closure, closure.scope_region_id(), after=audit.snapshot(closure)
                )
            ],
        )
        core_services.save_changes(
            acting_user=acting_user,
            instance=segment,
            changes={"status": status},
            payload=segment_payload,
        )
    return closure


def reopen_segment(*, acting_user: Any, segment: Segment, at: dt.datetime | None = None) -> Segment:
    """End the segment's current closure: it is open again."""
    at = at or timezone.now()
    _require_close(acting_user, segment)
    with transaction.atomic():
        locked = Segment.objects.select_for_update().get(pk=segment.pk)
        current = Closure.objects.filter(segment=locked, ended_at__isnull=True).first()
        if current is None:
            raise Conflict(_("This segment is already open."))
        core_services.save_changes(
            acting_user=acting_user,
            instance=current,
            changes={"ended_at": max(at, current.starts_at)},
        )
        core_services.save_changes(
            acting_user=acting_user,
            instance=segment,
            changes={"status": SegmentStatus.OPEN},
            payload=segment_payload,
        )
    return segment


def update_segment(
    *, acting_user: Any, segment: Segment, expected_version: str | None = None, **changes: Any
) -> Segment:
    """Edit what the road authority knows about a segment: its kk/ru/en name, number and
    speed."""
    allowed = {"name", "name_kk", "name_ru", "number", "speed_kmh"}
    changes = {
        k: v.replace("\x00", "").strip() if isinstance(v, str) else v for k, v in changes.items()
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This field cannot be changed here.")]})
    return core_services.update(
        acting_user=acting_user,
        instance=segment,
        changes=changes,
        payload=segment_payload,
        expected_version=expected_version,
    )
