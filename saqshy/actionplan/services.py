"""Every change to the action plan, through the shared write path (``core.services``):
scope checked, locked re-read, only changed fields written, audited, pushed on commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from saqshy.accounts.models import Agency, Region
from saqshy.actionplan import evidence
from saqshy.actionplan.choices import MeasureStatus
from saqshy.actionplan.models import Measure, MeasureTarget, validate_link
from saqshy.core import services as core_services
from saqshy.core import versioning
from saqshy.core.indicators import registry_indicators

# Fields a secretary edits on the page or through the API (co-executors and targets apart).
EDITABLE = (
    "title_kk",
    "title_ru",
    "title_en",
    "brief_line",
    "owner",
    "starts_on",
    "deadline",
    "indicator_code",
    "national_target",
    "status",
    "evidence_link",
    "notes",
)


def _payload(measure: Measure) -> dict[str, Any]:
    return measure.as_feature()


def check_indicator(code: str, *, current: str = "") -> None:
    """A code typed by a person must name an indicator some installed app declares (the
    stored one may stay, even if its app is not installed here)."""
    if not code or code == current:
        return
    if code not in {ind.code for ind in registry_indicators()}:
        raise ValidationError({"indicator_code": [_("No installed app computes this indicator.")]})


def share_target_refusal(code: str, target: float | None) -> str:
    """Why ``target`` cannot be the target of indicator ``code`` (a share is a percent, so at
    most 100), or ''."""
    if target is None or not (0 <= target <= 100):
        found = [ind for ind in registry_indicators() if ind.code == code]
        if target is not None and found and found[0].unit == "share":
            return _("This indicator is a share: its target is a percent from 0 to 100.")
    return ""


def _check_target(code: str, target: float | None) -> None:
    refusal = share_target_refusal(code, target)
    if refusal:
        raise ValidationError({"national_target": [refusal]})


def create_measure(
    *,
    acting_user: Any,
    co_executors: Iterable[Agency] = (),
    check_registry: bool = True,
    **fields: Any,
) -> Measure:
    if check_registry:
        check_indicator(fields.get("indicator_code", ""))
    _check_target(fields.get("indicator_code", ""), fields.get("national_target"))
    with transaction.atomic():
        measure = core_services.create(
            acting_user=acting_user, instance=Measure(**fields), payload=_payload
        )
        core_services.set_related(
            acting_user=acting_user,
            instance=measure,
            field="co_executors",
            values=list(co_executors),
        )
    return measure


def update_measure(
    *,
    acting_user: Any,
    measure: Measure,
    expected_version: str | list[str] | None = None,
    co_executors: Iterable[Agency] | None = None,
    targets: Mapping[Region, float | None] | None = None,
    check_registry: bool = True,
    **changes: Any,
) -> Measure:
    """Change a measure (``expected_version`` refuses a stale copy with 412), its
    co-executors and its regional targets, in one transaction."""
    unknown = set(changes) - set(EDITABLE) - {"position", "code"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if check_registry and "indicator_code" in changes:
        check_indicator(changes["indicator_code"], current=measure.indicator_code)
    _check_target(
        changes.get("indicator_code", measure.indicator_code),
        changes.get("national_target", measure.national_target),
    )
    with transaction.atomic():
        core_services.update(
            acting_user=acting_user,
            instance=measure,
            changes=changes,
            payload=_payload,
            expected_version=expected_version,
        )
        if co_executors is not None:
            core_services.set_related(
                acting_user=acting_user,
                instance=measure,
                field="co_executors",
                values=list(co_executors),
            )
        if targets:
            set_targets(acting_user=acting_user, measure=measure, targets=targets)
    return measure


def set_status(
    *, acting_user: Any, measure: Measure, status: str, expected_version: str | None = None
) -> Measure:
    if status not in MeasureStatus.values():
        raise ValidationError({"status": [_("Unknown status.")]})
    return update_measure(
        acting_user=acting_user,
        measure=measure,
        expected_version=expected_version,
        status=status,
    )


def attach_evidence(
    *,
    acting_user: Any,
    measure: Measure,
    upload: IO[bytes] | None = None,
    name: str = "",
    size: int = 0,
    link: str | None = None,
    expected_version: str | list[str] | None = None,
) -> Measure:
    """Store an evidence file (checked: ``evidence.check``) and/or set the link.

    The file is written first and removed again if the change is refused (stale version,
    no right), so a refused upload leaves nothing behind; the file it replaces is removed
    once the change commits.
    """
    changes: dict[str, Any] = {}
    if link is not None:
        changes["evidence_link"] = link.strip()
        try:
            validate_link(changes["evidence_link"])
        except ValidationError as error:
            raise ValidationError({"evidence_link": error.messages}) from None
    if upload is not None:
        evidence.check(upload, name=name, size=size)
    elif not changes:
        raise ValidationError({"evidence_file": [_("Choose a file or give a link.")]})
    core_services.require_scope(acting_user, measure, "change")
    field: Any = Measure._meta.get_field("evidence_file")
    stored = None
    if upload is not None:
        stored = field.storage.save(
            field.generate_filename(measure, name), File(upload), max_length=200
        )
        changes["evidence_file"] = stored
        changes["evidence_name"] = name.rsplit("/", 1)[-1][-200:]
    try:
        with transaction.atomic():
            locked = versioning.guard(measure, expected_version)
            previous = locked.evidence_file.name if stored is not None else ""
            core_services.save_changes(
                acting_user=acting_user, instance=measure, changes=changes, payload=_payload
            )
            if previous:
                transaction.on_commit(lambda: field.storage.delete(previous))
    except BaseException:
        if stored is not None:
            field.storage.delete(stored)
        raise
    return measure


def set_targets(
    *, acting_user: Any, measure: Measure, targets: Mapping[Region, float | None]
) -> int:
    """Set, change or remove (``None``) regional targets; returns how many changed."""
    changed = 0
    with transaction.atomic():
        for region, value in targets.items():
            found = MeasureTarget.objects.filter(measure=measure, region=region).first()
            if value is None:
                if found is not None:
                    core_services.delete(acting_user=acting_user, instance=found)
                    changed += 1
            elif found is None:
                core_services.create(
                    acting_user=acting_user,
                    instance=MeasureTarget(measure=measure, region=region, target=value),
                )
                changed += 1
            elif found.target != value:
                core_services.update(
                    acting_user=acting_user, instance=found, changes={"target": value}
                )
                changed += 1
    return changed
