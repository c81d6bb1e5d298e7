from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint


@admin.register(WarmingPoint)
class WarmingPointAdmin(AuditedModelAdmin):
    """Warming points are set up here (name, place, capacity, services, hours, contact); the
    occupancy is then kept from the phone form or the API."""

    list_display = ["name", "region", "capacity", "occupancy", "is_open", "phone"]
    list_filter = ["region", "is_open"]
    search_fields = ["name", "address"]
    raw_id_fields = ["segment", "district", "agency"]


@admin.register(Standby)
class StandbyAdmin(AuditedModelAdmin):
    list_display = ["unit", "equipment_type", "region", "segment", "readiness", "starts_at"]
    list_filter = ["region", "equipment_type", "readiness"]
    raw_id_fields = ["unit", "segment", "duty_post"]


@admin.register(StrandedReport)
class StrandedReportAdmin(AuditedModelAdmin):
    """Superusers only, for corrections; reporting and evacuating live in the pages."""

    list_display = ["id", "location", "region", "people", "children", "status", "reported_at"]
    list_filter = ["status", "region"]
    raw_id_fields = ["segment", "incident", "point"]
    readonly_fields = ["status", "incident"]
