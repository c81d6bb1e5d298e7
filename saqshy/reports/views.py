"""Report pages: the list, one report with its workflow, narratives, exports, the
secretariat's board and the national summary. Thin: services decide, queries read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.models import Agency, Region
from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports as data_exports
from saqshy.core.audit import record_export
from saqshy.core.context import exercise
from saqshy.core.exports import Column
from saqshy.core.scoping import user_scope
from saqshy.core.versioning import version_of
from saqshy.core.views import run_service
from saqshy.reports import exports, queries, rows, services
from saqshy.reports.choices import ReportStatus
from saqshy.reports.forms import NarrativeForm, OpenReportForm
from saqshy.reports.models import AgencyNarrative, DailyReport


def _visible(request: HttpRequest) -> Any:
    return DailyReport.objects.restrict(request.user, "view").select_related("region")


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("day", "")
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return timezone.localdate()


def _can(request: HttpRequest, action: str, region_id: int) -> bool:
    return user_scope(request.user, DailyReport, action).covers(region_id)


COLUMNS = [
    Column("#", lambda r: r.pk),
    Column(gettext_lazy("Day"), lambda r: r.day),
    Column(gettext_lazy("Region"), lambda r: r.region.display_name),
    Column(gettext_lazy("Status"), lambda r: ReportStatus.label(r.status)),
    Column(gettext_lazy("Filled"), lambda r: r.filled_at),
    Column(gettext_lazy("Submitted"), lambda r: r.submitted_at),
    Column(gettext_lazy("Approved"), lambda r: r.approved_at),
    Column(gettext_lazy("Published"), lambda r: r.published_at),
]


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, DailyReport)
    reports = _visible(request)
    chosen = [slug for slug in params.getlist("region") if slug]
    if chosen:
        reports = reports.filter(region__slug__in=chosen)
    if params.get("day"):
        reports = reports.filter(day=_day(request))
    ordered = reports.order_by("-day", "region__name_en", "id")
    if data_exports.requested(params):
        return data_exports.export(
            request, ordered, COLUMNS, model=DailyReport, stem="daily-reports", params=params
        )
    scope = user_scope(request.user, DailyReport, "add")
    openable = Region.objects.order_by("name_en")
    if not scope.national:
        openable = openable.filter(pk__in=scope.region_ids)
    page = Paginator(ordered, 50).get_page(params.get("page"))
    return render(
        request,
        "reports/list.html",
        {
            **list_context(request, DailyReport, params),
            "page": page,
            "reports": [(r, ReportStatus.label(r.status)) for r in page],
            "chosen_day": _day(request) if params.get("day") else None,
            "open_form": OpenReportForm(regions=openable) if not scope.empty else None,
        },
    )


@login_required
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user, DailyReport, "add")
    regions = (
        Region.objects.filter(pk__in=scope.region_ids)
        if not scope.national
        else Region.objects.order_by("pk")
    )
    form = OpenReportForm(request.POST, regions=regions)
    if not form.is_valid():
        messages.error(request, _("Choose a region you report for and a day."))
        return redirect("reports:list")
    with exercise(form.cleaned_data["is_exercise"]):
        report = run_service(
            request,
            lambda: services.open_report(
                acting_user=request.user,
                region=form.cleaned_data["region"],
                day=form.cleaned_data["day"],
            ),
            _("Report opened and filled from the records."),
        )
    return redirect("reports:detail", pk=report.pk) if report else redirect("reports:list")


def _history(report: DailyReport) -> list[tuple[str, str, Any]]:
    steps = [
        (_("Opened"), report.created_at, report.created_by),
        (_("Submitted"), report.submitted_at, report.submitted_by),
        (_("Returned for correction"), report.returned_at, report.returned_by),
        (_("Approved"), report.approved_at, report.approved_by),
        (_("Published to the commission"), report.published_at, report.published_by),
    ]
    found = [(label, at, who) for label, at, who in steps if at is not None]
    return [(label, rows.when(at), who) for label, at, who in sorted(found, key=lambda s: s[1])]


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_visible(request), pk=pk)
    region = report.region_id
    narrative_scope = user_scope(request.user, AgencyNarrative, "change")
    writable = [
        agency
        for agency in Agency.objects.filter(region_id=region).order_by("name_en")
        if narrative_scope.covers(region, agency.pk)
    ]
    fillable = report.status in ReportStatus.FILLABLE
    may_approve = report.status == ReportStatus.SUBMITTED and _can(request, "approve", region)
    refusal = services.approval_refusal(request.user, report) if may_approve else ""
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "status_label": ReportStatus.label(report.status),
            "status_colour": ReportStatus.colour(report.status),
            "content": queries.report_content(report, request.user),
            "history": _history(report),
            "version": version_of(report),
            "can_fill": fillable and _can(request, "change", region),
            "can_submit": fillable and _can(request, "submit", region),
            "can_approve": may_approve and not refusal,
            "approval_refusal": refusal,
            "can_return": report.status in ("submitted", "approved")
            and _can(request, "approve", region),
            "can_publish": report.status == ReportStatus.APPROVED
            and _can(request, "publish", region),
            "narrative_agencies": writable if fillable else [],
        },
    )


ACTIONS: dict[str, tuple[Callable[..., DailyReport], Any]] = {
    "fill": (services.fill, gettext_lazy("Report refilled from the records.")),
    "submit": (services.submit, gettext_lazy("Report submitted to the head of the region.")),
    "approve": (services.approve, gettext_lazy("Report approved.")),
    "return": (services.return_report, gettext_lazy("Report returned for correction.")),
    "publish": (services.publish, gettext_lazy("Report published to the commission.")),
}


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_object_or_404(_visible(request), pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, success = ACTIONS[action]
    extra = {"reason": request.POST.get("reason", "")} if action == "return" else {}
    version = request.POST.get("version") or None
    run_service(
        request,
        lambda: service(acting_user=request.user, report=report, expected_version=version, **extra),
        str(success),
    )
    return redirect("reports:detail", pk=report.pk)


@login_required
def narrative_edit(request: HttpRequest, pk: int, agency_id: int) -> HttpResponse:
    report = get_object_or_404(_visible(request), pk=pk)
    agency = get_object_or_404(Agency.objects.filter(region_id=report.region_id), pk=agency_id)
    if not user_scope(request.user, AgencyNarrative, "change").covers(report.region_id, agency.pk):
        raise PermissionDenied(_("You may not write this agency's narrative."))
    narrative = AgencyNarrative.objects.filter(report=report, agency=agency).first()
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.save_narrative(
                acting_user=request.user,
                report=report,
                agency=agency,
                text=form.cleaned_data["text"],
                expected_version=form.expected_version(),
            ),
            _("Narrative saved."),
        )
        if saved is not None:
            return redirect("reports:detail", pk=report.pk)
    return render(
        request, "reports/narrative.html", {"report": report, "agency": agency, "form": form}
    )


def _title(report: DailyReport) -> str:
    return _("Daily situation report: %(region)s, %(day)s") % {
        "region": report.region.display_name,
        "day": report.day.strftime("%d.%m.%Y"),
    }


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(_visible(request), pk=pk)
    content = queries.report_content(report, request.user)
    title = _title(report)
    name = f"report-{report.region.slug}-{report.day:%Y-%m-%d}.{fmt}"
    if fmt == "pdf":
        data = exports.pdf(
            "reports/print.html",
            {
                "title": title,
                "report": report,
                "status_label": ReportStatus.label(report.status),
                "content": content,
                "chart_uri": exports.svg_uri(content["chart"]) if content["chart"] else "",
                "map_uri": exports.svg_uri(content["map"]) if content["map"] else "",
            },
        )
        kind = "application/pdf"
    else:
        data = exports.report_xlsx(title, content)
        kind = XLSX
    record_export(
        acting_user=request.user,
        model=DailyReport,
        filters={"report": report.pk, "region": report.region_id, "day": report.day.isoformat()},
        rows=1,
        fmt=fmt,
        region_id=report.region_id,
    )
    return _download(data, kind, name)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    return render(
        request,
        "reports/board.html",
        {
            "day": day,
            "rows": [
                (row, ReportStatus.label(row.report.status) if row.report else "")
                for row in queries.board(request.user, day)
            ],
        },
    )


def _national_regions(summary: queries.NationalSummary) -> list[list[Any]]:
    included = [
        [r.region.display_name, str(ReportStatus.label(r.status)), _("yes")]
        for r in summary.included
    ]
    missing = [
        [
            region.display_name,
            str(ReportStatus.label(report.status)) if report else _("no report"),
            _("no"),
        ]
        for region, report in summary.missing
    ]
    return included + missing


@login_required
def national(request: HttpRequest, fmt: str = "") -> HttpResponse:
    day = _day(request)
    summary = queries.national_summary(request.user, day)
    figures = rows.figure_rows(summary.figures)
    title = _("National summary, %(day)s") % {"day": day.strftime("%d.%m.%Y")}
    regions = _national_regions(summary)
    context = {
        "title": title,
        "day": day,
        "summary": summary,
        "figures": figures,
        "regions": regions,
    }
    if not fmt:
        return render(request, "reports/national.html", context)
    if fmt == "pdf":
        data, kind = exports.pdf("reports/national_print.html", context), "application/pdf"
    else:
        data, kind = exports.national_xlsx(title, figures, regions), XLSX
    record_export(
        acting_user=request.user,
        model=DailyReport,
        filters={"national": True, "day": day.isoformat()},
        rows=len(summary.included),
        fmt=fmt,
    )
    return _download(data, kind, f"national-{day:%Y-%m-%d}.{fmt}")
