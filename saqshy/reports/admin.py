from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.reports.models import AgencyNarrative, DailyReport, Escalation


@admin.register(DailyReport)
class DailyReportAdmin(AuditedModelAdmin):
    """Superusers only; the workflow (and its separation of duties) runs on the pages and API."""

    list_display = ["day", "region", "status", "filled_at", "submitted_at", "approved_at"]
    list_filter = ["status", "region"]
    date_hierarchy = "day"
    readonly_fields = [
        "status",
        "figures",
        "sections",
        "filled_at",
        "created_by",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "published_by",
        "published_at",
        "returned_by",
        "returned_at",
        "return_reason",
    ]


@admin.register(AgencyNarrative)
class AgencyNarrativeAdmin(AuditedModelAdmin):
    list_display = ["report", "agency", "author"]
    raw_id_fields = ["report", "author"]


@admin.register(Escalation)
class EscalationAdmin(AuditedModelAdmin):
    list_display = ["day", "region", "due_at", "escalated_at", "status_then"]
    list_filter = ["region"]
    readonly_fields = ["region", "day", "report", "due_at", "escalated_at", "status_then"]
