"""Road pages: the segment list, a segment with its closures and hotspots, current closures and
the route planner. Thin: scope from ``restrict``, changes through the services, routes from
``routing``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, versioning
from saqshy.core.exceptions import Conflict
from saqshy.core.exports import Column
from saqshy.roads import queries, routing, services
from saqshy.roads.choices import SEGMENT_STATUSES, SegmentStatus
from saqshy.roads.filtersets import ClosureFilterSet, SegmentFilterSet
from saqshy.roads.forms import CloseForm, RouteForm, SegmentForm
from saqshy.roads.models import Closure, Segment

PAGE_SIZE = 50


def _current(segment: Segment) -> Closure | None:
    found = getattr(segment, "current", None)
    return found[0] if found else None


SEGMENT_COLUMNS = [
    Column("#", lambda s: s.pk),
    Column(gettext_lazy("Road number"), lambda s: s.number),
    Column(gettext_lazy("Name"), lambda s: s.display_name),
    Column(gettext_lazy("From"), lambda s: s.from_label),
    Column(gettext_lazy("To"), lambda s: s.to_label),
    Column(gettext_lazy("Region"), lambda s: s.region.display_name),
    Column(gettext_lazy("Length, km"), lambda s: s.length_km),
    Column(gettext_lazy("Status"), lambda s: s.get_status_display()),
    Column(gettext_lazy("Reason"), lambda s: queries.closure_fields(_current(s))["reason_label"]),
    Column(gettext_lazy("Since"), lambda s: getattr(_current(s), "starts_at", None)),
    Column(
        gettext_lazy("Expected reopening"),
        lambda s: getattr(_current(s), "expected_reopening_at", None),
    ),
]


@login_required
def segment_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Segment)
    filters = SegmentFilterSet(
        params, queryset=Segment.objects.restrict(request.user, "view").select_related("region")
    )
    rows: Any = queries.with_current_closure(filters.qs)
    if exports.requested(params):
        return exports.export(
            request, rows, SEGMENT_COLUMNS, model=Segment, stem="road-segments", params=params
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    for segment in page:
        segment.closure = _current(segment)
    context = list_context(request, Segment, params)
    return render(
        request,
        "roads/segment_list.html",
        {
            **context,
            "page": page,
            "statuses": SEGMENT_STATUSES,
            "chosen_statuses": params.getlist("status"),
            "q": params.get("q", ""),
            "errors": filters.errors,
        },
    )


@login_required
def segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    segment: Segment = get_object_or_404(
        Segment.objects.restrict(request.user, "view").select_related("region"), pk=pk
    )
    return _detail(request, segment)


def _detail(
    request: HttpRequest,
    segment: Segment,
    close_form: CloseForm | None = None,
    edit_form: SegmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    closures: list[Closure] = list(
        Closure.objects.restrict(request.user, "view")
        .filter(segment=segment)
        .select_related("decided_by", "agency")[:50]
    )
    current = next((c for c in closures if c.ended_at is None), None)
    can_close = services.may_close(request.user, segment)
    can_edit = services.may_edit(request.user, segment)
    version = versioning.version_of(segment)
    feature = queries.segment_feature(segment, current)
    return render(
        request,
        "roads/segment_detail.html",
        {
            "segment": segment,
            "closures": closures,
            "current": current,
            "current_text": routing.closure_text(segment, current) if current else "",
            "colour": SegmentStatus.colour(segment.status),
            "can_close": can_close,
            "can_edit": can_edit,
            "close_form": close_form or CloseForm(),
            "edit_form": edit_form
            or SegmentForm(
                initial={
                    "version": version,
                    "number": segment.number,
                    "name": segment.name,
                    "name_kk": segment.name_kk,
                    "name_ru": segment.name_ru,
                }
            ),
            "feature": feature,
            "hotspots": queries.hotspots_along(segment, user=request.user),
        },
        status=status,
    )


def _segment(request: HttpRequest, pk: int) -> Segment:
    segment: Segment = get_object_or_404(
        Segment.objects.restrict(request.user, "view").select_related("region"), pk=pk
    )
    return segment


@login_required
@require_POST
def segment_close(request: HttpRequest, pk: int) -> HttpResponse:
    segment = _segment(request, pk)
    if not services.may_close(request.user, segment):
        raise PermissionDenied(_("You may not close or reopen this road."))
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, segment, close_form=form, status=400)
    data = form.cleaned_data
    try:
        services.close_segment(
            acting_user=request.user,
            segment=segment,
            status=data["status"],
            reason=data["reason"],
            restriction=data.get("restriction") or "",
            note=data.get("note") or "",
            expected_reopening_at=data.get("expected_reopening_at"),
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _detail(request, segment, close_form=form, status=400)
    messages.success(
        request,
        _("The road is closed.")
        if data["status"] == SegmentStatus.CLOSED
        else _("The road is restricted."),
    )
    return redirect("roads:segment-detail", pk=pk)


@login_required
@require_POST
def segment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    segment = _segment(request, pk)
    if not services.may_close(request.user, segment):
        raise PermissionDenied(_("You may not close or reopen this road."))
    try:
        services.reopen_segment(acting_user=request.user, segment=segment)
    except Conflict as conflict:
        messages.error(request, str(conflict.detail))
        return redirect("roads:segment-detail", pk=pk)
    messages.success(request, _("The road is open again."))
    return redirect("roads:segment-detail", pk=pk)


@login_required
@require_POST
def segment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    segment = _segment(request, pk)
    form = SegmentForm(request.POST)
    if not form.is_valid():
        return _detail(request, segment, edit_form=form, status=400)
    try:
        services.update_segment(
            acting_user=request.user,
            segment=segment,
            expected_version=form.cleaned_data.get("version") or None,
            **form.changes(),
        )
    except Conflict as conflict:
        messages.error(request, str(conflict.detail))
        return redirect("roads:segment-detail", pk=pk)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _detail(request, segment, edit_form=form, status=400)
    messages.success(request, _("The road's name and number are saved."))
    return redirect("roads:segment-detail", pk=pk)


@login_required
def closure_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Closure)
    rows: Any = ClosureFilterSet(
        params,
        queryset=Closure.objects.restrict(request.user, "view")
        .filter(ended_at__isnull=True)
        .select_related("segment__region")
        .order_by("-starts_at", "-pk"),
    ).qs
    return render(
        request,
        "roads/closure_list.html",
        {**list_context(request, Closure, params), "closures": rows},
    )


@login_required
def route_planner(request: HttpRequest) -> HttpResponse:
    choices = routing.places()
    by_key = {p.key: p for p in choices}
    form = RouteForm(request.GET or None, places=[(p.key, p.label) for p in choices])
    answer = None
    origin = destination = None
    if form.is_bound and form.is_valid():
        origin, destination = (
            by_key[form.cleaned_data["origin"]],
            by_key[form.cleaned_data["destination"]],
        )
        answer = routing.explain_route(
            (origin.lat, origin.lon),
            (destination.lat, destination.lon),
            form.cleaned_data["vehicle"],
        )
    return render(
        request,
        "roads/route.html",
        {
            "form": form,
            "answer": answer,
            "origin": origin,
            "destination": destination,
            "route_feature": (
                {"type": "Feature", "geometry": answer.geometry, "properties": {}}
                if answer is not None and answer.geometry
                else None
            ),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
