"""Pyrotechnics pages: thin views over the same FilterSets, scope and services as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors, versioned
from saqshy.core.scoping import restricted, restricted_prefetch, user_scope
from saqshy.pyrotechnics import queries, services
from saqshy.pyrotechnics.choices import OutletKind, RaidStatus, VisitResult
from saqshy.pyrotechnics.filtersets import OutletFilterSet, RaidFilterSet, SeizureFilterSet
from saqshy.pyrotechnics.forms import (
    OutletForm,
    RaidForm,
    RaidStatusForm,
    SeizureForm,
    SeizureLineFormSet,
    TotalsFilterForm,
    VisitResultForm,
)
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, Seizure, SeizureLine

T = TypeVar("T")
PAGE_SIZE = 50


def _can(request: HttpRequest, model: type[Any], action: str, region_id: int | None = None) -> bool:
    scope = user_scope(request.user, model, action)
    return not scope.empty if region_id is None else scope.covers(region_id)


def _listing(
    request: HttpRequest, params: Any, filterset: Any, ordering: tuple[str, ...]
) -> dict[str, Any]:
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset.order_by(*ordering), PAGE_SIZE).get_page(params.get("page"))
    return {
        **list_context(request, filterset.queryset.model, params),
        "filter": filterset,
        "page": page,
    }


def _export(
    request: HttpRequest, params: Any, filterset: Any, ordering: tuple[str, ...], **kwargs: Any
) -> HttpResponse:
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    return exports.export(
        request, queryset.order_by(*ordering), model=queryset.model, params=params, **kwargs
    )


OUTLET_COLUMNS = [
    Column("#", lambda o: o.pk),
    Column(gettext_lazy("Name"), str),
    Column(gettext_lazy("certificate or licence number"), lambda o: o.certificate_number),
    Column(gettext_lazy("certificate expiry date"), lambda o: o.certificate_expires),
    Column(gettext_lazy("Certificate expired"), lambda o: o.certificate_expired),
    Column(gettext_lazy("Kind"), lambda o: o.kind_label),
    Column(gettext_lazy("Region"), lambda o: o.region),
    Column(gettext_lazy("Address"), lambda o: o.address),
    Column(gettext_lazy("Active"), lambda o: o.active),
]
RAID_COLUMNS = [
    Column("#", lambda r: r.pk),
    Column(gettext_lazy("Planned date"), lambda r: r.planned_on),
    Column(gettext_lazy("Status"), lambda r: r.status_label),
    Column(gettext_lazy("Region"), lambda r: r.region),
    Column(gettext_lazy("Team"), lambda r: r.team),
    Column(gettext_lazy("Agency"), lambda r: r.agency),
    Column(gettext_lazy("Outlets"), lambda r: len(r.visible_visits)),
]


def _total(key: str) -> Callable[[Any], Any]:
    return lambda seizure: seizure.line_totals()[key]


SEIZURE_COLUMNS = [
    Column("#", lambda s: s.pk),
    Column(gettext_lazy("Date seized"), lambda s: s.seized_on),
    Column(gettext_lazy("Outlet"), lambda s: s.outlet),
    Column(gettext_lazy("Region"), lambda s: s.region),
    Column(gettext_lazy("Raid"), lambda s: s.raid),
    Column(gettext_lazy("Uncertified units"), _total("units_uncertified")),
    Column(gettext_lazy("Uncertified boxes"), _total("boxes_uncertified")),
    Column(gettext_lazy("Certified units"), _total("units_certified")),
    Column(gettext_lazy("Certified boxes"), _total("boxes_certified")),
]
OUTLET_ORDER = ("region__name_en", "name", "id")
RAID_ORDER = ("-planned_on", "-id")
SEIZURE_ORDER = ("-seized_on", "-id")


# Overview


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    regions = queries.regions_in_scope(request.user)
    if not regions.exists():
        raise PermissionDenied(_("You have no access to pyrotechnics records."))
    form = TotalsFilterForm(request.GET or None, regions=regions)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = queries.totals(request.user, **params) if not form.errors else []
    return render(
        request,
        "pyrotechnics/overview.html",
        {
            "form": form,
            "rows": rows,
            "total": queries.sum_totals(rows),
            "can_add_seizure": _can(request, Seizure, "add"),
        },
    )


# Outlets


def _outlets(request: HttpRequest) -> Any:
    return Outlet.objects.restrict(request.user, "view").select_related("region", "facility")


@login_required
def outlet_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Outlet)
    filterset = OutletFilterSet(params or None, queryset=_outlets(request))
    if exports.requested(params):
        return _export(
            request, params, filterset, OUTLET_ORDER, columns=OUTLET_COLUMNS, stem="outlets"
        )
    context = _listing(request, params, filterset, OUTLET_ORDER)
    context.update(
        {
            "can_add": _can(request, Outlet, "add"),
            "kinds": OutletKind.choices(),
            "chosen_kinds": params.getlist("kind"),
            "expired": params.get("expired", ""),
        }
    )
    return render(request, "pyrotechnics/outlet_list.html", context)


@login_required
def outlet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(_outlets(request), pk=pk)
    visits: QuerySet[RaidVisit] = (
        RaidVisit.objects.restrict(request.user, "view")
        .filter(outlet=outlet)
        .select_related("raid")
        .order_by("-raid__planned_on", "-id")
    )
    seizures: QuerySet[Seizure] = (
        Seizure.objects.restrict(request.user, "view")
        .filter(outlet=outlet)
        .prefetch_related(restricted_prefetch(request.user, "lines", SeizureLine.objects.all()))
        .order_by("-seized_on", "-id")
    )
    return render(
        request,
        "pyrotechnics/outlet_detail.html",
        {
            "outlet": outlet,
            "visits": visits,
            "seizures": seizures,
            "can_change": _can(request, Outlet, "change", outlet.region_id),
            "can_add_seizure": _can(request, Seizure, "add", outlet.region_id),
        },
    )


def _outlet_form(request: HttpRequest, outlet: Outlet | None) -> HttpResponse:
    form = OutletForm(request.POST or None, instance=outlet, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if outlet is None:
            saved = call_showing_errors(
                form,
                lambda: services.create_outlet(acting_user=request.user, **data),
                _("You may not add an outlet at this location."),
            )
        else:
            saved = call_showing_errors(
                form,
                versioned(
                    form,
                    outlet,
                    lambda fresh: services.update_outlet(
                        acting_user=request.user, outlet=fresh, **data
                    ),
                ),
                _("You may not move the outlet to this location."),
            )
        if saved is not None:
            messages.success(request, _("Outlet saved."))
            return redirect("pyrotechnics:outlet-detail", pk=saved.pk)
    return render(request, "pyrotechnics/outlet_form.html", {"form": form, "outlet": outlet})


@login_required
def outlet_create(request: HttpRequest) -> HttpResponse:
    if not _can(request, Outlet, "add"):
        raise PermissionDenied(_("Your role does not let you add outlets."))
    return _outlet_form(request, None)


@login_required
def outlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(_outlets(request), pk=pk)
    if not _can(request, Outlet, "change", outlet.region_id):
        raise PermissionDenied(_("You may view this outlet but not change it."))
    return _outlet_form(request, outlet)


# Raids


def _raids(request: HttpRequest) -> Any:
    return Raid.objects.restrict(request.user, "view").select_related("region", "agency")


@login_required
def raid_list(request: HttpRequest) -> HttpResponse:
    raids = _raids(request).prefetch_related(
        restricted_prefetch(
            request.user, "visits", RaidVisit.objects.all(), to_attr="visible_visits"
        )
    )
    params = list_params(request, Raid)
    filterset = RaidFilterSet(params or None, queryset=raids)
    if exports.requested(params):
        return _export(request, params, filterset, RAID_ORDER, columns=RAID_COLUMNS, stem="raids")
    context = _listing(request, params, filterset, RAID_ORDER)
    context.update(
        {
            "can_add": _can(request, Raid, "add"),
            "statuses": RaidStatus.choices(),
            "chosen_statuses": params.getlist("status"),
        }
    )
    return render(request, "pyrotechnics/raid_list.html", context)


@login_required
def raid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visits = RaidVisit.objects.select_related("outlet").order_by("outlet__name", "id")
    raid = get_object_or_404(
        _raids(request).prefetch_related(
            restricted_prefetch(request.user, "visits", visits, to_attr="visible_visits")
        ),
        pk=pk,
    )
    return render(
        request,
        "pyrotechnics/raid_detail.html",
        {
            "raid": raid,
            "seizures": Seizure.objects.restrict(request.user, "view")
            .filter(raid=raid)
            .select_related("outlet")
            .prefetch_related(
                restricted_prefetch(request.user, "lines", SeizureLine.objects.all())
            ),
            "can_change": _can(request, Raid, "change", raid.region_id),
            "can_record": _can(request, RaidVisit, "change", raid.region_id)
            and raid.status != RaidStatus.CANCELLED,
            "can_add_seizure": _can(request, Seizure, "add", raid.region_id),
            "results": VisitResult.choices(),
            "status_form": RaidStatusForm(initial={"status": raid.status}),
        },
    )


def _raid_form(request: HttpRequest, raid: Raid | None) -> HttpResponse:
    form = RaidForm(request.POST or None, instance=raid, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        outlets = list(data.pop("outlets"))
        if raid is None:
            saved = call_showing_errors(
                form,
                lambda: services.create_raid(acting_user=request.user, outlets=outlets, **data),
                _("You may not plan a raid in this region."),
            )
        else:
            saved = call_showing_errors(
                form,
                versioned(
                    form,
                    raid,
                    lambda fresh: services.update_raid(
                        acting_user=request.user, raid=fresh, outlets=outlets, **data
                    ),
                ),
                _("You may not move the raid to this region."),
            )
        if saved is not None:
            messages.success(request, _("Raid saved."))
            return redirect("pyrotechnics:raid-detail", pk=saved.pk)
    return render(request, "pyrotechnics/raid_form.html", {"form": form, "raid": raid})


@login_required
def raid_create(request: HttpRequest) -> HttpResponse:
    if not _can(request, Raid, "add"):
        raise PermissionDenied(_("Your role does not let you plan raids."))
    return _raid_form(request, None)


@login_required
def raid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raid = get_object_or_404(_raids(request), pk=pk)
    if not _can(request, Raid, "change", raid.region_id):
        raise PermissionDenied(_("You may view this raid but not change it."))
    return _raid_form(request, raid)


@login_required
@require_POST
def raid_status(request: HttpRequest, pk: int) -> HttpResponse:
    raid = get_object_or_404(_raids(request), pk=pk)
    form = RaidStatusForm(request.POST)
    if form.is_valid():
        saved = call_showing_errors(
            form,
            lambda: services.update_raid(
                acting_user=request.user, raid=raid, status=form.cleaned_data["status"]
            ),
            _("You may not change this raid."),
        )
        if saved is not None:
            messages.success(request, _("Raid status saved."))
            return redirect("pyrotechnics:raid-detail", pk=raid.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(str(message) for message in error))
    return redirect("pyrotechnics:raid-detail", pk=raid.pk)


@login_required
@require_POST
def visit_result(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    raid = get_object_or_404(_raids(request), pk=pk)
    visits = restricted(request.user, raid.visits).select_related("outlet", "raid")
    visit = get_object_or_404(visits, pk=visit_pk)
    form = VisitResultForm(request.POST)
    if form.is_valid():
        saved = call_showing_errors(
            form,
            lambda: services.record_visit_result(
                acting_user=request.user,
                visit=visit,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            ),
            _("You may not record results of this raid."),
        )
        if saved is not None:
            messages.success(
                request, _("Result recorded for %(outlet)s.") % {"outlet": visit.outlet}
            )
            return redirect("pyrotechnics:raid-detail", pk=raid.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(str(message) for message in error))
    return redirect("pyrotechnics:raid-detail", pk=raid.pk)


# Seizures


def _seizures(request: HttpRequest) -> Any:
    return (
        Seizure.objects.restrict(request.user, "view")
        .select_related("region", "outlet", "raid")
        .prefetch_related(restricted_prefetch(request.user, "lines", SeizureLine.objects.all()))
    )


@login_required
def seizure_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Seizure)
    filterset = SeizureFilterSet(params or None, queryset=_seizures(request))
    if exports.requested(params):
        return _export(
            request, params, filterset, SEIZURE_ORDER, columns=SEIZURE_COLUMNS, stem="seizures"
        )
    context = _listing(request, params, filterset, SEIZURE_ORDER)
    context["can_add"] = _can(request, Seizure, "add")
    return render(request, "pyrotechnics/seizure_list.html", context)


@login_required
def seizure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seizure = get_object_or_404(_seizures(request), pk=pk)
    lines = restricted(request.user, seizure.lines)
    return render(request, "pyrotechnics/seizure_detail.html", {"seizure": seizure, "lines": lines})


@login_required
def seizure_create(request: HttpRequest) -> HttpResponse:
    if not _can(request, Seizure, "add"):
        raise PermissionDenied(_("Your role does not let you record seizures."))
    initial = {key: request.GET[key] for key in ("outlet", "raid") if request.GET.get(key)}
    form = SeizureForm(request.POST or None, initial=initial, user=request.user)
    lines = SeizureLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        rows = [line.cleaned_data for line in lines if line.has_changed() and line.cleaned_data]
        saved = call_showing_errors(
            form,
            lambda: services.record_seizure(
                acting_user=request.user, **form.cleaned_data, lines=rows
            ),
            _("You may not record a seizure at this outlet."),
        )
        if saved is not None:
            messages.success(request, _("Seizure recorded."))
            return redirect("pyrotechnics:seizure-detail", pk=saved.pk)
    return render(request, "pyrotechnics/seizure_form.html", {"form": form, "lines": lines})
