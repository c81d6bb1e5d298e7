"""Every change to children's trips. The approval rule lives here and only here.

A trip is approved only with a police escort assigned and free for the whole trip (plus the
buffer norm). The API, the pages, the admin and the import all call these functions; the
admin shows status and escort read-only. There is no override, for anyone: superusers and
the system itself are refused like everyone else.

Escorts and locking: assigning an escort reserves it, and refuses one that is absent, on a
shift, or held by any other not-finished trip in the window. Approval takes the escort: under
row locks on the trip and then on the escort's own row (``Person`` or ``Unit``), it
re-validates against absences, shifts and trips that have already taken the escort, so two
approvals that race for one escort are serialised and the second is refused.

Live status (departed, arrived, returned) may be reported by the escort's linked account
(``TripEscort.user``) or by whoever may approve trips in the region; see ``report_status``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.queries import region_id_containing
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name, user_scope
from saqshy.duty.models import Person
from saqshy.incidents.models import Unit
from saqshy.trips import queries
from saqshy.trips.choices import TripStatus
from saqshy.trips.models import Trip, TripEscort

TOPIC = "trip"
LOCATION = ("departure_lat", "departure_lon")


def _payload(trip: Trip) -> dict[str, Any]:
    return trip.map_feature()


def _publish(trip: Trip, op: str) -> None:
    publish_on_commit(
        topic=TOPIC,
        op=op,
        object_id=trip.pk,
        region_id=trip.region_id,
        perm=perm_name(Trip, "view"),
        data=_payload(trip),
    )


def _place(fields: dict[str, Any]) -> None:
    """The region follows the departure place."""
    lat, lon = fields.get("departure_lat"), fields.get("departure_lon")
    if lat is None or lon is None:
        raise ValidationError({"departure_lat": [_("Give the departure place's location.")]})
    try:
        fields["region_id"] = region_id_containing(float(lat), float(lon))
    except ValidationError:
        raise ValidationError(
            {"departure_lat": [_("This location lies outside every known region.")]}
        ) from None
    fields.pop("region", None)


def _organiser(fields: dict[str, Any]) -> None:
    facility = fields.get("organiser_facility")
    if facility is not None and not fields.get("organiser"):
        fields["organiser"] = facility.name


def _ready(trip: Trip) -> None:
    """What a trip needs before it is submitted: vehicles with seats for all, and drivers."""
    errors: dict[str, list[str]] = {}
    if not trip.vehicles:
        errors["vehicles"] = [_("List the vehicles before submitting the trip.")]
    elif trip.seats < trip.people:
        errors["vehicles"] = [
            _("The vehicles seat %(seats)s but %(people)s people travel.")
            % {"seats": trip.seats, "people": trip.people}
        ]
    if not trip.drivers:
        errors["drivers"] = [_("List the drivers before submitting the trip.")]
    elif len(trip.drivers) < len(trip.vehicles or []):
        errors["drivers"] = [_("Every vehicle needs its own driver.")]
    if errors:
        raise ValidationError(errors)


def register_trip(*, acting_user: Any, **fields: Any) -> Trip:
    """Register a trip as a draft; its region follows the departure place."""
    fields.pop("status", None)
    _place(fields)
    _organiser(fields)
    trip = Trip(**fields)
    trip.status = TripStatus.DRAFT
    return core_services.create(acting_user=acting_user, instance=trip, payload=_payload)


def update_trip(
    *, acting_user: Any, trip: Trip, expected_version: str | None = None, **changes: Any
) -> Trip:
    """Change a trip that is not yet decided; status is never set here.

    Whether it is still editable, and complete when submitted, is checked on the stored trip
    under its row lock (``core.services.update``), never on the caller's copy.
    """
    for name in ("status", "status_reason", "approved_by", "approved_at", "region"):
        changes.pop(name, None)
    if set(LOCATION) & changes.keys():
        located = {name: changes.get(name, getattr(trip, name)) for name in LOCATION}
        _place(located)
        changes.update(located)
    if "organiser_facility" in changes:
        _organiser(changes)

    def editable(locked: Trip) -> None:
        if locked.status not in TripStatus.EDITABLE:
            raise Conflict(
                _("This trip is %(status)s and can no longer be edited.")
                % {"status": TripStatus.label(locked.status)},
                code="not_editable",
            )
        if locked.status == TripStatus.SUBMITTED:
            _ready(locked)

    return core_services.update(
        acting_user=acting_user,
        instance=trip,
        changes=changes,
        payload=_payload,
        expected_version=expected_version,
        check=editable,
    )


def delete_trip(*, acting_user: Any, trip: Trip) -> None:
    if trip.status != TripStatus.DRAFT:
        raise Conflict(_("Only a draft can be deleted; cancel the trip instead."), code="not_draft")
    with transaction.atomic():
        assignment = trip.assigned_escort
        if assignment is not None:
            core_services.require_scope(acting_user, trip, "delete")
            _drop(acting_user, assignment, trip.region_id)
        core_services.delete(acting_user=acting_user, instance=trip)


def _refuse_transition(trip: Trip, name: str) -> None:
    sources, target = TripStatus.TRANSITIONS[name]
    if trip.status not in sources:
        raise Conflict(
            _("This trip is %(status)s; it cannot become %(target)s.")
            % {"status": TripStatus.label(trip.status), "target": TripStatus.label(target)},
            code="invalid_transition",
        )


def _transition(
    acting_user: Any,
    trip: Trip,
    name: str,
    *,
    scope_action: str | None = "change",
    **extra: Any,
) -> Trip:
    """One step of ``TripStatus.TRANSITIONS`` under the row lock (``core.services``); the
    callers check who may take it (approvers, the escort)."""
    return core_services.transition(
        acting_user=acting_user,
        instance=trip,
        states=TripStatus,
        name=name,
        changes=extra,
        scope_action=scope_action,
        payload=_payload,
    )


def _locked(trip: Trip) -> Trip:
    locked: Trip = Trip.objects.select_for_update(no_key=True).get(pk=trip.pk)
    return locked


def submit_trip(*, acting_user: Any, trip: Trip) -> Trip:
    """Send a complete draft for approval."""
    core_services.require_scope(acting_user, trip, "change")
    with transaction.atomic():
        locked = _locked(trip)
        _refuse_transition(locked, "submit")
        _ready(locked)
        return _transition(acting_user, locked, "submit")


def _require_approver(acting_user: Any, trip: Trip) -> None:
    """Approving, rejecting and choosing the escort are the police's decisions."""
    if acting_user is None or getattr(acting_user, "is_superuser", False):
        return
    if not user_scope(acting_user, Trip, "approve").covers(trip.region_id):
        raise PermissionDenied(_("You may not approve trips or assign escorts in this region."))


def _drop(acting_user: Any, assignment: TripEscort, region_id: int) -> None:
    """Delete an escort assignment with its audit entry (inside the caller's transaction)."""
    audit.record(
        acting_user=acting_user,
        changes=[audit.Change("delete", assignment, region_id, before=audit.snapshot(assignment))],
    )
    assignment.delete()


def _lock_escort(person: Person | None, unit: Unit | None) -> Person | Unit:
    """Lock the escort's own row (not its agency's: ``of``): every assignment and approval of
    one escort queue here."""
    if person is not None:
        locked_person: Person = (
            Person.objects.select_for_update(no_key=True, of=("self",))
            .select_related("agency")
            .get(pk=person.pk)
        )
        return locked_person
    assert unit is not None
    locked_unit: Unit = (
        Unit.objects.select_for_update(no_key=True, of=("self",))
        .select_related("agency")
        .get(pk=unit.pk)
    )
    return locked_unit


def _busy(trip: Trip, check: queries.EscortCheck, code: str, intro: str) -> Conflict:
    escort = check.escort or {}
    reasons = "; ".join(c.reason for c in check.conflicts)
    return Conflict(
        intro % {"escort": escort.get("name", ""), "reasons": reasons},
        code=code,
        escort=escort,
        conflicts=[c.as_dict() for c in check.conflicts],
    )


def assign_escort(
    *,
    acting_user: Any,
    trip: Trip,
    person: Person | None = None,
    unit: Unit | None = None,
    user: Any = None,
) -> TripEscort:
    """Assign a police officer or a police unit as the trip's escort, replacing any other.

    Refused (409, naming each conflict) when the escort is not police, not in service,
    absent, rostered on a shift, or held by another trip within the buffered window.
    ``user`` is the escort's own account, allowed to report the live status.
    """
    _require_approver(acting_user, trip)
    if (person is None) == (unit is None):
        raise ValidationError({"person": [_("Choose either a police officer or a police unit.")]})
    if user is not None and not user_scope(user, Trip, "view").covers(trip.region_id):
        raise ValidationError({"user": [_("This account may not see trips in this region.")]})
    with transaction.atomic():
        locked = _locked(trip)
        if locked.status not in (*TripStatus.EDITABLE, TripStatus.APPROVED):
            raise Conflict(
                _("This trip is %(status)s: its escort can no longer be changed.")
                % {"status": TripStatus.label(locked.status)},
                code="not_editable",
            )
        escort = _lock_escort(person, unit)
        check = queries.check([(locked, escort)])[locked.pk]
        if not check.free:
            raise _busy(
                locked,
                check,
                "escort_busy",
                _("%(escort)s cannot escort this trip: %(reasons)s."),
            )
        previous = TripEscort.objects.filter(trip=locked).first()
        if previous is not None:
            _drop(acting_user, previous, locked.region_id)
        assignment = TripEscort(
            trip=locked,
            person=person,
            unit=unit,
            user=user,
            assigned_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        assignment.full_clean()
        assignment.save()
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "create", assignment, locked.region_id, after=audit.snapshot(assignment)
                )
            ],
        )
        _publish(locked, "updated")
    return assignment


def unassign_escort(*, acting_user: Any, trip: Trip) -> Trip:
    """Remove the escort of a trip that is not yet approved."""
    _require_approver(acting_user, trip)
    with transaction.atomic():
        locked = _locked(trip)
        if locked.status not in TripStatus.EDITABLE:
            raise Conflict(
                _("An approved trip keeps its escort: assign a replacement or cancel the trip."),
                code="escort_required",
            )
        assignment = TripEscort.objects.filter(trip=locked).first()
        if assignment is None:
            raise Conflict(_("This trip has no escort."), code="no_escort")
        _drop(acting_user, assignment, locked.region_id)
        _publish(locked, "updated")
    return locked


def approve_trip(*, acting_user: Any, trip: Trip) -> Trip:
    """Approve a submitted trip whose police escort is assigned and free for the whole trip.

    Refused with 409 naming the missing or busy escort; there is no override.
    """
    _require_approver(acting_user, trip)
    with transaction.atomic():
        locked = _locked(trip)
        _refuse_transition(locked, "approve")
        assignment = TripEscort.objects.filter(trip=locked).first()
        if assignment is None:
            raise Conflict(
                _("The trip cannot be approved: no police escort is assigned."),
                code="escort_missing",
                escort=None,
                conflicts=[],
            )
        escort = _lock_escort(assignment.person, assignment.unit)
        check = queries.check([(locked, escort)], holding=TripStatus.TAKES_ESCORT)[locked.pk]
        if not check.free:
            raise _busy(
                locked,
                check,
                "escort_busy",
                _("The trip cannot be approved: the escort %(escort)s is not free: %(reasons)s."),
            )
        return _transition(
            acting_user,
            locked,
            "approve",
            approved_by=acting_user if getattr(acting_user, "pk", None) else None,
            approved_at=timezone.now(),
            status_reason="",
        )


def reject_trip(*, acting_user: Any, trip: Trip, reason: str) -> Trip:
    _require_approver(acting_user, trip)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the trip is rejected.")]})
    with transaction.atomic():
        return _transition(acting_user, _locked(trip), "reject", status_reason=reason.strip())


def reopen_trip(*, acting_user: Any, trip: Trip) -> Trip:
    with transaction.atomic():
        return _transition(acting_user, _locked(trip), "reopen")


def cancel_trip(*, acting_user: Any, trip: Trip, reason: str = "") -> Trip:
    with transaction.atomic():
        return _transition(acting_user, _locked(trip), "cancel", status_reason=reason.strip())


def may_report_status(user: Any, trip: Trip) -> bool:
    """Who reports a trip's live status: the escort's own linked account, or anyone who may
    approve trips in the trip's region (the police planner who answers for it). The system
    (``None``) and superusers always may. Organisers may change their trip but not report it
    departed: that is the escort's word."""
    if user is None or getattr(user, "is_superuser", False):
        return True
    if not user_scope(user, Trip, "view").covers(trip.region_id):
        return False
    assignment = trip.assigned_escort
    if assignment is not None and assignment.user_id and assignment.user_id == user.pk:
        return True
    return user_scope(user, Trip, "approve").covers(trip.region_id)


LIVE_FIELDS = {
    TripStatus.DEPARTED: "departed_at",
    TripStatus.ARRIVED: "arrived_at",
    TripStatus.RETURNED: "returned_at",
}


def report_status(*, acting_user: Any, trip: Trip, status: str) -> Trip:
    """Record that an approved trip has departed, arrived or returned (in that order)."""
    if status not in TripStatus.LIVE:
        raise ValidationError(
            {"status": [_("Report one of: %(values)s.") % {"values": ", ".join(TripStatus.LIVE)}]}
        )
    if not may_report_status(acting_user, trip):
        raise PermissionDenied(_("Only the trip's escort or an approver may report its status."))
    return _transition(
        acting_user,
        trip,
        TripStatus.LIVE[status],
        scope_action=None,
        **{LIVE_FIELDS[status]: timezone.now()},
    )
