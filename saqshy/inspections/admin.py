from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.inspections.models import Briefing, ChecklistItem, Drill, Inspection, Violation


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "severity", "days_to_fix", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(Inspection)
class InspectionAdmin(AuditedModelAdmin):
    list_display = ["facility", "inspected_on", "is_reinspection", "inspector"]
    list_filter = ["is_reinspection", "facility__region"]
    raw_id_fields = ["facility"]


@admin.register(Violation)
class ViolationAdmin(AuditedModelAdmin):
    list_display = ["facility", "severity", "status", "deadline"]
    list_filter = ["status", "severity", "facility__region"]
    raw_id_fields = ["facility", "inspection", "verified_in", "eliminated_by"]


@admin.register(Briefing)
class BriefingAdmin(AuditedModelAdmin):
    list_display = ["facility", "held_on", "participants", "topic"]
    raw_id_fields = ["facility"]


@admin.register(Drill)
class DrillAdmin(AuditedModelAdmin):
    list_display = ["facility", "held_on", "people_evacuated", "evacuation_seconds", "norm_seconds"]
    raw_id_fields = ["facility"]
