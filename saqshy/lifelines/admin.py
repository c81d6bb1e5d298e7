from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.lifelines.models import Outage, Parameter, Threshold, UtilitySite


@admin.register(Parameter)
class ParameterAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "unit", "follows_curve"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]


@admin.register(Threshold)
class ThresholdAdmin(AuditedModelAdmin):
    list_display = ["parameter", "site_kind", "site", "low", "high", "minutes"]
    list_filter = ["parameter", "site_kind"]
    raw_id_fields = ["site"]


@admin.register(UtilitySite)
class UtilitySiteAdmin(AuditedModelAdmin):
    list_display = ["code", "kind", "region", "agency", "buildings", "people"]
    list_filter = ["kind", "region"]
    search_fields = ["code"]
    raw_id_fields = ["facility", "gateway"]


@admin.register(Outage)
class OutageAdmin(AuditedModelAdmin):
    """Superusers only, for corrections; opening and restoring live in the services."""

    list_display = ["id", "site", "status", "started", "restored_at", "people"]
    list_filter = ["status", "region"]
    raw_id_fields = ["site", "alert", "incident", "crew_post", "restored_by"]
    readonly_fields = ["status", "restored_at"]
