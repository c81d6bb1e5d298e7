"""Trip pages: the list with a clear 'no escort' badge, the detail with the escort and its
conflicts, the approve button or the reason it is refused, and the escort's status buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import User
from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports
from saqshy.core.exports import Column
from saqshy.core.importing import import_page
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.facilities.models import Facility
from saqshy.geocoding.queries import describe_point
from saqshy.incidents.models import Unit
from saqshy.trips import importer, queries, services
from saqshy.trips.choices import TripStatus
from saqshy.trips.filtersets import TripFilterSet
from saqshy.trips.forms import EscortForm, TripForm
from saqshy.trips.models import Trip


def _visible(request: HttpRequest) -> Any:
    return queries.with_escort(Trip.objects.restrict(request.user, "view"))


def _escort(check: queries.EscortCheck) -> Any:
    if check.escort is None:
        return gettext_lazy("no escort")
    return check.escort["name"] if check.free else f"{check.escort['name']} — {_('busy')}"


COLUMNS = [
    Column("#", lambda row: row[0].pk),
    Column(gettext_lazy("Departure"), lambda row: row[0].departs_at),
    Column(gettext_lazy("Organiser"), lambda row: row[0].organiser),
    Column(gettext_lazy("Destination"), lambda row: row[0].destination_name),
    Column(gettext_lazy("Region"), lambda row: row[0].region),
    Column(gettext_lazy("Children"), lambda row: row[0].children_count),
    Column(gettext_lazy("Status"), lambda row: row[0].get_status_display()),
    Column(gettext_lazy("Escort"), lambda row: _escort(row[1])),
]


@login_required
def trip_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Trip)
    filterset = TripFilterSet(params or None, queryset=_visible(request))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    ordered = queryset.select_related("region").order_by("departs_at", "id")
    if exports.requested(params):
        trips = list(ordered[: exports.MAX_ROWS + 1])
        checks = queries.evaluate(trips)
        rows = [(trip, checks[trip.pk]) for trip in trips]
        return exports.export(request, rows, COLUMNS, model=Trip, stem="trips", params=params)
    page = Paginator(ordered, 50).get_page(params.get("page"))
    checks = queries.evaluate(list(page))
    return render(
        request,
        "trips/list.html",
        {
            **list_context(request, Trip, params),
            "filter": filterset,
            "page": page,
            "rows": [(trip, checks[trip.pk]) for trip in page],
            "statuses": TripStatus.choices(),
            "chosen": {"status": params.getlist("status")},
            "can_add": not user_scope(request.user, Trip, "add").empty,
        },
    )


def _approval_blocker(trip: Trip, check: queries.EscortCheck) -> str:
    """Why the approve button would be refused, in the words the service uses (or '')."""
    if check.escort is None:
        return _("No police escort is assigned.")
    if not check.free:
        return _("The escort %(escort)s is not free.") % {"escort": check.escort["name"]}
    return ""


def _escort_choices(request: HttpRequest, trip: Trip) -> tuple[Any, Any]:
    persons = queries.escort_persons(request.user, trip)
    units: Any = (
        Unit.objects.restrict(request.user, "view")
        .filter(agency__kind=AgencyKind.POLICE, region_id=trip.region_id)
        .select_related("agency")
        .order_by("call_sign")
    )
    return persons, units


@login_required
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(_visible(request), pk=pk)
    check = queries.evaluate([trip])[trip.pk]
    # Approval counts only trips that have taken the escort; the page shows all holdings.
    approval = queries.check(
        [(trip, queries.escort_of(trip.assigned_escort))], holding=TripStatus.TAKES_ESCORT
    )[trip.pk]
    region = trip.region_id
    can_approve = user_scope(request.user, Trip, "approve").covers(region)
    persons, units = _escort_choices(request, trip)
    return render(
        request,
        "trips/detail.html",
        {
            "trip": trip,
            "check": check,
            "blocker": _approval_blocker(trip, approval),
            "approval_conflicts": approval.conflicts,
            "status_label": TripStatus.label(trip.status),
            "can_change": user_scope(request.user, Trip, "change").covers(region),
            "can_approve": can_approve,
            "can_report": services.may_report_status(request.user, trip),
            "editable": trip.status in TripStatus.EDITABLE,
            "escort_changeable": trip.status in (*TripStatus.EDITABLE, TripStatus.APPROVED),
            "escort_form": EscortForm(persons=persons, units=units) if can_approve else None,
            "next_live": _next_live(trip),
            # Addresses from the geocoder instead of bare coordinates ("" when none is near).
            "departure_address": describe_point(trip.departure_lat, trip.departure_lon),
            "destination_address": describe_point(trip.destination_lat, trip.destination_lon),
        },
    )


def _next_live(trip: Trip) -> tuple[str, Any] | None:
    for status, transition in TripStatus.LIVE.items():
        if trip.status in TripStatus.TRANSITIONS[transition][0]:
            return status, TripStatus.label(status)
    return None


def _reason(request: HttpRequest) -> dict[str, str]:
    return {"reason": request.POST.get("reason", "")}


ACTIONS: dict[str, tuple[Callable[..., Any], Callable[[HttpRequest], dict[str, Any]], Any]] = {
    "submit": (services.submit_trip, lambda r: {}, gettext_lazy("Trip submitted for approval.")),
    "approve": (services.approve_trip, lambda r: {}, gettext_lazy("Trip approved.")),
    "reject": (services.reject_trip, _reason, gettext_lazy("Trip rejected.")),
    "cancel": (services.cancel_trip, _reason, gettext_lazy("Trip cancelled.")),
    "reopen": (services.reopen_trip, lambda r: {}, gettext_lazy("Trip reopened as a draft.")),
    "unassign": (services.unassign_escort, lambda r: {}, gettext_lazy("Escort removed.")),
    "status": (
        services.report_status,
        lambda r: {"status": r.POST.get("status", "")},
        gettext_lazy("Trip status reported."),
    ),
}


@login_required
@require_POST
def trip_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every button posts here; the service decides, and a refusal is shown with its reason."""
    trip = get_object_or_404(_visible(request), pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied(_("Unknown action."))
    service, extra, success = ACTIONS[action]
    run_service(
        request,
        lambda: service(acting_user=request.user, trip=trip, **extra(request)),
        str(success),
    )
    return redirect("trips:detail", pk=trip.pk)


@login_required
@require_POST
def trip_escort(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(_visible(request), pk=pk)
    if not user_scope(request.user, Trip, "approve").covers(trip.region_id):
        raise PermissionDenied(_("Your role does not let you assign escorts."))
    persons, units = _escort_choices(request, trip)
    form = EscortForm(request.POST, persons=persons, units=units)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("trips:detail", pk=trip.pk)
    login = form.cleaned_data["user"].strip()
    account = User.objects.filter(username=login, is_active=True).first() if login else None
    if login and account is None:
        messages.error(request, _("No active account %(login)s.") % {"login": login})
        return redirect("trips:detail", pk=trip.pk)
    run_service(
        request,
        lambda: services.assign_escort(
            acting_user=request.user,
            trip=trip,
            person=form.cleaned_data["person"],
            unit=form.cleaned_data["unit"],
            user=account,
        ),
        _("Escort assigned."),
    )
    return redirect("trips:detail", pk=trip.pk)


def _form(request: HttpRequest, instance: Trip | None) -> TripForm:
    facilities: Any = Facility.objects.restrict(request.user, "view").filter(
        kind__in=("school", "kindergarten")
    )
    return TripForm(request.POST or None, instance=instance, facilities=facilities.order_by("name"))


@login_required
def trip_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Trip, "add").empty:
        raise PermissionDenied(_("Your role does not let you register trips."))
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.register_trip(acting_user=request.user, **form.service_fields()),
            _("Trip registered as a draft."),
        )
        if saved is not None:
            return redirect("trips:detail", pk=saved.pk)
    return render(request, "trips/edit.html", {"form": form, "trip": None})


@login_required
def trip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(_visible(request), pk=pk)
    if not user_scope(request.user, Trip, "change").covers(trip.region_id):
        raise PermissionDenied(_("You may view this trip but not change it."))
    form = _form(request, Trip.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.update_trip(
                acting_user=request.user,
                trip=Trip.objects.get(pk=pk),
                expected_version=form.expected_version(),
                **form.changed_fields(),
            ),
            _("Trip saved."),
        )
        if saved is not None:
            return redirect("trips:detail", pk=saved.pk)
    return render(request, "trips/edit.html", {"form": form, "trip": trip})


@login_required
def trip_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX trip list: all rows become submitted trips, or none do."""
    if user_scope(request.user, Trip, "add").empty:
        raise PermissionDenied(_("Your role does not let you register trips."))
    return import_page(
        request,
        template="trips/import.html",
        importer=importer.import_trips,
        columns=importer.COLUMNS,
    )
