from django.contrib import admin

from saqshy.actionplan.models import Measure
from saqshy.core.admin_audit import AuditedModelAdmin


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    """Superusers only; the secretariat keeps the plan on its pages and in the plan file."""

    list_display = ["code", "title_en", "owner", "deadline", "status"]
    list_filter = ["status", "owner"]
    search_fields = ["code", "title_en", "title_ru", "title_kk"]
