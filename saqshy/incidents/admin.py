from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.incidents.models import Incident, IncidentType, Unit


@admin.register(IncidentType)
class IncidentTypeAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "default_priority", "dedup_meters", "dedup_minutes"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    """Superusers only; dispatching happens on the duty desk, never here."""

    list_display = ["call_sign", "kind", "agency", "region", "status", "position_at"]
    list_filter = ["status", "kind", "region", "agency"]
    search_fields = ["call_sign"]
    raw_id_fields = ["home_station", "tracker"]
    readonly_fields = ["status", "lat", "lon", "position_at"]


@admin.register(Incident)
class IncidentAdmin(AuditedModelAdmin):
    """Superusers only, for corrections; the state machine lives in the services."""

    list_display = ["id", "type", "priority", "status", "region", "reported_at"]
    list_filter = ["status", "type", "region", "priority"]
    search_fields = ["address", "description", "reporter"]
    raw_id_fields = ["duplicate_of", "reported_by"]
    readonly_fields = [
        "status",
        "region",
        "dispatched_at",
        "on_scene_at",
        "closed_at",
        "duplicate_of",
    ]
