from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.gatherings.models import Gathering


@admin.register(Gathering)
class GatheringAdmin(AuditedModelAdmin):
    """Superusers only; the approval gates are enforced by the pages and the API."""

    list_display = ["name", "kind", "starts_at", "region", "status", "expected_attendance"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["name", "organiser", "organiser_ref"]
    raw_id_fields = ["venue", "approved_by"]
    readonly_fields = ["status", "approved_by", "approved_at"]
