"""Fire equipment pages: thin views over the same FilterSets, queryset scope and services as
the API. A check form with a mistake is shown again with its errors and what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors, versioned
from saqshy.core.scoping import restricted, user_scope
from saqshy.equipment import services
from saqshy.equipment.choices import HydrantKind
from saqshy.equipment.filtersets import HydrantFilterSet
from saqshy.equipment.forms import EquipmentCheckForm, EquipmentForm, HydrantCheckForm, HydrantForm
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck
from saqshy.equipment.queries import nearest_operable_hydrants
from saqshy.facilities.models import Facility

# How far the facility page looks for operable hydrants (metres).
SEARCH_RADIUS_M = 2000


def _may(request: HttpRequest, model: type[Model], action: str, region_id: int | None) -> bool:
    return user_scope(request.user, model, action).covers(region_id)


# Hydrants


def _hydrants(request: HttpRequest) -> Any:
    return Hydrant.objects.restrict(request.user, "view").select_related("region")


HYDRANT_COLUMNS = [
    Column("#", lambda h: h.pk),
    Column(gettext_lazy("Number"), lambda h: h.code),
    Column(gettext_lazy("Operable"), lambda h: h.operable),
    Column(gettext_lazy("Last checked"), lambda h: h.last_checked_on),
    Column(gettext_lazy("Kind"), lambda h: h.kind_label),
    Column(gettext_lazy("Address"), lambda h: h.address),
    Column(gettext_lazy("Region"), lambda h: h.region),
    Column(gettext_lazy("Latitude"), lambda h: h.lat),
    Column(gettext_lazy("Longitude"), lambda h: h.lon),
]


@login_required
def hydrant_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Hydrant)
    filterset = HydrantFilterSet(params or None, queryset=_hydrants(request))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    ordered = queryset.order_by("region__name_en", "code", "id")
    if exports.requested(params):
        return exports.export(
            request, ordered, HYDRANT_COLUMNS, model=Hydrant, stem="hydrants", params=params
        )
    page = Paginator(ordered, 50).get_page(params.get("page"))
    return render(
        request,
        "equipment/hydrant_list.html",
        {
            **list_context(request, Hydrant, params),
            "filter": filterset,
            "page": page,
            "can_add": not user_scope(request.user, Hydrant, "add").empty,
            "kinds": HydrantKind.choices(),
            "chosen_kinds": params.getlist("kind"),
            "operable": params.get("operable", ""),
        },
    )


def _may_check_hydrant(request: HttpRequest, hydrant: Hydrant) -> bool:
    return _may(request, HydrantCheck, "add", hydrant.region_id) and _may(
        request, Hydrant, "change", hydrant.region_id
    )


def _hydrant_page(
    request: HttpRequest, hydrant: Hydrant, form: HydrantCheckForm | None = None
) -> HttpResponse:
    return render(
        request,
        "equipment/hydrant_detail.html",
        {
            "hydrant": hydrant,
            "checks": restricted(request.user, hydrant.checks).select_related("checked_by")[:50],
            "can_change": _may(request, Hydrant, "change", hydrant.region_id),
            "can_check": _may_check_hydrant(request, hydrant),
            "form": form or HydrantCheckForm(initial={"checked_on": timezone.localdate()}),
        },
    )


@login_required
def hydrant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _hydrant_page(request, get_object_or_404(_hydrants(request), pk=pk))


@login_required
@require_POST
def hydrant_check(request: HttpRequest, pk: int) -> HttpResponse:
    hydrant = get_object_or_404(_hydrants(request), pk=pk)
    if not _may_check_hydrant(request, hydrant):
        raise PermissionDenied(_("Your role does not let you record checks here."))
    form = HydrantCheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = call_showing_errors(
            form,
            lambda: services.record_hydrant_check(
                acting_user=request.user, hydrant=hydrant, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("Check recorded."))
            return redirect("equipment:hydrant-detail", pk=hydrant.pk)
    return _hydrant_page(request, hydrant, form)


def _save_hydrant(request: HttpRequest, form: HydrantForm, hydrant: Hydrant | None) -> Any:
    data = dict(form.cleaned_data)
    if hydrant is None:
        return call_showing_errors(
            form, lambda: services.create_hydrant(acting_user=request.user, **data)
        )
    return call_showing_errors(
        form,
        versioned(
            form,
            hydrant,
            lambda fresh: services.update_hydrant(acting_user=request.user, hydrant=fresh, **data),
        ),
    )


@login_required
def hydrant_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Hydrant, "add").empty:
        raise PermissionDenied(_("Your role does not let you add hydrants."))
    form = HydrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save_hydrant(request, form, None)
        if saved is not None:
            messages.success(request, _("Hydrant added."))
            return redirect("equipment:hydrant-detail", pk=saved.pk)
    return render(request, "equipment/hydrant_form.html", {"form": form, "hydrant": None})


@login_required
def hydrant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hydrant = get_object_or_404(_hydrants(request), pk=pk)
    if not _may(request, Hydrant, "change", hydrant.region_id):
        raise PermissionDenied(_("You may view this hydrant but not change it."))
    form = HydrantForm(request.POST or None, instance=hydrant)
    if request.method == "POST" and form.is_valid():
        saved = _save_hydrant(request, form, Hydrant.objects.get(pk=hydrant.pk))
        if saved is not None:
            messages.success(request, _("Hydrant saved."))
            return redirect("equipment:hydrant-detail", pk=saved.pk)
    return render(request, "equipment/hydrant_form.html", {"form": form, "hydrant": hydrant})


# A facility's equipment


def _facility(request: HttpRequest, pk: int) -> Facility:
    visible: Any = Facility.objects.restrict(request.user, "view").select_related("region")
    facility: Facility = get_object_or_404(visible, pk=pk)
    if user_scope(request.user, FacilityEquipment, "view").empty:
        raise PermissionDenied(_("Your role does not let you see fire equipment."))
    return facility


def _facility_page(
    request: HttpRequest,
    facility: Facility,
    *,
    add_form: EquipmentForm | None = None,
    failed_check: tuple[int, EquipmentCheckForm] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    items: list[FacilityEquipment] = list(
        FacilityEquipment.objects.restrict(request.user, "view")
        .filter(facility=facility)
        .order_by("kind", "id")
    )
    can_check = _may(request, EquipmentCheck, "add", facility.region_id) and _may(
        request, FacilityEquipment, "change", facility.region_id
    )
    rows = []
    for item in items:
        check_form = None
        if failed_check is not None and failed_check[0] == item.pk:
            check_form = failed_check[1]
        elif can_check:
            check_form = EquipmentCheckForm(
                prefix=f"check-{item.pk}", initial={"checked_on": today}
            )
        rows.append({"item": item, "overdue": item.is_overdue(today), "check_form": check_form})
    hydrants = nearest_operable_hydrants(
        facility, k=3, max_m=SEARCH_RADIUS_M, hydrants=Hydrant.objects.restrict(request.user)
    )
    return render(
        request,
        "equipment/facility.html",
        {
            "facility": facility,
            "rows": rows,
            "hydrants": hydrants,
            "search_radius_m": SEARCH_RADIUS_M,
            "can_add": _may(request, FacilityEquipment, "add", facility.region_id),
            "can_change": _may(request, FacilityEquipment, "change", facility.region_id),
            "can_check": can_check,
            "add_form": add_form or EquipmentForm(prefix="add"),
        },
    )


@login_required
def facility_equipment(request: HttpRequest, pk: int) -> HttpResponse:
    return _facility_page(request, _facility(request, pk))


@login_required
@require_POST
def equipment_add(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility(request, pk)
    if not _may(request, FacilityEquipment, "add", facility.region_id):
        raise PermissionDenied(_("Your role does not let you add equipment here."))
    form = EquipmentForm(request.POST, prefix="add")
    if form.is_valid():
        data = form.cleaned_data
        saved = call_showing_errors(
            form,
            lambda: services.create_equipment(acting_user=request.user, facility=facility, **data),
        )
        if saved is not None:
            messages.success(request, _("Equipment added."))
            return redirect("equipment:facility", pk=facility.pk)
    return _facility_page(request, facility, add_form=form)


def _equipment(request: HttpRequest, pk: int) -> FacilityEquipment:
    visible: Any = FacilityEquipment.objects.restrict(request.user, "view").select_related(
        "facility", "facility__region"
    )
    equipment: FacilityEquipment = get_object_or_404(visible, pk=pk)
    return equipment


@login_required
@require_POST
def equipment_check(request: HttpRequest, pk: int) -> HttpResponse:
    equipment = _equipment(request, pk)
    region_id = equipment.facility.region_id
    if not (
        _may(request, EquipmentCheck, "add", region_id)
        and _may(request, FacilityEquipment, "change", region_id)
    ):
        raise PermissionDenied(_("Your role does not let you record checks here."))
    form = EquipmentCheckForm(request.POST, prefix=f"check-{equipment.pk}")
    if form.is_valid():
        data = form.cleaned_data
        saved = call_showing_errors(
            form,
            lambda: services.record_equipment_check(
                acting_user=request.user, equipment=equipment, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("Check recorded."))
            return redirect("equipment:facility", pk=equipment.facility_id)
    return _facility_page(request, equipment.facility, failed_check=(equipment.pk, form))


@login_required
def equipment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    equipment = _equipment(request, pk)
    if not _may(request, FacilityEquipment, "change", equipment.facility.region_id):
        raise PermissionDenied(_("You may view this equipment but not change it."))
    form = EquipmentForm(request.POST or None, instance=equipment)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = call_showing_errors(
            form,
            versioned(
                form,
                FacilityEquipment.objects.get(pk=equipment.pk),
                lambda fresh: services.update_equipment(
                    acting_user=request.user, equipment=fresh, **data
                ),
            ),
        )
        if saved is not None:
            messages.success(request, _("Equipment saved."))
            return redirect("equipment:facility", pk=equipment.facility_id)
    return render(request, "equipment/equipment_form.html", {"form": form, "equipment": equipment})
