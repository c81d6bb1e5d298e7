"""Every change to mass events, including the approval that the gates guard."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from saqshy.accounts.queries import region_id_containing
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.gatherings import gates
from saqshy.gatherings.choices import GatheringStatus
from saqshy.gatherings.models import Gathering

EDITABLE = (GatheringStatus.DRAFT, GatheringStatus.SUBMITTED)


def _payload(gathering: Gathering) -> dict[str, Any]:
    return gathering.map_feature()


def _place(fields: dict[str, Any]) -> None:
    """Location and region follow the venue; an outdoor event's region follows its point."""
    venue = fields.get("venue")
    if venue is not None:
        fields.setdefault("lat", venue.lat)
        fields.setdefault("lon", venue.lon)
        fields["region_id"] = venue.region_id
        fields.pop("region", None)
        return
    lat, lon = fields.get("lat"), fields.get("lon")
    if lat is None or lon is None:
        raise ValidationError({"venue": [_("Give a venue, or a location for an outdoor event.")]})
    region_id = region_id_containing(float(lat), float(lon))
    fields["region_id"] = region_id
    fields.pop("region", None)


def _check(gathering: Gathering) -> None:
    errors: dict[str, list[str]] = {}
    if gathering.ends_at and gathering.starts_at and gathering.ends_at <= gathering.starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    if gathering.children_count and not gathering.children_involved:
        errors["children_involved"] = [_("Children are counted, so mark that children take part.")]
    if gathering.children_count > gathering.expected_attendance:
        errors["children_count"] = [_("More children than the expected attendance.")]
    if errors:
        raise ValidationError(errors)


def create_gathering(*, acting_user: Any, **fields: Any) -> Gathering:
    """Add an event as a draft; its region follows its venue or location."""
    _place(fields)
    gathering = Gathering(**fields)
    gathering.status = GatheringStatus.DRAFT
    _check(gathering)
    return core_services.create(acting_user=acting_user, instance=gathering, payload=_payload)


def update_gathering(
    *,
    acting_user: Any,
    gathering: Gathering,
    expected_version: str | None = None,
    **changes: Any,
) -> Gathering:
    """Change an event that is not yet decided; approved events are cancelled, not edited.

    The rules run on the stored event under its row lock (``core.services.update``), so an
    edit from a stale copy cannot slip past a decision made meanwhile.
    """
    if {"venue", "lat", "lon"} & changes.keys():
        located: dict[str, Any] = {
            "venue": changes.get("venue", gathering.venue),
            **{k: changes[k] for k in ("lat", "lon") if k in changes},
        }
        if located["venue"] is None:
            located.setdefault("lat", gathering.lat)
            located.setdefault("lon", gathering.lon)
        _place(located)
        changes.update(located)

    def editable(locked: Gathering) -> None:
        if locked.status not in EDITABLE:
            raise Conflict(
                _("A %(status)s event cannot be edited.")
                % {"status": GatheringStatus.label(locked.status)},
                code="not_editable",
            )
        _check(locked)

    return core_services.update(
        acting_user=acting_user,
        instance=gathering,
        changes=changes,
        payload=_payload,
        expected_version=expected_version,
        check=editable,
    )


def delete_gathering(*, acting_user: Any, gathering: Gathering) -> None:
    if gathering.status != GatheringStatus.DRAFT:
        raise Conflict(
            _("Only a draft can be deleted; cancel the event instead."), code="not_draft"
        )
    core_services.delete(acting_user=acting_user, instance=gathering)


def _transition(
    acting_user: Any,
    gathering: Gathering,
    name: str,
    *,
    check: Any = None,
    scope_action: str | None = "change",
    **extra: Any,
) -> Gathering:
    """One step of ``GatheringStatus.TRANSITIONS`` under the row lock (``core.services``)."""
    return core_services.transition(
        acting_user=acting_user,
        instance=gathering,
        states=GatheringStatus,
        name=name,
        changes=extra,
        check=check,
        scope_action=scope_action,
        payload=_payload,
    )


def submit(*, acting_user: Any, gathering: Gathering) -> Gathering:
    return _transition(acting_user, gathering, "submit")


def _gates_pass(locked: Gathering) -> None:
    """Refuse approval while a gate fails, evaluated on the locked event."""
    blocked = gates.failing(locked)
    if blocked:
        raise Conflict(
            ngettext(
                "The event cannot be approved: %(n)s gate fails.",
                "The event cannot be approved: %(n)s gates fail.",
                len(blocked),
            )
            % {"n": len(blocked)},
            code="gates_failed",
            gates=[gate.as_dict() for gate in blocked],
        )


def approve(*, acting_user: Any, gathering: Gathering) -> Gathering:
    """Approve an event whose every gate passes; otherwise refuse, listing the failing gates."""
    return _transition(
        acting_user,
        gathering,
        "approve",
        check=_gates_pass,
        scope_action="approve",
        approved_by=acting_user if getattr(acting_user, "pk", None) else None,
        approved_at=timezone.now(),
        status_reason="",
    )


def reject(*, acting_user: Any, gathering: Gathering, reason: str) -> Gathering:
    core_services.require_scope(acting_user, gathering, "approve")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the event is rejected.")]})
    return _transition(
        acting_user, gathering, "reject", scope_action="approve", status_reason=reason.strip()
    )


def cancel(*, acting_user: Any, gathering: Gathering, reason: str = "") -> Gathering:
    return _transition(acting_user, gathering, "cancel", status_reason=reason.strip())


def mark_held(*, acting_user: Any, gathering: Gathering) -> Gathering:
    return _transition(acting_user, gathering, "mark_held")
