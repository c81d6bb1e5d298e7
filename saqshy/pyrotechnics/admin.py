"""Admin pages (superusers): every write is audited; outlets go through their services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.pyrotechnics import services
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, Seizure, SeizureLine


@admin.register(Outlet)
class OutletAdmin(AuditedModelAdmin):
    """The region follows from the location, so saves and deletes use the services."""

    list_display = ["name", "kind", "region", "certificate_number", "certificate_expires", "active"]
    list_filter = ["kind", "region", "active"]
    search_fields = ["name", "operator", "address", "certificate_number"]
    exclude = ["region"]
    raw_id_fields = ["facility"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        for name in ("lat", "lon"):  # taken from the facility when left empty
            form.base_fields[name].required = False
        return form

    def save_model(self, request: HttpRequest, obj: Outlet, form: Any, change: bool) -> None:
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            fresh = Outlet.objects.get(pk=obj.pk)
            services.update_outlet(acting_user=request.user, outlet=fresh, **data)
        else:
            created = services.create_outlet(acting_user=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Outlet) -> None:
        services.delete_outlet(acting_user=request.user, outlet=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for outlet in queryset:
            services.delete_outlet(acting_user=request.user, outlet=outlet)


class RaidVisitInline(admin.TabularInline):
    model = RaidVisit
    extra = 0
    raw_id_fields = ["outlet"]


@admin.register(Raid)
class RaidAdmin(AuditedModelAdmin):
    """Visits are edited inline; ``RaidVisit.clean`` keeps them in the raid's region."""

    list_display = ["__str__", "planned_on", "region", "status", "team", "agency"]
    list_filter = ["status", "region"]
    search_fields = ["team", "notes"]
    date_hierarchy = "planned_on"
    inlines = [RaidVisitInline]

    def delete_model(self, request: HttpRequest, obj: Raid) -> None:
        services.delete_raid(acting_user=request.user, raid=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for raid in queryset:
            services.delete_raid(acting_user=request.user, raid=raid)


class SeizureLineInline(admin.TabularInline):
    model = SeizureLine
    extra = 0


@admin.register(Seizure)
class SeizureAdmin(AuditedModelAdmin):
    """The region is always the outlet's; lines are edited inline, each audited."""

    list_display = ["__str__", "seized_on", "outlet", "region", "raid"]
    list_filter = ["region"]
    search_fields = ["notes", "outlet__name", "lines__product"]
    date_hierarchy = "seized_on"
    exclude = ["region"]
    raw_id_fields = ["outlet", "raid"]
    inlines = [SeizureLineInline]

    def save_model(self, request: HttpRequest, obj: Seizure, form: Any, change: bool) -> None:
        obj.region_id = obj.outlet.region_id
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Seizure) -> None:
        services.delete_seizure(acting_user=request.user, seizure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for seizure in queryset:
            services.delete_seizure(acting_user=request.user, seizure=seizure)
