"""Facility pages: thin views over the same FilterSet, queryset scope and services as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, versioning
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors
from saqshy.core.scoping import user_scope
from saqshy.facilities import services
from saqshy.facilities.choices import CapacitySource, FacilityKind
from saqshy.facilities.filtersets import FacilityFilterSet
from saqshy.facilities.forms import FacilityForm
from saqshy.facilities.models import Facility


def _visible(request: HttpRequest) -> Any:
    return Facility.objects.restrict(request.user, "view").select_related("region")


COLUMNS = [
    Column("#", lambda f: f.pk),
    Column(gettext_lazy("Name"), str),
    Column(gettext_lazy("Kind"), lambda f: f.kind_label),
    Column(gettext_lazy("Region"), lambda f: f.region),
    Column(gettext_lazy("Address"), lambda f: f.address),
    Column(gettext_lazy("Capacity"), lambda f: f.capacity),
    Column(gettext_lazy("Latitude"), lambda f: f.lat),
    Column(gettext_lazy("Longitude"), lambda f: f.lon),
]


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Facility)
    filterset = FacilityFilterSet(params or None, queryset=_visible(request))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    unnamed_last = Case(When(name="", then=Value(1)), default=Value(0))
    # The list and its exports show no footprint: it stays unread (the detail draws it).
    ordered = queryset.defer(*Facility.outline_fields).order_by(
        "region__name_en", unnamed_last, "name", "id"
    )
    if exports.requested(params):
        return exports.export(
            request, ordered, COLUMNS, model=Facility, stem="facilities", params=params
        )
    page = Paginator(ordered, 50).get_page(params.get("page"))
    return render(
        request,
        "facilities/list.html",
        {
            **list_context(request, Facility, params),
            "filter": filterset,
            "page": page,
            "can_add": not user_scope(request.user, Facility, "add").empty,
            "kinds": FacilityKind.choices(),
            "chosen_kinds": params.getlist("kind"),
        },
    )


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(_visible(request), pk=pk)
    can_change = user_scope(request.user, Facility, "change").covers(facility.region_id)
    return render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "can_change": can_change,
            "capacity_source": CapacitySource.label(facility.capacity_source),
        },
    )


def _save(request: HttpRequest, form: FacilityForm, facility: Facility | None) -> Facility | None:
    data = dict(form.cleaned_data)
    data.pop("version", None)

    def save() -> Facility:
        if facility is None:
            return services.create_facility(acting_user=request.user, **data)
        with transaction.atomic():
            fresh = versioning.guard(facility, form.expected_version())
            if fresh.capacity != data.get("capacity"):
                data["capacity_source"] = CapacitySource.MANUAL if data.get("capacity") else ""
            return services.update_facility(acting_user=request.user, facility=fresh, **data)

    return call_showing_errors(
        form, save, refused=_("You may not save a facility at this location.")
    )


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(_visible(request), pk=pk)
    if not user_scope(request.user, Facility, "change").covers(facility.region_id):
        raise PermissionDenied(_("You may view this facility but not change it."))
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        fresh = Facility.objects.get(pk=facility.pk)
        saved = _save(request, form, fresh)
        if saved is not None:
            messages.success(request, _("Facility saved."))
            return redirect("facilities:detail", pk=saved.pk)
    return render(request, "facilities/edit.html", {"form": form, "facility": facility})


@login_required
def facility_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Facility, "add").empty:
        raise PermissionDenied(_("Your role does not let you add facilities."))
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("Facility added."))
            return redirect("facilities:detail", pk=saved.pk)
    return render(request, "facilities/edit.html", {"form": form, "facility": None})
