"""Every change in protective security: assessments, their answers, completion, findings.

Each function takes a keyword-only ``acting_user`` (``None`` = the system) and runs in one
transaction through ``saqshy.core.services``: the row is locked and re-read, only the changed
fields are written, the change is audited and pushed live on commit. Completing an assessment
fixes its CCTV coverage from the camera registry and turns every item not met into a finding
with the item's severity and deadline, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.core import audit, versioning
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.facilities.models import Facility
from saqshy.protection import queries
from saqshy.protection.choices import Answer, AssessmentStatus, FindingStatus, Measure, Tier
from saqshy.protection.models import Assessment, AssessmentAnswer, ChecklistItem, Finding

DRAFT_FIELDS = frozenset({"assessed_on", "tier", "outdoor", "notes"})


@dataclass(frozen=True)
class ItemAnswer:
    """What the assessor found for one checklist item."""

    item: ChecklistItem
    answer: str
    note: str = ""


def assessment_payload(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "facility_id": assessment.facility_id,
        "status": assessment.status,
        "tier": assessment.tier,
        "valid_until": assessment.valid_until.isoformat() if assessment.valid_until else None,
    }


def finding_payload(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "facility_id": finding.facility_id,
        "severity": finding.severity,
        "status": finding.status,
        "deadline": finding.deadline.isoformat() if finding.deadline else None,
    }


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _not_in_future(field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})


def _tier_of(facility: Facility, tier: str | None) -> str:
    """The tier asked for, or the venue's own by its capacity (refused below the standard)."""
    if tier:
        if tier not in Tier.values():
            raise ValidationError({"tier": [_("Choose a tier.")]})
        return tier
    own = queries.thresholds(facility.region_id).tier(facility.capacity)
    if own is None:
        raise ValidationError(
            {
                "tier": [
                    _(
                        "The venue's capacity is unknown or below the standard tier: choose the "
                        "tier of the largest event it hosts."
                    )
                ]
            }
        )
    return own


def _draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict(
            _("This assessment is completed; it can no longer be changed."),
            code="invalid_transition",
        )


def create_assessment(
    *,
    acting_user: Any,
    facility: Facility,
    assessed_on: dt.date,
    tier: str | None = None,
    outdoor: bool = False,
    notes: str = "",
) -> Assessment:
    """Start an assessment of a venue (a draft) at its tier; it is valid for the region's
    ``protection_assessment_validity_days`` from ``assessed_on``."""
    _not_in_future("assessed_on", assessed_on)
    assessment = Assessment(
        facility=facility,
        tier=_tier_of(facility, tier),
        outdoor=outdoor,
        assessed_on=assessed_on,
        valid_until=assessed_on + dt.timedelta(days=queries.validity_days(facility.region_id)),
        assessor=_user(acting_user),
        notes=notes,
    )
    return core_services.create(
        acting_user=acting_user, instance=assessment, payload=assessment_payload
    )


def update_assessment(
    *,
    acting_user: Any,
    assessment: Assessment,
    expected_version: str | list[str] | None = None,
    **changes: Any,
) -> Assessment:
    """Change a draft's date, tier, open-air flag or notes (the validity follows the date)."""
    unknown = sorted(set(changes) - DRAFT_FIELDS)
    if unknown:
        raise ValidationError({unknown[0]: [_("This field cannot be changed here.")]})
    if "assessed_on" in changes:
        _not_in_future("assessed_on", changes["assessed_on"])
        days = queries.validity_days(assessment.facility.region_id)
        changes["valid_until"] = changes["assessed_on"] + dt.timedelta(days=days)
    if "tier" in changes:
        changes["tier"] = _tier_of(assessment.facility, changes["tier"])
    return core_services.update(
        acting_user=acting_user,
        instance=assessment,
        changes=changes,
        payload=assessment_payload,
        expected_version=expected_version,
        check=_draft,
    )


def record_answers(
    *,
    acting_user: Any,
    assessment: Assessment,
    answers: Sequence[ItemAnswer],
    expected_version: str | list[str] | None = None,
) -> Assessment:
    """Record (or change) answers of a draft. All or nothing: an item the tier does not ask,
    an item twice, or a "not met"/"not applicable" without a note changes nothing."""
    core_services.require_scope(acting_user, assessment, "change")
    if not answers:
        raise ValidationError({"answers": [_("Answer at least one checklist item.")]})
    codes = [a.item.code for a in answers]
    if len(set(codes)) != len(codes):
        raise ValidationError({"answers": [_("Each checklist item may be answered only once.")]})
    for given in answers:
        if given.answer not in Answer.values():
            raise ValidationError({"answers": [_("Choose met, not met or not applicable.")]})
        if not given.item.applies(assessment.tier, assessment.outdoor):
            raise ValidationError(
                {"answers": [_("“%(item)s” is not asked at this tier.") % {"item": given.item}]}
            )
        if given.answer != Answer.MET and not given.note.strip():
            raise ValidationError(
                {
                    "answers": [
                        _("Say why “%(item)s” is not met or not applicable.") % {"item": given.item}
                    ]
                }
            )
    with transaction.atomic():
        locked = versioning.guard(assessment, expected_version)
        _draft(locked)
        _write_answers(acting_user, locked, answers)
        core_services.save_changes(
            acting_user=acting_user, instance=assessment, changes={}, payload=assessment_payload
        )
    return assessment


def _write_answers(acting_user: Any, assessment: Assessment, answers: Sequence[ItemAnswer]) -> None:
    stored = {a.item_id: a for a in assessment.answers.select_for_update()}
    changes: list[audit.Change] = []
    for given in answers:
        note = given.note.strip()[:500]
        row = stored.get(given.item.pk)
        if row is None:
            row = AssessmentAnswer.objects.create(
                assessment=assessment, item=given.item, answer=given.answer, note=note
            )
            changes.append(
                audit.Change("create", row, row.scope_region_id(), after=audit.snapshot(row))
            )
            continue
        before = audit.snapshot(row)
        row.answer, row.note = given.answer, note
        old, new = audit.diff(before, audit.snapshot(row))
        if new:
            row.save(update_fields=[*new, "updated_at"])
            changes.append(
                audit.Change("update", row, row.scope_region_id(), before=old, after=new)
            )
    if changes:
        audit.record(acting_user=acting_user, changes=changes)


def complete_assessment(
    *, acting_user: Any, assessment: Assessment, expected_version: str | list[str] | None = None
) -> Assessment:
    """Complete a draft: every item of its tier answered (the CCTV item is computed when the
    venue's footprint is known and a camera of it is registered), coverage kept, and every
    item not met becomes an open finding due ``days_to_fix`` after the assessment."""
    items = queries.checklist(assessment.tier, assessment.outdoor)
    facility = assessment.facility
    found = queries.coverage_of(facility)
    share = found.share

    def check(locked: Assessment) -> None:
        answered = {a.item_id for a in locked.answers.all()}
        computed = {i.pk for i in items if _computed(i, share, found.cameras)}
        missing = [i for i in items if i.pk not in answered and i.pk not in computed]
        if missing:
            raise ValidationError(
                {
                    "answers": [
                        _("Answer every item of the checklist first; missing: %(items)s.")
                        % {"items": ", ".join(str(i) for i in missing)}
                    ]
                }
            )

    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=assessment,
            states=AssessmentStatus,
            name="complete",
            check=check,
            expected_version=expected_version,
            changes={"completed_at": timezone.now(), "coverage_share": share},
            payload=assessment_payload,
        )
        computed = [
            ItemAnswer(
                item,
                Answer.MET if (share or 0) >= (item.min_share or 0) else Answer.NOT_MET,
                _("CCTV covers %(share)s %% of the venue (at least %(min)s %% needed).")
                % {"share": round(100 * (share or 0)), "min": round(100 * (item.min_share or 0))},
            )
            for item in items
            if _computed(item, share, found.cameras)
        ]
        if computed:
            _write_answers(acting_user, assessment, computed)
        _open_findings(acting_user, assessment, items)
    return assessment


def _computed(item: ChecklistItem, share: float | None, cameras: int) -> bool:
    return item.measure == Measure.CCTV_COVERAGE and share is not None and cameras > 0


def _open_findings(acting_user: Any, assessment: Assessment, items: list[ChecklistItem]) -> None:
    wanted = {i.pk for i in items}
    changes = []
    for row in assessment.answers.select_related("item").filter(answer=Answer.NOT_MET):
        if row.item_id not in wanted:
            continue
        finding = Finding.objects.create(
            assessment=assessment,
            facility_id=assessment.facility_id,
            item=row.item,
            severity=row.item.severity,
            text=row.note or row.item.display_name,
            deadline=assessment.assessed_on + dt.timedelta(days=row.item.days_to_fix),
        )
        changes.append(
            audit.Change(
                "create", finding, finding.scope_region_id(), after=audit.snapshot(finding)
            )
        )
    if changes:
        audit.record(acting_user=acting_user, changes=changes)


def delete_assessment(
    *, acting_user: Any, assessment: Assessment, expected_version: str | list[str] | None = None
) -> None:
    """A draft may be thrown away (with its answers); a completed assessment is kept."""
    _draft(assessment)
    core_services.delete(
        acting_user=acting_user, instance=assessment, expected_version=expected_version
    )


def add_finding(
    *,
    acting_user: Any,
    assessment: Assessment,
    severity: str,
    text: str,
    deadline: dt.date,
    item: ChecklistItem | None = None,
) -> Finding:
    """Record a finding by hand (something the checklist does not name, or more detail)."""
    if not text.strip():
        raise ValidationError({"text": [_("Describe the finding.")]})
    if deadline < assessment.assessed_on:
        raise ValidationError({"deadline": [_("The deadline cannot be before the assessment.")]})
    finding = Finding(
        assessment=assessment,
        facility_id=assessment.facility_id,
        item=item,
        severity=severity,
        text=text.strip(),
        deadline=deadline,
    )
    return core_services.create(acting_user=acting_user, instance=finding, payload=finding_payload)


def fix_finding(
    *,
    acting_user: Any,
    finding: Finding,
    fixed_on: dt.date,
    note: str = "",
    expected_version: str | list[str] | None = None,
) -> Finding:
    """The finding is put right: who said so and when are kept."""
    _not_in_future("fixed_on", fixed_on)
    if fixed_on < finding.assessment.assessed_on:
        raise ValidationError({"fixed_on": [_("The date cannot be before the assessment.")]})
    return core_services.transition(
        acting_user=acting_user,
        instance=finding,
        states=FindingStatus,
        name="fix",
        expected_version=expected_version,
        changes={
            "fixed_on": fixed_on,
            "fixed_by": _user(acting_user),
            "fix_note": note.strip()[:500],
        },
        payload=finding_payload,
    )
