"""Admin pages (superusers): every write is audited; state-changing writes use the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.equipment import services
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck


@admin.register(Hydrant)
class HydrantAdmin(AuditedModelAdmin):
    """The region follows from the location, so saves and deletes use the services."""

    list_display = ["code", "kind", "region", "operable", "last_checked_on", "address"]
    list_filter = ["kind", "operable", "region"]
    search_fields = ["code", "address", "notes"]
    exclude = ["region"]

    def save_model(self, request: HttpRequest, obj: Hydrant, form: Any, change: bool) -> None:
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            fresh = Hydrant.objects.get(pk=obj.pk)
            services.update_hydrant(acting_user=request.user, hydrant=fresh, **data)
        else:
            created = services.create_hydrant(acting_user=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Hydrant) -> None:
        services.delete_hydrant(acting_user=request.user, hydrant=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for hydrant in queryset:
            services.delete_hydrant(acting_user=request.user, hydrant=hydrant)


@admin.register(HydrantCheck)
class HydrantCheckAdmin(AuditedModelAdmin):
    """A new check goes through the service so it updates its hydrant; corrections to an
    existing check are audited but leave the hydrant as it is."""

    list_display = ["hydrant", "checked_on", "operable", "pressure_ok", "access_clear"]
    list_filter = ["operable", "hydrant__region"]
    date_hierarchy = "checked_on"
    raw_id_fields = ["hydrant"]
    exclude = ["checked_by"]

    def save_model(self, request: HttpRequest, obj: HydrantCheck, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = dict(form.cleaned_data)
        created = services.record_hydrant_check(acting_user=request.user, **data)
        obj.pk = created.pk


@admin.register(FacilityEquipment)
class FacilityEquipmentAdmin(AuditedModelAdmin):
    list_display = ["facility", "kind", "quantity", "in_order", "last_checked_on", "next_check_due"]
    list_filter = ["kind", "in_order", "facility__region"]
    search_fields = ["facility__name", "model_name", "notes"]
    raw_id_fields = ["facility"]

    def save_model(
        self, request: HttpRequest, obj: FacilityEquipment, form: Any, change: bool
    ) -> None:
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            fresh = FacilityEquipment.objects.get(pk=obj.pk)
            services.update_equipment(acting_user=request.user, equipment=fresh, **data)
        else:
            created = services.create_equipment(acting_user=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: FacilityEquipment) -> None:
        services.delete_equipment(acting_user=request.user, equipment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for equipment in queryset:
            services.delete_equipment(acting_user=request.user, equipment=equipment)


@admin.register(EquipmentCheck)
class EquipmentCheckAdmin(AuditedModelAdmin):
    """As for hydrant checks: a new check goes through the service."""

    list_display = ["equipment", "checked_on", "in_order"]
    list_filter = ["in_order", "equipment__facility__region"]
    date_hierarchy = "checked_on"
    raw_id_fields = ["equipment"]
    exclude = ["checked_by"]

    def save_model(
        self, request: HttpRequest, obj: EquipmentCheck, form: Any, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = dict(form.cleaned_data)
        created = services.record_equipment_check(acting_user=request.user, **data)
        obj.pk = created.pk
