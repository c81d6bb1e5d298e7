"""The admin browses trips and corrects details; status, approval and the escort are
read-only here, and the admin actions call the same services as the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.queries import region_id_at
from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.core.exceptions import Conflict
from saqshy.trips import services
from saqshy.trips.choices import TripStatus
from saqshy.trips.models import Trip, TripEscort

FIXED = [
    "region",
    "status",
    "status_reason",
    "approved_by",
    "approved_at",
    "departed_at",
    "arrived_at",
    "returned_at",
]


class TripAdminForm(forms.ModelForm):
    class Meta:
        model = Trip
        exclude: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("departure_lat"), data.get("departure_lon")
        if lat is not None and lon is not None and region_id_at(lat, lon) is None:
            self.add_error(
                "departure_lat", gettext("This location lies outside every known region.")
            )
        return data


@admin.register(Trip)
class TripAdmin(AuditedModelAdmin):
    """Superusers only. Saving goes through ``register_trip``/``update_trip``; a decided trip
    is read-only; approving is an action that calls ``approve_trip`` and reports refusals."""

    form = TripAdminForm
    list_display = ["__str__", "departs_at", "region", "status", "children_count"]
    list_filter = ["status", "region"]
    search_fields = ["organiser", "organiser_ref", "destination_name"]
    raw_id_fields = ["organiser_facility", "approved_by"]
    actions = ["submit_selected", "approve_selected", "cancel_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status not in TripStatus.EDITABLE:
            return [
                "escort_display",
                *(f.name for f in Trip._meta.concrete_fields if f.name != "id"),
            ]
        return ["escort_display", *FIXED]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if not change:
            saved = services.register_trip(
                acting_user=request.user,
                **{n: v for n, v in form.cleaned_data.items() if n not in FIXED},
            )
            obj.pk = saved.pk
            return
        if not fields:
            return
        current = Trip.objects.get(pk=obj.pk)
        try:
            services.update_trip(acting_user=request.user, trip=current, **fields)
        except (Conflict, ValidationError) as refusal:
            text = refusal.detail if isinstance(refusal, Conflict) else "; ".join(refusal.messages)
            self.message_user(
                request, gettext("Not saved: %(why)s") % {"why": text}, messages.ERROR
            )

    @admin.display(description=_("police escort"))
    def escort_display(self, obj: Trip) -> str:
        assignment = obj.assigned_escort if obj.pk else None
        return assignment.label if assignment else gettext("no escort")

    def _run(self, request: HttpRequest, queryset: Any, call: Any, done: str) -> None:
        succeeded = 0
        for trip in queryset:
            try:
                call(trip)
                succeeded += 1
            except (Conflict, ValidationError, PermissionDenied) as refusal:
                text = (
                    refusal.detail
                    if isinstance(refusal, Conflict)
                    else "; ".join(getattr(refusal, "messages", [str(refusal)]))
                )
                self.message_user(request, f"{trip}: {text}", messages.ERROR)
        if succeeded:
            self.message_user(request, done % {"n": succeeded}, messages.SUCCESS)

    @admin.action(description=_("Submit the selected trips"))
    def submit_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._run(
            request,
            queryset,
            lambda t: services.submit_trip(acting_user=request.user, trip=t),
            gettext("%(n)s trip(s) submitted."),
        )

    @admin.action(description=_("Approve the selected trips (each needs a free police escort)"))
    def approve_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._run(
            request,
            queryset,
            lambda t: services.approve_trip(acting_user=request.user, trip=t),
            gettext("%(n)s trip(s) approved."),
        )

    @admin.action(description=_("Cancel the selected trips"))
    def cancel_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._run(
            request,
            queryset,
            lambda t: services.cancel_trip(acting_user=request.user, trip=t),
            gettext("%(n)s trip(s) cancelled."),
        )


@admin.register(TripEscort)
class TripEscortAdmin(AuditedModelAdmin):
    """Read-only: escorts are assigned on the trip page or the API, where freedom is checked."""

    list_display = ["trip", "person", "unit", "user", "created_at"]
    raw_id_fields = ["trip", "person", "unit", "user", "assigned_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
