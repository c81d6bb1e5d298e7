from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.protection.models import Assessment, ChecklistItem, Finding


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedModelAdmin):
    """The checklist is data: the secretariat edits items, tiers, severities and deadlines here."""

    list_display = ["code", "name_en", "tier", "outdoor_only", "severity", "days_to_fix", "active"]
    list_filter = ["tier", "severity", "active"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]


@admin.register(Assessment)
class AssessmentAdmin(AuditedModelAdmin):
    """Superusers only, for corrections; assessing lives in the pages and the API."""

    list_display = ["facility", "tier", "assessed_on", "valid_until", "status"]
    list_filter = ["status", "tier"]
    raw_id_fields = ["facility", "assessor"]
    readonly_fields = ["status", "completed_at", "coverage_share"]


@admin.register(Finding)
class FindingAdmin(AuditedModelAdmin):
    list_display = ["facility", "severity", "deadline", "status"]
    list_filter = ["status", "severity"]
    raw_id_fields = ["assessment", "facility", "item", "fixed_by"]
    readonly_fields = ["status"]
