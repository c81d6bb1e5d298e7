"""Every change in fire-safety prevention: inspections, violations, briefings and drills."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.queries import norm
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.facilities.models import Facility
from saqshy.inspections import photos as photo_rules
from saqshy.inspections.choices import ViolationStatus
from saqshy.inspections.models import (
    Briefing,
    ChecklistItem,
    Drill,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Violation,
)

SEPARATION_NORM = "violation_verifier_independent"


class DutiesSeparated(PermissionDenied):
    """The acting user did an earlier step that the region's rules keep apart from this one."""


@dataclass(frozen=True)
class ItemResult:
    """What the inspector found for one checklist item."""

    item: ChecklistItem
    passed: bool
    note: str = ""


@dataclass(frozen=True)
class PhotoUpload:
    """A photo as it arrives: a readable file and its size in bytes (a Django upload fits)."""

    file: Any
    size: int
    caption: str = ""


def _photo_rows(
    *,
    acting_user: Any,
    inspection: Inspection,
    uploads: Sequence[PhotoUpload],
    violation: Violation | None = None,
) -> list[tuple[InspectionPhoto, photo_rules.CleanPhoto]]:
    """Check and re-encode every upload before anything is written (all or nothing)."""
    rows = []
    for upload in uploads:
        cleaned = photo_rules.clean(upload.file, size=upload.size)
        photo = InspectionPhoto(
            inspection=inspection,
            violation=violation,
            width=cleaned.width,
            height=cleaned.height,
            size_bytes=len(cleaned.content),
            caption=upload.caption[:255],
            uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        rows.append((photo, cleaned))
    return rows


def _store_photos(
    rows: list[tuple[InspectionPhoto, photo_rules.CleanPhoto]], stored: list[Any]
) -> list[audit.Change]:
    """Save the photos inside the caller's transaction; ``stored`` collects the files written
    so the caller can delete them if the transaction fails."""
    changes = []
    for photo, cleaned in rows:
        # The inspection may have been saved after the photo row was built: take its id now,
        # the file's path is named after it.
        photo.inspection_id = photo.inspection.pk
        photo.image.save("photo.jpg", ContentFile(cleaned.content), save=False)
        stored.append(photo.image)
        photo.save()
        changes.append(_created(photo))
    return changes


def _discard(stored: list[Any]) -> None:
    for file in stored:
        file.storage.delete(file.name)


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
    photos: Sequence[PhotoUpload] = (),
) -> Inspection:
    """Record an inspection; every failed item becomes an open violation with a deadline.

    ``photos`` are kept as its evidence (checked and stripped of metadata first). All or
    nothing: a checklist item twice, no results at all, or one bad photo changes nothing.
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
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": [_("An inspection cannot be in the future.")]})
    photo_rows = _photo_rows(acting_user=acting_user, inspection=inspection, uploads=photos)
    stored: list[Any] = []
    try:
        with transaction.atomic():
            _save_inspection(acting_user, inspection, results, photo_rows, stored)
    except BaseException:
        _discard(stored)
        raise
    return inspection


def _save_inspection(
    acting_user: Any,
    inspection: Inspection,
    results: Sequence[ItemResult],
    photo_rows: list[tuple[InspectionPhoto, photo_rules.CleanPhoto]],
    stored: list[Any],
) -> None:
    facility, inspected_on = inspection.facility, inspection.inspected_on
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
    changes.extend(_store_photos(photo_rows, stored))
    audit.record(acting_user=acting_user, changes=changes)
    _push_clearance(facility)


def attach_photos(
    *,
    acting_user: Any,
    inspection: Inspection,
    photos: Sequence[PhotoUpload],
    violation: Violation | None = None,
) -> list[InspectionPhoto]:
    """Add photo evidence to an inspection, or to one violation found in it."""
    if violation is not None and violation.inspection_id != inspection.pk:
        raise ValidationError({"violation": [_("The violation was not found in this inspection.")]})
    if not photos:
        raise ValidationError({"photos": [_("Choose at least one photo.")]})
    rows = _photo_rows(
        acting_user=acting_user, inspection=inspection, uploads=photos, violation=violation
    )
    core_services.require_scope(acting_user, rows[0][0], "add")
    stored: list[Any] = []
    try:
        with transaction.atomic():
            changes = _store_photos(rows, stored)
            audit.record(acting_user=acting_user, changes=changes)
    except BaseException:
        _discard(stored)
        raise
    return [photo for photo, _clean in rows]


def mark_eliminated(
    *,
    acting_user: Any,
    violation: Violation,
    eliminated_on: date,
    note: str = "",
    photos: Sequence[PhotoUpload] = (),
) -> Violation:
    """The facility reports a violation put right; it still blocks until verified.

    ``photos`` show the fix; they join the violation's evidence for whoever verifies it.
    """
    if violation.status != ViolationStatus.OPEN:
        raise Conflict(
            _("Only an open violation can be marked eliminated; this one is %(status)s.")
            % {"status": ViolationStatus.label(violation.status)},
            code="invalid_transition",
        )
    if eliminated_on > timezone.localdate():
        raise ValidationError({"eliminated_on": [_("The date cannot be in the future.")]})
    changes: dict[str, Any] = {
        "status": ViolationStatus.ELIMINATED,
        "eliminated_on": eliminated_on,
        "eliminated_by": acting_user if getattr(acting_user, "pk", None) else None,
    }
    if note:
        changes["description"] = f"{violation.description}\n{note}"
    with transaction.atomic():
        updated = core_services.update(acting_user=acting_user, instance=violation, changes=changes)
        if photos:
            attach_photos(
                acting_user=acting_user,
                inspection=violation.inspection,
                violation=violation,
                photos=photos,
            )
        _push_clearance(violation.facility)
    return updated


def verification_refusal(acting_user: Any, violation: Violation) -> str:
    """Why ``acting_user`` may not verify ``violation`` under the separation of duties, or ''.

    The rule is the norm ``violation_verifier_independent`` (per region, 1 by default): the
    person who marked the violation eliminated is not the one to confirm it.
    """
    user_id = getattr(acting_user, "pk", None)
    if user_id is None or violation.eliminated_by_id != user_id:
        return ""
    if not norm(SEPARATION_NORM, violation.facility.region_id):
        return ""
    return _(
        "You marked this violation eliminated, so another inspector must verify it "
        "(separation of duties)."
    )


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
        refusal = verification_refusal(acting_user, violation)
        if refusal:
            raise DutiesSeparated(refusal)
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
