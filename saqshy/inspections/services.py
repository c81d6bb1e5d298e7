"""Every change in fire-safety prevention: inspections, violations, briefings and drills."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.facilities.models import Facility
from saqshy.inspections.choices import ViolationStatus
from saqshy.inspections.models import (
    Briefing,
    ChecklistItem,
    Drill,
    Inspection,
    InspectionResult,
    Violation,
)


@dataclass(frozen=True)
class ItemResult:
    """What the inspector found for one checklist item."""

    item: ChecklistItem
    passed: bool
    note: str = ""


def _push_clearance(facility: Facility) -> None:
    publish_on_commit(
        topic="clearance",
        op="updated",
        object_id=facility.pk,
        region_id=facility.region_id,
        perm=perm_name(Inspection, "view"),
        data={"facility": facility.pk},
    )


def _created(instance: Any) -> audit.Change:
    return audit.Change(
        "create", instance, instance.scope_region_id(), after=audit.snapshot(instance)
    )


def record_inspection(
    *,
    acting_user: Any,
    facility: Facility,
    inspected_on: date,
    results: Sequence[ItemResult],
    notes: str = "",
) -> Inspection:
    """Record an inspection; every failed item becomes an open violation with a deadline.

    All or nothing: a checklist item twice, or no results at all, changes nothing.
    """
    inspection = Inspection(
        facility=facility,
        inspector=acting_user if getattr(acting_user, "pk", None) else None,
        inspected_on=inspected_on,
        notes=notes,
    )
    core_services.require_scope(acting_user, inspection, "add")
    if not results:
        raise ValidationError({"results": [_("Record the result of at least one checklist item.")]})
    codes = [r.item.code for r in results]
    if len(set(codes)) != len(codes):
        raise ValidationError({"results": [_("Each checklist item may be recorded only once.")]})
    if inspected_on > date.today():
        raise ValidationError({"inspected_on": [_("An inspection cannot be in the future.")]})
    with transaction.atomic():
        inspection.full_clean()
        inspection.save()
        changes = [_created(inspection)]
        for result in results:
            row = InspectionResult.objects.create(
                inspection=inspection, item=result.item, passed=result.passed, note=result.note
            )
            changes.append(_created(row))
            if not result.passed:
                violation = Violation.objects.create(
                    facility=facility,
                    inspection=inspection,
                    item=result.item,
                    severity=result.item.severity,
                    description=result.note or result.item.display_name,
                    deadline=inspected_on + timedelta(days=result.item.days_to_fix),
                )
                changes.append(_created(violation))
        audit.record(acting_user=acting_user, changes=changes)
        _push_clearance(facility)
    return inspection


def mark_eliminated(
    *, acting_user: Any, violation: Violation, eliminated_on: date, note: str = ""
) -> Violation:
    """The facility reports a violation put right; it still blocks until verified."""
    if violation.status != ViolationStatus.OPEN:
        raise Conflict(
            _("Only an open violation can be marked eliminated; this one is %(status)s.")
            % {"status": ViolationStatus.label(violation.status)},
            code="invalid_transition",
        )
    if eliminated_on > date.today():
        raise ValidationError({"eliminated_on": [_("The date cannot be in the future.")]})
    changes: dict[str, Any] = {"status": ViolationStatus.ELIMINATED, "eliminated_on": eliminated_on}
    if note:
        changes["description"] = f"{violation.description}\n{note}"
    with transaction.atomic():
        updated = core_services.update(acting_user=acting_user, instance=violation, changes=changes)
        _push_clearance(violation.facility)
    return updated


def verify_eliminations(
    *,
    acting_user: Any,
    facility: Facility,
    inspected_on: date,
    violations: Sequence[Violation],
    notes: str = "",
) -> Inspection:
    """A re-inspection confirms that eliminated violations are really gone.

    The re-inspection is itself an inspection of the facility on ``inspected_on``.
    """
    if not violations:
        raise ValidationError({"violations": [_("Name at least one violation to verify.")]})
    for violation in violations:
        if violation.facility_id != facility.pk:
            raise ValidationError({"violations": [_("A violation of another facility was named.")]})
        if violation.status != ViolationStatus.ELIMINATED:
            raise Conflict(
                _("Only an eliminated violation can be verified; #%(id)s is %(status)s.")
                % {"id": violation.pk, "status": ViolationStatus.label(violation.status)},
                code="invalid_transition",
            )
    reinspection = Inspection(
        facility=facility,
        inspector=acting_user if getattr(acting_user, "pk", None) else None,
        inspected_on=inspected_on,
        is_reinspection=True,
        notes=notes,
    )
    core_services.require_scope(acting_user, reinspection, "add")
    with transaction.atomic():
        reinspection.full_clean()
        reinspection.save()
        changes = [_created(reinspection)]
        for violation in violations:
            before = audit.snapshot(violation)
            violation.status = ViolationStatus.VERIFIED
            violation.verified_in = reinspection
            violation.save(update_fields=["status", "verified_in", "updated_at"])
            old, new = audit.diff(before, audit.snapshot(violation))
            changes.append(
                audit.Change(
                    "update", violation, violation.scope_region_id(), before=old, after=new
                )
            )
        audit.record(acting_user=acting_user, changes=changes)
        _push_clearance(facility)
    return reinspection


def record_briefing(*, acting_user: Any, **fields: Any) -> Briefing:
    return core_services.create(acting_user=acting_user, instance=Briefing(**fields))


def record_drill(*, acting_user: Any, **fields: Any) -> Drill:
    return core_services.create(acting_user=acting_user, instance=Drill(**fields))
