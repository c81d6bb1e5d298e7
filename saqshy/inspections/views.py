"""Fire-safety pages: a facility's clearance, its violations, and recording a visit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import audit, exports
from saqshy.core.exports import Column
from saqshy.core.scoping import restricted, user_scope
from saqshy.core.views import run_service
from saqshy.facilities.models import Facility
from saqshy.inspections import photos as photo_rules
from saqshy.inspections import services
from saqshy.inspections.choices import Severity, ViolationStatus
from saqshy.inspections.filtersets import (
    BriefingFilterSet,
    DrillFilterSet,
    InspectionFilterSet,
    ViolationFilterSet,
)
from saqshy.inspections.forms import BriefingForm, DateForm, DrillForm
from saqshy.inspections.models import (
    Briefing,
    ChecklistItem,
    Drill,
    Inspection,
    InspectionPhoto,
    Violation,
)
from saqshy.inspections.queries import clearance_of


def _facility(request: HttpRequest, pk: int) -> Facility:
    visible: Any = Facility.objects.restrict(request.user, "view").select_related("region")
    return get_object_or_404(visible, pk=pk)


def _may(request: HttpRequest, action: str, facility: Facility) -> bool:
    return user_scope(request.user, Inspection, action).covers(facility.region_id)


VIOLATION_COLUMNS = [
    Column("#", lambda v: v.pk),
    Column(gettext_lazy("Deadline"), lambda v: v.deadline),
    Column(gettext_lazy("Facility"), lambda v: v.facility),
    Column(gettext_lazy("Region"), lambda v: v.facility.region),
    Column(gettext_lazy("Severity"), lambda v: v.get_severity_display()),
    Column(gettext_lazy("Description"), lambda v: v.description),
    Column(gettext_lazy("Status"), lambda v: v.get_status_display()),
]


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    visible: Any = Violation.objects.restrict(request.user, "view").select_related(
        "facility", "facility__region", "item"
    )
    data = list_params(request, Violation)
    if "status" not in data:
        data.setlist("status", [ViolationStatus.OPEN, ViolationStatus.ELIMINATED])
    filterset = ViolationFilterSet(data, queryset=visible)
    ordered = filterset.qs.order_by("deadline", "id")
    if exports.requested(data):
        return exports.export(
            request, ordered, VIOLATION_COLUMNS, model=Violation, stem="violations", params=data
        )
    page = Paginator(ordered, 50).get_page(data.get("page"))
    return render(
        request,
        "inspections/violations.html",
        {
            **list_context(request, Violation, data),
            "page": page,
            "today": timezone.localdate(),
            "statuses": ViolationStatus.choices(),
            "severities": Severity.choices(),
            "chosen": {k: data.getlist(k) for k in ("status", "severity")},
        },
    )


def _uploads(request: HttpRequest) -> list[services.PhotoUpload]:
    return [services.PhotoUpload(f, f.size or 0) for f in request.FILES.getlist("photos")]


@login_required
def facility_safety(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility(request, pk)
    today = timezone.localdate()
    violations = list(
        restricted(request.user, facility.violations)
        .select_related("item")
        .order_by("status", "deadline")
    )
    photos: Any = restricted(request.user, InspectionPhoto.objects).filter(
        inspection__facility=facility
    )
    by_violation: dict[int, list[InspectionPhoto]] = {}
    by_inspection: dict[int, list[InspectionPhoto]] = {}
    for photo in photos.select_related("inspection").order_by("-inspection__inspected_on", "id"):
        if photo.violation_id:
            by_violation.setdefault(photo.violation_id, []).append(photo)
        by_inspection.setdefault(photo.inspection_id, []).append(photo)
    for violation in violations:
        found_in = [p for p in by_inspection.get(violation.inspection_id, []) if not p.violation_id]
        violation.evidence = found_in + by_violation.get(violation.pk, [])
        violation.verify_refusal = services.verification_refusal(request.user, violation)
    inspections = list(
        restricted(request.user, facility.inspections).select_related("inspector")[:10]
    )
    for inspection in inspections:
        inspection.evidence = by_inspection.get(inspection.pk, [])
    return render(
        request,
        "inspections/facility.html",
        {
            "facility": facility,
            "clearance": clearance_of(facility.pk, today, region_id=facility.region_id),
            "violations": violations,
            "inspections": inspections,
            "max_photo_mb": photo_rules.MAX_UPLOAD_BYTES // 2**20,
            "briefings": restricted(request.user, facility.briefings)[:10],
            "drills": restricted(request.user, facility.drills)[:10],
            "checklist": ChecklistItem.objects.filter(active=True),
            "can_record": _may(request, "add", facility),
            "can_change": _may(request, "change", facility),
            "date_form": DateForm(),
            "briefing_form": BriefingForm(initial={"held_on": today}),
            "drill_form": DrillForm(initial={"held_on": today, "norm_seconds": 480}),
            "today": today,
        },
    )


@login_required
@require_POST
def record_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility(request, pk)
    if not _may(request, "add", facility):
        raise PermissionDenied(_("Your role does not let you record inspections here."))
    results = []
    for item in ChecklistItem.objects.filter(active=True):
        verdict = request.POST.get(f"item-{item.code}", "")
        if verdict in {"pass", "fail"}:
            note = request.POST.get(f"note-{item.code}", "")
            results.append(services.ItemResult(item, verdict == "pass", note))
    form = DateForm(request.POST)
    inspected_on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    run_service(
        request,
        lambda: services.record_inspection(
            acting_user=request.user,
            facility=facility,
            inspected_on=inspected_on,
            results=results,
            photos=_uploads(request),
        ),
        _("Inspection recorded."),
    )
    return redirect("inspections:facility", pk=facility.pk)


@login_required
@require_POST
def violation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visible: Any = Violation.objects.restrict(request.user, "view").select_related("facility")
    violation = get_object_or_404(visible, pk=pk)
    if not _may(request, "change", violation.facility) or action not in {"eliminate", "verify"}:
        raise PermissionDenied(_("Your role does not allow this."))
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date."))
        return redirect("inspections:facility", pk=violation.facility_id)
    on, note = form.cleaned_data["on"], form.cleaned_data["note"]

    def call() -> Any:
        if action == "eliminate":
            return services.mark_eliminated(
                acting_user=request.user,
                violation=violation,
                eliminated_on=on,
                note=note,
                photos=_uploads(request),
            )
        return services.verify_eliminations(
            acting_user=request.user,
            facility=violation.facility,
            inspected_on=on,
            violations=[violation],
            notes=note,
        )

    refusal = services.verification_refusal(request.user, violation) if action == "verify" else ""
    if refusal:
        # Refused outright, not flashed: the same answer as the API (403 with the reason).
        return render(
            request,
            "inspections/refused.html",
            {"reason": refusal, "facility": violation.facility},
            status=403,
        )
    done = (
        _("Violation marked eliminated; it still blocks until verified.")
        if action == "eliminate"
        else _("Elimination verified in a re-inspection.")
    )
    run_service(request, call, done)
    return redirect("inspections:facility", pk=violation.facility_id)


@login_required
@require_POST
def add_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    facility = _facility(request, pk)
    if not _may(request, "add", facility) or kind not in {"briefing", "drill"}:
        raise PermissionDenied(_("Your role does not allow this."))
    form: Any = BriefingForm(request.POST) if kind == "briefing" else DrillForm(request.POST)
    if form.is_valid():
        service = services.record_briefing if kind == "briefing" else services.record_drill
        run_service(
            request,
            lambda: service(acting_user=request.user, facility=facility, **form.cleaned_data),
            _("Saved."),
        )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("inspections:facility", pk=facility.pk)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of evidence, only to those who may see its inspection; every view is audited."""
    visible: Any = InspectionPhoto.objects.restrict(request.user, "view").select_related(
        "inspection__facility"
    )
    found = get_object_or_404(visible, pk=pk)
    audit.record_read(acting_user=request.user, instances=[found], via="inspections:photo")
    try:
        handle = found.image.open("rb")
    except FileNotFoundError:
        raise Http404(_("The photo file is missing.")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="photo-{found.pk}.jpg"'
    return response


def _record_detail(record: Any) -> Any:
    if isinstance(record, Inspection):
        return gettext_lazy("re-inspection") if record.is_reinspection else ""
    if isinstance(record, Briefing):
        return f"{record.topic} · {record.participants}"
    return f"{record.people_evacuated} · {record.evacuation_seconds} / {record.norm_seconds} s"


RECORD_COLUMNS = [
    Column("#", lambda r: r.pk),
    Column(
        gettext_lazy("Date"), lambda r: r.inspected_on if isinstance(r, Inspection) else r.held_on
    ),
    Column(gettext_lazy("Facility"), lambda r: r.facility),
    Column(gettext_lazy("Region"), lambda r: r.facility.region),
    Column(gettext_lazy("Details"), _record_detail),
]

RECORD_LISTS: dict[str, tuple[Any, Any, str, Any]] = {
    "inspections": (Inspection, InspectionFilterSet, "-inspected_on", gettext_lazy("Inspections")),
    "briefings": (Briefing, BriefingFilterSet, "-held_on", gettext_lazy("Staff briefings")),
    "drills": (Drill, DrillFilterSet, "-held_on", gettext_lazy("Evacuation drills")),
}


@login_required
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    """Inspections, briefings or drills in the user's scope, filtered like the API."""
    if kind not in RECORD_LISTS:
        raise Http404(_("No such list."))
    model, filterset_class, order, title = RECORD_LISTS[kind]
    visible: Any = model.objects.restrict(request.user, "view").select_related(
        "facility", "facility__region"
    )
    params = list_params(request, model)
    filterset = filterset_class(params or None, queryset=visible)
    queryset = filterset.qs if filterset.is_bound else visible
    ordered = queryset.order_by(order, "-id")
    if exports.requested(params):
        return exports.export(
            request, ordered, RECORD_COLUMNS, model=model, stem=kind, params=params
        )
    page = Paginator(ordered, 50).get_page(params.get("page"))
    return render(
        request,
        "inspections/records.html",
        {
            **list_context(request, model, params),
            "kind": kind,
            "title": title,
            "page": page,
            "filter": filterset,
        },
    )
