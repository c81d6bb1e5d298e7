"""Every change to incidents and units: report, de-duplicate, dispatch, advance, close.

Each function takes a keyword-only ``acting_user`` (``None`` = the system), runs in one
transaction, writes the incident's journal, appends the audit entry and queues the live
message on commit. State changes the record's status does not allow raise ``Conflict`` (409).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saqshy.accounts.models import Grant
from saqshy.accounts.queries import region_id_containing
from saqshy.algorithms.routing import haversine_m
from saqshy.core import audit, messages, versioning
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name, user_scope
from saqshy.core.validation import validate
from saqshy.geocoding.queries import describe_point
from saqshy.incidents import journal
from saqshy.incidents.choices import IncidentStatus, JournalKind, UnitStatus
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, JournalEntry, Unit

# Units' positions have a module of their own (telemetry, not audited); they are offered here
# with the other service functions of incidents and units.
from saqshy.incidents.positions import record_position as record_position
from saqshy.incidents.positions import record_tracker_positions as record_tracker_positions

# The timestamp each status stamps on the incident when it is reached.
_STAMPS = {
    IncidentStatus.DISPATCHED: "dispatched_at",
    IncidentStatus.ON_SCENE: "on_scene_at",
    IncidentStatus.CLOSED: "closed_at",
    IncidentStatus.CANCELLED: "closed_at",
}
# Units on an incident follow it forward: the unit status for each incident status.
_UNIT_FOLLOWS = {
    IncidentStatus.EN_ROUTE: UnitStatus.EN_ROUTE,
    IncidentStatus.ON_SCENE: UnitStatus.ON_SCENE,
}
_UNIT_ORDER = (UnitStatus.DISPATCHED, UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE)


def _actor(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _publish(instance: Incident | Unit, op: str = "updated") -> None:
    publish_on_commit(
        topic=type(instance)._meta.model_name or "",
        op=op,
        object_id=instance.pk,
        region_id=instance.scope_region_id(),
        agency_id=instance.scope_agency_id(),
        perm=perm_name(type(instance), "view"),
        data=instance.map_feature(),
    )


def _journal(
    incident: Incident,
    message: messages.Message,
    params: dict[str, Any],
    acting_user: Any,
    at: dt.datetime | None = None,
) -> JournalEntry:
    """An automatic line: stored as ``message``'s code and ``params``, rendered when read."""
    return JournalEntry.objects.create(
        incident=incident,
        at=at or timezone.now(),
        author=_actor(acting_user),
        kind=JournalKind.AUTO,
        code=message.code,
        params=params,
        text=messages.english(message.code, params),
    )


def _map_feature(instance: Any) -> dict[str, Any]:
    feature: dict[str, Any] = instance.map_feature()
    return feature


def _save_with_audit(
    acting_user: Any, instance: Incident | Unit, changes: dict[str, Any], *, locked: bool = False
) -> None:
    """Write ``changes`` on the locked, re-read row, only those fields, audited and pushed
    (the caller holds the transaction and has checked the rules). ``locked``: ``instance``
    is that row already, locked and read by the caller in this transaction."""
    core_services.save_changes(
        acting_user=acting_user, instance=instance, changes=changes, payload=_map_feature,
        locked=locked,
    )  # fmt: skip


# --- reporting --------------------------------------------------------------------------------


def find_duplicate(
    *,
    type: IncidentType,
    lat: float,
    lon: float,
    at: dt.datetime,
    exclude: int | None = None,
    is_exercise: bool = False,
) -> Incident | None:
    """The nearest open incident of ``type`` within the type's radius and time window, of the
    same kind (an exercise call is never joined to a real incident, nor the other way)."""
    since = at - dt.timedelta(minutes=type.dedup_minutes)
    radius = float(type.dedup_meters)
    dlat = radius / 111_320.0
    dlon = radius / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    candidates = Incident.objects.filter(
        type=type,
        is_exercise=is_exercise,
        status__in=IncidentStatus.OPEN,
        reported_at__gte=since,
        reported_at__lte=at,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    best: tuple[float, Incident] | None = None
    for candidate in candidates.only("id", "lat", "lon", "duplicate_of_id", "region_id"):
        distance = float(haversine_m(lat, lon, candidate.lat, candidate.lon))
        if distance <= radius and (best is None or distance < best[0]):
            best = (distance, candidate)
    if best is None:
        return None
    found = best[1]
    # Point at the first report, never at another duplicate.
    if found.duplicate_of_id is not None:
        return Incident.objects.get(pk=found.duplicate_of_id)
    return found


def report_incident(
    *,
    acting_user: Any,
    type: IncidentType,
    lat: float,
    lon: float,
    priority: int | None = None,
    reported_at: dt.datetime | None = None,
    is_exercise: bool | None = None,
    **fields: Any,
) -> Incident:
    """Record a new incident; its region follows its location.

    It is an exercise incident when ``is_exercise`` (the alarm or record it comes from is one)
    or when it is reported in an exercise (``core.context.exercise``).

    A report of the same type near an open incident within the type's window is kept, marked
    ``duplicate_of`` that incident, and both journals say so. A report without an address gets
    the nearest one from the geocoder (``describe_point``), in the reporter's language.
    """
    fields.pop("region", None)
    fields.pop("status", None)
    fields.pop("agency", None)
    region_id = region_id_containing(float(lat), float(lon))
    if not str(fields.get("address") or "").strip():
        fields["address"] = describe_point(float(lat), float(lon))[:255]
    at = reported_at or timezone.now()
    incident = Incident(
        type=type,
        lat=lat,
        lon=lon,
        region_id=region_id,
        agency_id=taking_agency(_actor(acting_user), region_id),
        priority=priority if priority is not None else type.default_priority,
        reported_at=at,
        status=IncidentStatus.NEW,
        reported_by=_actor(acting_user),
        **fields,
    )
    incident.mark_exercise(is_exercise)
    core_services.require_scope(acting_user, incident, "add")
    # The region comes from the regions' outlines and the agency from the recorder's grants,
    # both read from the database; neither is looked up again.
    validate(incident, existing=("region", "agency"))
    with transaction.atomic():
        original = find_duplicate(
            type=type, lat=float(lat), lon=float(lon), at=at, is_exercise=incident.is_exercise
        )
        incident.duplicate_of = original
        incident.save()
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "create", incident, incident.scope_region_id(), after=audit.snapshot(incident)
                )
            ],
        )
        _journal(
            incident, journal.REPORTED, {"type": messages.localized_name(type)}, acting_user, at
        )
        if original is not None:
            _journal(incident, journal.POSSIBLE_DUPLICATE, {"id": original.pk}, acting_user)
            _journal(original, journal.REPORTED_AGAIN, {"id": incident.pk}, acting_user)
        _publish(incident, "created")
    return incident


def add_note(*, acting_user: Any, incident: Incident, text: str) -> JournalEntry:
    """A person's line in the incident journal (also allowed after closing, for the record)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    core_services.require_scope(acting_user, incident, "change")
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            incident=incident, author=_actor(acting_user), kind=JournalKind.NOTE, text=text
        )
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "create", entry, incident.scope_region_id(), after=audit.snapshot(entry)
                )
            ],
        )
    return entry


# --- duplicates -------------------------------------------------------------------------------


def _lock_pair(incident: Incident) -> tuple[Incident, Incident]:
    """Lock the probable duplicate and its original (in id order, so no deadlock); 409 when
    ``incident`` is not, or no longer, a probable duplicate."""
    if incident.duplicate_of_id is None:
        raise Conflict(
            _("Incident #%(id)s is not marked as a possible duplicate.") % {"id": incident.pk},
            code="not_a_duplicate",
        )
    ids = sorted({incident.pk, incident.duplicate_of_id})
    locked = {
        row.pk: row
        for row in Incident.objects.select_for_update(no_key=True, of=("self",))
        .select_related("type")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    duplicate = locked[incident.pk]
    if duplicate.duplicate_of_id is None or duplicate.merged_at is not None:
        raise Conflict(
            _("Incident #%(id)s is no longer a possible duplicate (merged or kept already).")
            % {"id": duplicate.pk},
            code="not_a_duplicate",
        )
    original = locked.get(duplicate.duplicate_of_id) or Incident.objects.select_for_update(
        no_key=True
    ).get(pk=duplicate.duplicate_of_id)
    return duplicate, original


def merge_duplicate(*, acting_user: Any, incident: Incident) -> Incident:
    """Merge a probable duplicate into its original.

    The duplicate is closed as cancelled with ``merged_at`` set (it keeps ``duplicate_of``,
    so it still says into which incident it went); its address, description and reporter are
    appended to the original's journal, and both journals say so. A duplicate that already
    has units on it, or is past cancelling, answers 409: close it in the ordinary way.
    """
    core_services.require_scope(acting_user, incident, "change")
    _require_may(acting_user, incident, "cancel")
    with transaction.atomic():
        duplicate, original = _lock_pair(incident)
        core_services.require_scope(acting_user, original, "change")
        if duplicate.is_exercise != original.is_exercise:
            raise Conflict(
                _("An exercise incident and a real incident are never merged (#%(a)s, #%(b)s).")
                % {"a": duplicate.pk, "b": original.pk},
                code="exercise_mixed",
            )
        if IncidentStatus.transition_to(duplicate.status, IncidentStatus.CANCELLED) is None:
            raise _refuse_transition(duplicate, IncidentStatus.CANCELLED)
        if IncidentUnit.objects.filter(incident=duplicate, released_at=None).exists():
            raise Conflict(
                _(
                    "Units are already on incident #%(id)s; close it in the ordinary way "
                    "instead of merging it."
                )
                % {"id": duplicate.pk},
                code="has_units",
            )
        now = timezone.now()
        _save_with_audit(
            acting_user,
            duplicate,
            {"status": IncidentStatus.CANCELLED, "closed_at": now, "merged_at": now},
        )
        _journal(duplicate, journal.MERGED, {"id": original.pk}, acting_user, now)
        _journal(
            original,
            journal.MERGED_DETAILS,
            journal.merged_details_params(duplicate),
            acting_user,
            now,
        )
        _publish(original)
    incident.refresh_from_db()
    return incident


def keep_separate(*, acting_user: Any, incident: Incident) -> Incident:
    """The operator decides a probable duplicate is a separate incident: unlink it."""
    core_services.require_scope(acting_user, incident, "change")
    with transaction.atomic():
        duplicate, original = _lock_pair(incident)
        now = timezone.now()
        _save_with_audit(acting_user, duplicate, {"duplicate_of": None})
        _journal(duplicate, journal.KEPT_SEPARATE, {"id": original.pk}, acting_user, now)
        _journal(original, journal.OTHER_KEPT_SEPARATE, {"id": duplicate.pk}, acting_user, now)
        _publish(original)
    incident.refresh_from_db()
    return incident


# --- who may end a call or take a unit off the road (roles as data: accounts/roles.py) ---------

_ENDING = {IncidentStatus.CLOSED: "close", IncidentStatus.CANCELLED: "cancel"}
_MAY_NOT_END = {
    "close": gettext_lazy(
        "Only a dispatcher of the agency that took this call, or the duty officer, may close it."
    ),
    "cancel": gettext_lazy(
        "Only a dispatcher of the agency that took this call, or the duty officer, may cancel it."
    ),
}


def recorder_agencies(user_id: int | None, region_id: int | None) -> list[int]:
    """The agencies a recorder holds a grant for in a region, the region's own grants first
    (then national ones), each once, by id."""
    if user_id is None:
        return []
    rows = (
        Grant.objects.filter(user_id=user_id)
        .filter(Q(region=None) | Q(region_id=region_id))
        .values_list("agency_id", "region_id")
    )
    ordered = sorted(rows, key=lambda row: (row[1] is None, row[0]))
    return list(dict.fromkeys(agency_id for agency_id, _region in ordered))


def taking_agency(recorder: Any, region_id: int | None) -> int | None:
    """The agency a new call is recorded for: the recorder's (its regional grant before a
    national one); None for a call the system recorded (a sensor, a feed)."""
    agencies = recorder_agencies(getattr(recorder, "pk", None), region_id)
    return agencies[0] if agencies else None


def owning_agencies(incident: Incident) -> set[int]:
    """The agency whose desk took the call (``Incident.agency``, set on intake). Empty for a
    call the system recorded (a sensor, a feed): it is the region's."""
    return {incident.agency_id} if incident.agency_id is not None else set()


def may_end(acting_user: Any, incident: Incident, action: str) -> bool:
    """Whether ``acting_user``'s role lets them ``close``/``cancel`` this incident.

    The permission (``incidents.close_incident`` …) must reach the incident's region and, for
    a role bound to its own agency (a dispatcher), the agency that took the call; a role over
    all agencies (the duty officer) ends any call of its region.
    """
    if acting_user is None or getattr(acting_user, "is_superuser", False):
        return True
    scope = user_scope(acting_user, Incident, action)
    owners = owning_agencies(incident)
    if not owners:
        return scope.covers(incident.region_id)
    return any(scope.covers(incident.region_id, agency_id) for agency_id in owners)


def _require_may(acting_user: Any, incident: Incident, action: str) -> None:
    """Refuse (403) closing or cancelling a call the user's role does not reach."""
    if not may_end(acting_user, incident, action):
        raise PermissionDenied(_MAY_NOT_END[action])


def may_withdraw(acting_user: Any, unit: Unit) -> bool:
    """Whether ``acting_user`` may take ``unit`` out of service (its agency's dispatcher, the
    duty officer; ``incidents.withdraw_unit`` reaching the unit's region and agency)."""
    if acting_user is None or getattr(acting_user, "is_superuser", False):
        return True
    return user_scope(acting_user, Unit, "withdraw").covers(unit.region_id, unit.agency_id)


def _require_withdrawal(acting_user: Any, unit: Unit, reason: str) -> None:
    """Taking a unit off the road needs the right to, and a reason that is kept with it."""
    if not may_withdraw(acting_user, unit):
        raise PermissionDenied(_("Your role may not take this unit out of service."))
    if not reason.strip():
        raise ValidationError({"status_reason": [_("Say why the unit goes out of service.")]})


# --- the incident's state machine -------------------------------------------------------------


def _refuse_transition(incident: Incident, to_status: str) -> Conflict:
    return Conflict(
        _("This incident is %(status)s; it cannot become %(target)s.")
        % {
            "status": IncidentStatus.label(incident.status),
            "target": IncidentStatus.label(to_status),
        },
        code="invalid_transition",
        allowed=list(IncidentStatus.targets(incident.status)),
    )


def _active_assignments(incident: Incident) -> list[IncidentUnit]:
    """The incident's units still on it, their assignments and the units locked (see
    the lock order below)."""
    return list(
        IncidentUnit.objects.select_related("unit", "unit__agency")
        .select_for_update(no_key=True, of=("self", "unit"))
        .filter(incident=incident, released_at=None)
        .order_by("unit_id")
    )


# Lock order. Units are locked before the audit chain's head, and in key order.
#
# An audit entry locks its region's chain head until the commit, and vehicle trackers' fixes
# move many units in one transaction (``record_tracker_positions``). A transaction that held
# the head and then waited for a unit (closing an incident released its units after the
# incident's own audit entry; a dispatch of two units took the second after auditing the
# first) closed a cycle with those fixes and another writer of the units: PostgreSQL ended
# one of them as a deadlock, which the caller saw as a 503. So a transaction here takes every
# unit it will change before its first audit entry, and then never waits for a unit. Units
# are taken in key order everywhere (dispatch, close, trackers' fixes), so two writers of several
# units never wait for each other in a circle. A dispatch and a step of the incident also hold
# their entries for one append at the end (``audit.together``; an API write holds them until
# just before its commit): the head is taken once, last.


def advance(
    *,
    acting_user: Any,
    incident: Incident,
    to_status: str,
    reason: str = "",
    expected_version: str | None = None,
    check: Callable[[Incident], None] | None = None,
) -> Incident:
    """Move the incident along ``IncidentStatus.TRANSITIONS``; anything else is a 409.

    The step is taken by ``core.services.transition`` on the locked row, so of concurrent
    requests for one step exactly one succeeds. ``check`` is the caller's own gate (e.g. a
    role check), run on the locked incident. Units on it follow (en route, on scene);
    closing or cancelling releases them (returning).
    """
    if to_status not in IncidentStatus.values():
        raise ValidationError({"status": [_("Unknown status.")]})
    if to_status in _ENDING:
        _require_may(acting_user, incident, _ENDING[to_status])
    now = timezone.now()
    changes: dict[str, Any] = {}
    found: dict[str, Any] = {}

    def gate(locked: Incident) -> None:
        if check is not None:
            check(locked)
        assignments = _active_assignments(locked)
        if (
            to_status
            in (IncidentStatus.DISPATCHED, IncidentStatus.EN_ROUTE, IncidentStatus.ON_SCENE)
            and not assignments
        ):
            raise Conflict(
                _("No unit is assigned to this incident; dispatch one first."), code="no_units"
            )
        stamp = _STAMPS.get(to_status)
        if stamp and getattr(locked, stamp) is None:
            changes[stamp] = now
        found.update(assignments=assignments, previous=locked.status)

    with transaction.atomic(), audit.together():
        core_services.transition(
            acting_user=acting_user,
            instance=incident,
            states=IncidentStatus,
            to=to_status,
            changes=changes,
            check=gate,
            expected_version=expected_version,
            payload=_map_feature,
        )
        params = {"old": found["previous"], "new": to_status}
        if reason.strip():
            params["reason"] = reason.strip()
        _journal(incident, journal.STATUS, params, acting_user, now)
        _move_units(acting_user, incident, found["assignments"], to_status, now)
    return incident


def _move_units(
    acting_user: Any,
    incident: Incident,
    assignments: Sequence[IncidentUnit],
    to_status: str,
    now: dt.datetime,
) -> None:
    follow = _UNIT_FOLLOWS.get(to_status)
    releasing = to_status in IncidentStatus.FINAL
    for assignment in assignments:
        unit = assignment.unit
        if releasing:
            assignment.released_at = now
            assignment.save(update_fields=["released_at", "updated_at"])
            if unit.status in UnitStatus.BUSY:
                _save_with_audit(acting_user, unit, {"status": UnitStatus.RETURNING}, locked=True)
            _journal(incident, journal.UNIT_RELEASED, {"unit": unit.call_sign}, acting_user, now)
        elif _behind(unit.status, follow):
            _save_with_audit(acting_user, unit, {"status": follow}, locked=True)
            _journal(
                incident,
                journal.UNIT_STATUS,
                {"unit": unit.call_sign, "status": follow or ""},
                acting_user,
                now,
            )


def _behind(unit_status: str, follow: str | None) -> bool:
    """Whether a busy unit is at an earlier stage than ``follow`` (units never step back)."""
    if follow is None or unit_status not in _UNIT_ORDER:
        return False
    return _UNIT_ORDER.index(unit_status) < _UNIT_ORDER.index(follow)


def close(*, acting_user: Any, incident: Incident, resolution: str = "") -> Incident:
    """Close the incident (from any open status that allows it), releasing its units."""
    return advance(
        acting_user=acting_user,
        incident=incident,
        to_status=IncidentStatus.CLOSED,
        reason=resolution,
    )


def cancel(*, acting_user: Any, incident: Incident, reason: str = "") -> Incident:
    return advance(
        acting_user=acting_user,
        incident=incident,
        to_status=IncidentStatus.CANCELLED,
        reason=reason,
    )


# --- dispatch ---------------------------------------------------------------------------------


def dispatch(*, acting_user: Any, incident: Incident, units: Iterable[Unit]) -> Incident:
    """Send ``units`` to the incident, all or none.

    Each unit is taken with a compare-and-set (``UPDATE … WHERE status = 'available'``), so of
    two dispatchers racing for one unit exactly one wins; the loser gets a 409 naming the unit
    and nothing of their request is kept.
    """
    chosen = list({unit.pk: unit for unit in units}.values())
    if not chosen:
        raise ValidationError({"units": [_("Choose at least one unit.")]})
    core_services.require_scope(acting_user, incident, "change")
    for unit in chosen:
        core_services.require_scope(acting_user, unit, "change")
    with transaction.atomic(), audit.together():
        locked = (
            # ``of``: the incident's row only. Without it PostgreSQL locks the joined type's
            # row too, and every dispatch of that type waits for the one before to commit.
            Incident.objects.select_for_update(no_key=True, of=("self",))
            .select_related("type")
            .get(pk=incident.pk)
        )
        if not locked.is_open:
            raise Conflict(
                _("This incident is %(status)s; no unit can be sent to it.")
                % {"status": IncidentStatus.label(locked.status)},
                code="invalid_transition",
            )
        now = timezone.now()
        taken: list[str] = []
        # Every unit is taken before the first audit entry (the lock order above ``advance``).
        before_status: dict[int, str] = {}
        for unit in sorted(chosen, key=lambda u: u.pk):
            won = Unit.objects.filter(pk=unit.pk, status=UnitStatus.AVAILABLE).update(
                status=UnitStatus.DISPATCHED, updated_at=now
            )
            if not won:
                current = Unit.objects.filter(pk=unit.pk).values_list("status", flat=True).first()
                raise Conflict(
                    _("Unit %(unit)s is not available (%(status)s).")
                    % {
                        "unit": unit.call_sign,
                        "status": UnitStatus.label(current or ""),
                    },
                    code="unit_unavailable",
                    unit=unit.pk,
                    unit_status=current,
                )
            before_status[unit.pk] = unit.status
        for unit in sorted(chosen, key=lambda u: u.pk):
            unit.status, unit.updated_at = UnitStatus.DISPATCHED, now
            assignment = IncidentUnit.objects.create(incident=locked, unit=unit, assigned_at=now)
            audit.record(
                acting_user=acting_user,
                changes=[
                    audit.Change(
                        "update",
                        unit,
                        unit.scope_region_id(),
                        before={"status": before_status[unit.pk]},
                        after={"status": UnitStatus.DISPATCHED},
                    ),
                    audit.Change(
                        "create",
                        assignment,
                        locked.scope_region_id(),
                        after=audit.snapshot(assignment),
                    ),
                ],
            )
            _publish(unit)
            _journal(locked, journal.UNIT_DISPATCHED, {"unit": unit.call_sign}, acting_user, now)
            taken.append(unit.call_sign)
        if locked.status == IncidentStatus.NEW:
            _save_with_audit(
                acting_user,
                locked,
                {"status": IncidentStatus.DISPATCHED, "dispatched_at": locked.dispatched_at or now},
                locked=True,
            )
            _journal(
                locked,
                journal.STATUS,
                {"old": IncidentStatus.NEW, "new": IncidentStatus.DISPATCHED},
                acting_user,
                now,
            )
        else:
            _publish(locked)
    # ``locked`` is the stored state: read under the lock and changed only through it.
    versioning.copy_state(incident, locked)
    incident.__dict__.pop("_prefetched_objects_cache", None)  # its units changed
    return incident


# --- units ------------------------------------------------------------------------------------


def _unit_payload(unit: Unit) -> dict[str, Any]:
    return unit.map_feature()


def create_unit(*, acting_user: Any, **fields: Any) -> Unit:
    """Add a unit; it starts available unless put out of service (with a reason)."""
    status = fields.get("status", UnitStatus.AVAILABLE)
    if status not in UnitStatus.MANUAL:
        raise ValidationError({"status": [_("Only the dispatch service sends a unit.")]})
    if fields.get("region") is None and fields.get("home_station") is not None:
        fields["region_id"] = fields["home_station"].region_id
        fields.pop("region", None)
    unit = Unit(**fields)
    if status == UnitStatus.OUT_OF_SERVICE:
        _require_withdrawal(acting_user, unit, unit.status_reason)
    else:
        unit.status_reason = ""
    return core_services.create(acting_user=acting_user, instance=unit, payload=_unit_payload)


def update_unit(
    *, acting_user: Any, unit: Unit, expected_version: str | None = None, **changes: Any
) -> Unit:
    """Change a unit's record; its status may be set by hand only between the manual states.

    A unit on an incident cannot be made available by hand: the incident releases it. The
    rule is checked against the stored status under the row lock, and only the fields in
    ``changes`` are written, so editing the crew from a copy read before a dispatch leaves
    the dispatch alone. Taking it out of service needs ``incidents.withdraw_unit`` and a
    reason, kept in ``status_reason`` (and so in the audit trail) until it is back in service.
    """
    changes.pop("position_at", None)
    status = changes.get("status")
    if status is not None and status != unit.status:
        if status == UnitStatus.OUT_OF_SERVICE:
            changes["status_reason"] = str(changes.get("status_reason", "")).strip()
            _require_withdrawal(acting_user, unit, changes["status_reason"])
        else:
            changes["status_reason"] = ""

    def manual(locked: Unit) -> None:
        stored = Unit.objects.filter(pk=locked.pk).values_list("status", flat=True).get()
        if status is None or status == stored:
            return
        if status not in UnitStatus.MANUAL:
            raise Conflict(
                _("Only dispatching sends a unit; it cannot be set to %(status)s by hand.")
                % {"status": UnitStatus.label(status)},
                code="invalid_transition",
            )
        if IncidentUnit.objects.filter(unit=locked, released_at=None).exists():
            raise Conflict(
                _("Unit %(unit)s is on an incident; close or release it there first.")
                % {"unit": locked.call_sign},
                code="unit_assigned",
            )

    return core_services.update(
        acting_user=acting_user,
        instance=unit,
        changes=changes,
        payload=_unit_payload,
        expected_version=expected_version,
        check=manual,
    )


def delete_unit(*, acting_user: Any, unit: Unit) -> None:
    if unit.status in UnitStatus.BUSY or IncidentUnit.objects.filter(unit=unit).exists():
        raise Conflict(
            _("A unit that has been sent to incidents is kept; put it out of service instead."),
            code="has_history",
        )
    core_services.delete(acting_user=acting_user, instance=unit)
