"""Every change to daily reports: open and fill, narratives, the workflow, late escalation.

Workflow (``ReportStatus.TRANSITIONS``): a region's coordinator opens the report of a day,
which fills itself from the records of the window; agencies write their narratives; the
coordinator submits; the region's head approves (or returns it with a reason); the head or the
commission's secretary publishes the approved report to the commission. Approval and
publication are separate steps so the head can approve in the morning and the secretariat can
publish all regions together; the national summary counts approved and published reports
alike, never drafts, submitted or returned ones.

Separation of duties: whoever opened (created) or submitted a report may not approve it, even
with both roles (403, ``DutiesSeparated``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Agency, Region
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.context import exercise_active
from saqshy.core.exceptions import Conflict
from saqshy.reports import filling
from saqshy.reports.choices import ReportStatus
from saqshy.reports.models import AgencyNarrative, DailyReport, Escalation


class DutiesSeparated(PermissionDenied):
    """The acting user did an earlier step that the rules keep apart from this one."""


def _actor(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _payload(report: DailyReport) -> dict[str, Any]:
    return {
        "day": report.day.isoformat(),
        "status": report.status,
        "is_exercise": report.is_exercise,
    }


def _content(
    region_id: int, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[str, Any]:
    return {
        "figures": filling.compute_figures(region_id, start, end),
        "sections": filling.compute_sections(region_id, start, end),
        "filled_at": now,
    }


def open_report(
    *, acting_user: Any, region: Region, day: dt.date, now: dt.datetime | None = None
) -> DailyReport:
    """The region's report for ``day``, created as a draft filled from the records if it does
    not exist yet (an existing report is returned as it is). In an exercise it is the
    exercise's report of the day, beside the real one; its figures are the real figures, which
    never count exercise records."""
    is_exercise = exercise_active()
    existing = DailyReport.objects.filter(region=region, day=day, is_exercise=is_exercise).first()
    if existing is not None:
        core_services.require_scope(acting_user, existing, "view")
        return existing
    now = now or timezone.now()
    start, end = filling.window_for(region.pk, day)
    report = DailyReport(
        region=region,
        day=day,
        window_start=start,
        window_end=end,
        status=ReportStatus.DRAFT,
        created_by=_actor(acting_user),
        **_content(region.pk, start, end, now),
    )
    try:
        with transaction.atomic():
            return core_services.create(acting_user=acting_user, instance=report, payload=_payload)
    except IntegrityError:
        # Someone opened it at the same moment: theirs is the report.
        return DailyReport.objects.get(region=region, day=day, is_exercise=is_exercise)


def fill(
    *,
    acting_user: Any,
    report: DailyReport,
    expected_version: str | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """Refill the figures and sections from the records (a draft or returned report only)."""
    now = now or timezone.now()

    def fillable(locked: DailyReport) -> None:
        if locked.status not in ReportStatus.FILLABLE:
            raise Conflict(
                _("A %(status)s report keeps the figures it was submitted with.")
                % {"status": ReportStatus.label(locked.status)},
                code="not_fillable",
            )

    return core_services.update(
        acting_user=acting_user,
        instance=report,
        changes=_content(report.region_id, report.window_start, report.window_end, now),
        payload=_payload,
        expected_version=expected_version,
        check=fillable,
    )


def _editable(report: DailyReport) -> None:
    if report.status not in ReportStatus.FILLABLE:
        raise Conflict(
            _("A %(status)s report cannot be changed.")
            % {"status": ReportStatus.label(report.status)},
            code="not_editable",
        )


def save_narrative(
    *,
    acting_user: Any,
    report: DailyReport,
    agency: Agency,
    text: str,
    expected_version: str | None = None,
) -> AgencyNarrative:
    """Write the agency's narrative of the day (its own users, or the region's coordinator),
    while the report is a draft or returned."""
    if agency.region_id not in (None, report.region_id):
        raise ValidationError({"agency": [_("This agency works in another region.")]})
    existing = AgencyNarrative.objects.filter(report=report, agency=agency).first()
    if existing is None:
        _editable(report)
        narrative = AgencyNarrative(
            report=report, agency=agency, text=text, author=_actor(acting_user)
        )
        return core_services.create(acting_user=acting_user, instance=narrative)

    def check(locked: AgencyNarrative) -> None:
        _editable(DailyReport.objects.get(pk=locked.report_id))

    return core_services.update(
        acting_user=acting_user,
        instance=existing,
        changes={"text": text, "author": _actor(acting_user)},
        expected_version=expected_version,
        check=check,
    )


def _transition(
    acting_user: Any,
    report: DailyReport,
    name: str,
    permission: str,
    expected_version: str | None,
    check: Any = None,
    **changes: Any,
) -> DailyReport:
    core_services.require_scope(acting_user, report, permission)
    return core_services.transition(
        acting_user=acting_user,
        instance=report,
        states=ReportStatus,
        name=name,
        changes=changes,
        check=check,
        expected_version=expected_version,
        scope_action=None,
        payload=_payload,
    )


def submit(
    *,
    acting_user: Any,
    report: DailyReport,
    expected_version: str | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """The coordinator sends the report to the region's head."""
    return _transition(
        acting_user,
        report,
        "submit",
        "submit",
        expected_version,
        submitted_by=_actor(acting_user),
        submitted_at=now or timezone.now(),
        return_reason="",
    )


def approval_refusal(acting_user: Any, report: DailyReport) -> str:
    """Why ``acting_user`` may not approve ``report`` (separation of duties), or ''."""
    user_id = getattr(acting_user, "pk", None)
    if user_id is None:
        return ""
    if report.submitted_by_id == user_id:
        return _("You submitted this report, so the head of the region approves it, not you.")
    if report.created_by_id == user_id:
        return _("You prepared this report, so the head of the region approves it, not you.")
    return ""


def _separated(acting_user: Any) -> Any:
    def check(locked: DailyReport) -> None:
        refusal = approval_refusal(acting_user, locked)
        if refusal:
            raise DutiesSeparated(refusal)

    return check


def approve(
    *,
    acting_user: Any,
    report: DailyReport,
    expected_version: str | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """The region's head approves a submitted report; it then counts in the national summary."""
    return _transition(
        acting_user,
        report,
        "approve",
        "approve",
        expected_version,
        check=_separated(acting_user),
        approved_by=_actor(acting_user),
        approved_at=now or timezone.now(),
    )


def return_report(
    *,
    acting_user: Any,
    report: DailyReport,
    reason: str,
    expected_version: str | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """The head sends a submitted or approved report back to the coordinator, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is returned.")]})
    return _transition(
        acting_user,
        report,
        "return",
        "approve",
        expected_version,
        returned_by=_actor(acting_user),
        returned_at=now or timezone.now(),
        return_reason=reason[:500],
        approved_by=None,
        approved_at=None,
    )


def publish(
    *,
    acting_user: Any,
    report: DailyReport,
    expected_version: str | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """The head or the commission's secretary publishes an approved report to the commission."""
    return _transition(
        acting_user,
        report,
        "publish",
        "publish",
        expected_version,
        published_by=_actor(acting_user),
        published_at=now or timezone.now(),
    )


def escalate_late(
    *, acting_user: Any = None, day: dt.date | None = None, now: dt.datetime | None = None
) -> list[Escalation]:
    """Record an escalation for every region whose report for ``day`` (today by default) is
    late at ``now``; once per region and day, audited. Returns the new escalations."""
    now = now or timezone.now()
    day = day or timezone.localtime(now).date()
    reports = {r.region_id: r for r in DailyReport.objects.real().filter(day=day)}
    done = set(Escalation.objects.filter(day=day).values_list("region_id", flat=True))
    created: list[Escalation] = []
    for region in Region.objects.exclude(pk__in=done).order_by("pk"):
        report = reports.get(region.pk)
        due = filling.due_at(region.pk, day)
        if filling.lateness(report, due, now) is None:
            continue
        escalation = Escalation(
            region=region,
            day=day,
            report=report,
            due_at=due,
            escalated_at=now,
            status_then=report.status if report else "",
        )
        try:
            with transaction.atomic():
                escalation.save()
                audit.record(
                    acting_user=acting_user,
                    changes=[
                        audit.Change(
                            "create", escalation, region.pk, after=audit.snapshot(escalation)
                        )
                    ],
                )
        except IntegrityError:
            continue
        created.append(escalation)
    return created
