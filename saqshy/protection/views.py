"""Protective-security pages: the assessments (region filter, overdue findings highlighted), a
new assessment, a venue's assessment (checklist of its tier, CCTV coverage, findings with
deadlines), answering and completing it, adding and fixing findings. Thin: scope from
``restrict``, changes through the services (``core.views.run_service``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, versioning
from saqshy.core.exports import Column
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.facilities.models import Facility
from saqshy.protection import queries, services
from saqshy.protection.choices import Answer, AssessmentStatus, FindingStatus, Measure
from saqshy.protection.filtersets import AssessmentFilterSet
from saqshy.protection.forms import AssessmentForm, FindingForm, FixForm
from saqshy.protection.models import Assessment, ChecklistItem, Finding

PAGE_SIZE = 50

# What the list shows, and a little more of each assessment (no person is named).
ASSESSMENT_COLUMNS = [
    Column("#", lambda a: a.pk),
    Column(gettext_lazy("Venue"), lambda a: a.facility.display_name),
    Column(gettext_lazy("Region"), lambda a: a.facility.region.display_name),
    Column(gettext_lazy("Capacity"), lambda a: a.facility.capacity),
    Column(gettext_lazy("Tier"), lambda a: a.get_tier_display()),
    Column(gettext_lazy("Events in the open"), lambda a: a.outdoor),
    Column(gettext_lazy("Assessed on"), lambda a: a.assessed_on),
    Column(gettext_lazy("Valid until"), lambda a: a.valid_until),
    Column(gettext_lazy("Status"), lambda a: a.get_status_display()),
    Column(
        gettext_lazy("CCTV coverage, %"),
        lambda a: None if a.coverage_share is None else round(100 * a.coverage_share),
    ),
    Column(gettext_lazy("Open findings"), lambda a: a.open_findings),
    Column(gettext_lazy("Overdue findings"), lambda a: a.overdue_findings),
    Column(gettext_lazy("Notes"), lambda a: a.notes),
]


def _may(request: HttpRequest, model: type[Any], action: str, region_id: int | None) -> bool:
    return user_scope(request.user, model, action).covers(region_id)


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    params = list_params(request, Assessment)
    open_ = Q(findings__status=FindingStatus.OPEN)
    rows: Any = (
        AssessmentFilterSet(
            params,
            queryset=Assessment.objects.restrict(request.user, "view").select_related(
                "facility__region"
            ),
        )
        .qs.annotate(
            open_findings=Count("findings", filter=open_),
            overdue_findings=Count("findings", filter=open_ & Q(findings__deadline__lt=today)),
        )
        # Overdue, then open findings first: what the duty officer and the commission chase.
        .order_by("-overdue_findings", "-open_findings", "-assessed_on", "-pk")
    )
    if exports.requested(params):
        return exports.export(
            request,
            rows,
            ASSESSMENT_COLUMNS,
            model=Assessment,
            stem="protection-assessments",
            params=params,
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    overdue: Any = (
        Finding.objects.restrict(request.user, "view")
        .filter(status=FindingStatus.OPEN, deadline__lt=today)
        .select_related("facility", "assessment")
    )
    if params.getlist("region"):
        overdue = overdue.filter(facility__region__slug__in=params.getlist("region"))
    return render(
        request,
        "protection/list.html",
        {
            **list_context(request, Assessment, params),
            "page": page,
            "today": today,
            "overdue": overdue[:50],
            "can_add": not user_scope(request.user, Assessment, "add").empty,
        },
    )


@login_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user, Assessment, "add")
    if scope.empty:
        raise PermissionDenied
    facilities: Any = (
        Facility.objects.restrict(request.user, "view")
        .filter(capacity__isnull=False)
        .order_by("name", "pk")
    )
    if not scope.national:
        facilities = facilities.filter(region_id__in=scope.region_ids)
    form = AssessmentForm(
        request.POST or None,
        facilities=facilities,
        initial={"facility": request.GET.get("facility")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            request,
            lambda: services.create_assessment(
                acting_user=request.user,
                facility=data["facility"],
                assessed_on=data["assessed_on"],
                tier=data["tier"] or None,
                outdoor=data["outdoor"],
                notes=data["notes"],
            ),
            _("Assessment started; answer the checklist."),
        )
        if created is not None:
            return redirect("protection:detail", pk=created.pk)
    return render(
        request,
        "protection/new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    found: Assessment = get_object_or_404(
        Assessment.objects.restrict(request.user, "view").select_related(
            "facility__region", "assessor"
        ),
        pk=pk,
    )
    return found


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    today = timezone.localdate()
    region_id = assessment.facility.region_id
    answers = {a.item_id: a for a in assessment.answers.all()}
    cover = queries.coverage_of(assessment.facility)
    rows = []
    for item in queries.checklist(assessment.tier, assessment.outdoor):
        given = answers.get(item.pk)
        computed = (
            item.measure == Measure.CCTV_COVERAGE
            and cover.share is not None
            and (cover.cameras > 0)
        )
        rows.append({"item": item, "answer": given, "computed": computed})
    findings: list[Finding] = list(
        Finding.objects.restrict(request.user, "view")
        .filter(assessment=assessment)
        .select_related("item", "fixed_by")
        .order_by("status", "deadline", "pk")
    )
    draft = assessment.status == AssessmentStatus.DRAFT
    can_change = _may(request, Assessment, "change", region_id)
    return render(
        request,
        "protection/detail.html",
        {
            "assessment": assessment,
            "version": versioning.version_of(assessment),
            "rows": rows,
            "answers": Answer.CHOICES,
            "coverage": cover,
            "percent": None if cover.share is None else round(100 * cover.share),
            "findings": [(f, f.overdue_on(today)) for f in findings],
            "can_answer": draft and can_change,
            "can_add_finding": _may(request, Finding, "add", region_id),
            "can_fix": _may(request, Finding, "change", region_id),
            "finding_form": FindingForm(),
            "fix_form": FixForm(),
            "current": assessment.current_on(today),
        },
    )


@login_required
@require_POST
def assessment_answers(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    given = []
    for item in queries.checklist(assessment.tier, assessment.outdoor):
        value = request.POST.get(f"answer-{item.code}", "")
        if value:
            note = request.POST.get(f"note-{item.code}", "")
            given.append(services.ItemAnswer(item, value, note))
    run_service(
        request,
        lambda: services.record_answers(
            acting_user=request.user,
            assessment=assessment,
            answers=given,
            expected_version=request.POST.get("version") or None,
        ),
        _("Answers saved."),
    )
    return redirect("protection:detail", pk=pk)


@login_required
@require_POST
def assessment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    run_service(
        request,
        lambda: services.complete_assessment(
            acting_user=request.user,
            assessment=assessment,
            expected_version=request.POST.get("version") or None,
        ),
        _("Assessment completed."),
    )
    return redirect("protection:detail", pk=pk)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_service(
            request,
            lambda: services.add_finding(
                acting_user=request.user,
                assessment=assessment,
                severity=data["severity"],
                text=data["text"],
                deadline=data["deadline"],
                item=ChecklistItem.objects.filter(code=request.POST.get("item", "")).first(),
            ),
            _("Finding recorded."),
        )
    else:
        _form_errors(request, form)
    return redirect("protection:detail", pk=pk)


@login_required
@require_POST
def finding_fix(request: HttpRequest, pk: int) -> HttpResponse:
    finding: Finding = get_object_or_404(
        Finding.objects.restrict(request.user, "view").select_related("assessment"), pk=pk
    )
    form = FixForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.fix_finding(
                acting_user=request.user,
                finding=finding,
                fixed_on=form.cleaned_data["fixed_on"],
                note=form.cleaned_data["note"],
                expected_version=request.POST.get("version") or None,
            ),
            _("Finding marked fixed."),
        )
    else:
        _form_errors(request, form)
    return redirect("protection:detail", pk=finding.assessment_id)


def _form_errors(request: HttpRequest, form: Any) -> None:
    """Each refused field by its label (the page redirects back, so the form is not shown)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
