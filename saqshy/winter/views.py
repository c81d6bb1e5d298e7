"""Winter pages: the stranded register (new report, detail with the nearest points and the
evacuation steps), the warming points (list, detail, occupancy from a phone) and the standby
units with the shortfalls named. Thin: scope from ``restrict``, changes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, versioning
from saqshy.core.exceptions import Conflict
from saqshy.core.exports import Column
from saqshy.core.scoping import user_scope
from saqshy.winter import queries, services
from saqshy.winter.choices import StrandedStatus
from saqshy.winter.filtersets import (
    StandbyFilterSet,
    StrandedReportFilterSet,
    WarmingPointFilterSet,
)
from saqshy.winter.forms import OccupancyForm, StrandedForm
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint

PAGE_SIZE = 50
STEPS = ("assign", "start", "complete", "close")

# The caller's phone is never exported.
STRANDED_COLUMNS = [
    Column("#", lambda r: r.pk),
    Column(gettext_lazy("Where"), lambda r: r.location),
    Column(gettext_lazy("Region"), lambda r: r.region.display_name),
    Column(gettext_lazy("Road"), lambda r: r.segment.title if r.segment_id else ""),
    Column(gettext_lazy("People"), lambda r: r.people),
    Column(gettext_lazy("Of them children"), lambda r: r.children),
    Column(gettext_lazy("Vehicles"), lambda r: r.vehicles),
    Column(gettext_lazy("Vehicle kind"), lambda r: r.get_vehicle_kind_display()),
    Column(gettext_lazy("Fuel left"), lambda r: r.get_fuel_left_display()),
    Column(gettext_lazy("Medical needs"), lambda r: r.medical_needs),
    Column(gettext_lazy("Reported at"), lambda r: r.reported_at),
    Column(gettext_lazy("Status"), lambda r: r.get_status_display()),
    Column(gettext_lazy("Warming point"), lambda r: r.point.name if r.point_id else ""),
    Column(gettext_lazy("Evacuated"), lambda r: r.evacuated_at),
]

POINT_COLUMNS = [
    Column("#", lambda p: p.pk),
    Column(gettext_lazy("Warming point"), lambda p: p.name),
    Column(gettext_lazy("Address"), lambda p: p.address),
    Column(gettext_lazy("Region"), lambda p: p.region.display_name),
    Column(gettext_lazy("Capacity"), lambda p: p.capacity),
    Column(gettext_lazy("People in it now"), lambda p: p.occupancy),
    Column(gettext_lazy("Free places"), lambda p: p.free_places),
    Column(gettext_lazy("Services"), lambda p: ", ".join(p.services)),
    Column(gettext_lazy("Staff on duty"), lambda p: p.staff_on_duty),
    Column(gettext_lazy("Hours"), lambda p: p.hours),
    Column(gettext_lazy("Contact phone"), lambda p: p.phone),
    Column(gettext_lazy("Open"), lambda p: p.is_open),
]

STANDBY_COLUMNS = [
    Column("#", lambda s: s.pk),
    Column(gettext_lazy("Unit"), lambda s: s.unit.call_sign),
    Column(gettext_lazy("Equipment"), lambda s: s.get_equipment_type_display()),
    Column(gettext_lazy("Region"), lambda s: s.region.display_name),
    Column(gettext_lazy("Road"), lambda s: s.segment.title if s.segment_id else ""),
    Column(gettext_lazy("Readiness"), lambda s: s.get_readiness_display()),
    Column(gettext_lazy("Base"), lambda s: s.base_name),
    Column(gettext_lazy("From"), lambda s: s.starts_at),
    Column(gettext_lazy("Until"), lambda s: s.ends_at),
]


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(str(m) for messages_ in error.message_dict.values() for m in messages_)
    return " ".join(str(m) for m in error.messages)


@login_required
def stranded_list(request: HttpRequest) -> HttpResponse:
    can_add = not user_scope(request.user, StrandedReport, "add").empty
    form = StrandedForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_stranded(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Stranded report registered; the incident is open."))
                return redirect("winter:stranded-detail", pk=report.pk)
    params = list_params(request, StrandedReport)
    rows: Any = StrandedReportFilterSet(
        params,
        queryset=StrandedReport.objects.restrict(request.user, "view").select_related(
            "region", "point", "segment"
        ),
    ).qs
    if request.method != "POST" and exports.requested(params):
        return exports.export(
            request, rows, STRANDED_COLUMNS, model=StrandedReport, stem="stranded", params=params
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "winter/stranded_list.html",
        {**list_context(request, StrandedReport, params), "page": page, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def stranded_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report: StrandedReport = get_object_or_404(
        StrandedReport.objects.restrict(request.user, "view").select_related(
            "region", "point", "segment", "incident"
        ),
        pk=pk,
    )
    can_edit = user_scope(request.user, StrandedReport, "change").covers(report.region_id)
    nearest = (
        queries.nearest_points(
            report.lat, report.lon, people=report.people, vehicle=report.vehicle_kind
        )
        if report.status in (StrandedStatus.REPORTED, StrandedStatus.ASSIGNED)
        else []
    )
    steps = [
        (_("Reported"), report.reported_at),
        (_("Warming point assigned"), report.assigned_at),
        (_("Evacuation started"), report.evacuation_started_at),
        (_("Evacuated"), report.evacuated_at),
        (_("Closed"), report.closed_at),
    ]
    return render(
        request,
        "winter/stranded_detail.html",
        {
            "report": report,
            "version": versioning.version_of(report),
            "can_edit": can_edit and report.status != StrandedStatus.CLOSED,
            "show_phone": can_edit,
            "nearest": nearest,
            "steps": steps,
            "next": StrandedStatus.targets(report.status),
        },
    )


@login_required
@require_POST
def stranded_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report: StrandedReport = get_object_or_404(
        StrandedReport.objects.restrict(request.user, "view"), pk=pk
    )
    if step not in STEPS:
        return HttpResponse(_("Unknown step."), status=404, content_type="text/plain")
    version = request.POST.get("version") or None
    try:
        if step == "assign":
            chosen = _int(request.POST.get("point"))
            point = WarmingPoint.objects.filter(pk=chosen).first() if chosen else None
            if point is None:
                raise ValidationError({"point": [_("Choose a warming point.")]})
            services.assign_point(
                acting_user=request.user, report=report, point=point, expected_version=version
            )
        elif step == "start":
            services.start_evacuation(
                acting_user=request.user, report=report, expected_version=version
            )
        elif step == "complete":
            services.complete_evacuation(
                acting_user=request.user, report=report, expected_version=version
            )
        else:
            services.close_report(
                acting_user=request.user,
                report=report,
                note=request.POST.get("note", ""),
                expected_version=version,
            )
    except Conflict as conflict:
        messages.error(request, str(conflict.detail))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("winter:stranded-detail", pk=pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, WarmingPoint)
    rows: Any = WarmingPointFilterSet(
        params,
        queryset=WarmingPoint.objects.restrict(request.user, "view").select_related(
            "region", "segment", "agency"
        ),
    ).qs
    if exports.requested(params):
        return exports.export(
            request, rows, POINT_COLUMNS, model=WarmingPoint, stem="warming-points", params=params
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "winter/point_list.html",
        {**list_context(request, WarmingPoint, params), "page": page},
    )


def _point(request: HttpRequest, pk: int) -> WarmingPoint:
    point: WarmingPoint = get_object_or_404(
        WarmingPoint.objects.restrict(request.user, "view").select_related(
            "region", "district", "segment", "agency"
        ),
        pk=pk,
    )
    return point


def _may_change(request: HttpRequest, point: WarmingPoint) -> bool:
    return user_scope(request.user, WarmingPoint, "change").covers(point.region_id)


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    reports: Any = (
        StrandedReport.objects.restrict(request.user, "view")
        .filter(point=point)
        .select_related("region")[:50]
    )
    return render(
        request,
        "winter/point_detail.html",
        {"point": point, "reports": reports, "can_change": _may_change(request, point)},
    )


@login_required
def point_occupancy(request: HttpRequest, pk: int) -> HttpResponse:
    """A page for a phone at the point: the number in it now, big − and + buttons, Save.

    A button sends a change (``step``: −10, −1, +1, +10) from the number shown; the hidden
    version (or ``If-Match``) refuses a change made from a stale page. Only the occupancy is
    written.
    """
    point = _point(request, pk)
    if not _may_change(request, point):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = OccupancyForm(request.POST)
        step = _int(request.POST.get("step"))
        expected: Any = request.POST.get("version") or versioning.parse_if_match(
            request.headers.get("If-Match")
        )
        if form.is_valid() or step is not None:
            value = (form.cleaned_data.get("occupancy") if step is None else None) or 0
            if step is not None:
                shown = _int(request.POST.get("occupancy"))
                value = (shown if shown is not None else point.occupancy) + step
            try:
                services.set_occupancy(
                    acting_user=request.user,
                    point=point,
                    occupancy=value,
                    expected_version=expected,
                )
            except Conflict as conflict:
                messages.error(request, str(conflict.detail))
                status = 412
            except ValidationError as error:
                messages.error(request, _errors(error))
                status = 400
            else:
                messages.success(request, _("Saved: %(n)s people.") % {"n": point.occupancy})
                return redirect("winter:point-occupancy", pk=pk)
        else:
            status = 400
            messages.error(request, _errors(ValidationError(form.errors)))
        point = _point(request, pk)
    return render(
        request,
        "winter/point_occupancy.html",
        {
            "point": point,
            "version": versioning.version_of(point),
            "steps": [-10, -1, 1, 10],
        },
        status=status,
    )


@login_required
def standby_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Standby)
    now = timezone.now()
    rows: Any = (
        StandbyFilterSet(
            params,
            queryset=Standby.objects.restrict(request.user, "view").select_related(
                "unit", "region", "segment"
            ),
        )
        .qs.filter(ends_at__gt=now)
        .order_by("region__name_en", "starts_at", "pk")
    )
    scope = user_scope(request.user, Standby, "view")
    chosen = params.getlist("region")
    region_ids: Any = None if scope.national else scope.region_ids
    shortfalls = [
        s for s in queries.shortfalls(now, region_ids) if not chosen or s.region.slug in chosen
    ]
    if exports.requested(params):
        return exports.export(
            request, rows, STANDBY_COLUMNS, model=Standby, stem="standby", params=params
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "winter/standby_list.html",
        {
            **list_context(request, Standby, params),
            "page": page,
            "now": now,
            "shortfalls": shortfalls,
        },
    )
