from django.contrib import admin

from saqshy.cameras.models import Camera
from saqshy.core.admin_audit import AuditedModelAdmin


@admin.register(Camera)
class CameraAdmin(AuditedModelAdmin):
    """For corrections by administrators; coordinators keep the register on its pages."""

    list_display = ["name", "region", "facility", "owner", "is_active", "snapshots_allowed"]
    list_filter = ["region", "is_active", "snapshots_allowed"]
    search_fields = ["name", "address"]
    raw_id_fields = ["facility"]
    readonly_fields = ["watched_area_m2"]
