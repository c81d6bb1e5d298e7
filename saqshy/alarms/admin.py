"""Admin pages (superusers): every write is audited."""

from __future__ import annotations

from django.contrib import admin

from saqshy.alarms.models import (
    AlarmEvent,
    CallBack,
    CampaignTarget,
    Household,
    HouseholdCategory,
    Installation,
    InstallationCampaign,
)
from saqshy.core.admin_audit import AuditedModelAdmin, ReadAuditedModelAdmin


@admin.register(HouseholdCategory)
class HouseholdCategoryAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "name_ru", "name_kk", "order"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]


@admin.register(Household)
class HouseholdAdmin(ReadAuditedModelAdmin):
    list_display = ["id", "category", "region", "district", "consent_given", "consent_date"]
    list_filter = ["category", "region", "consent_given"]
    search_fields = ["address", "contact_name", "contact_phone"]
    raw_id_fields = ["district"]


class CampaignTargetInline(admin.TabularInline):
    model = CampaignTarget
    extra = 0
    raw_id_fields = ["district"]


@admin.register(InstallationCampaign)
class InstallationCampaignAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "starts_on", "ends_on", "target_count"]
    list_filter = ["region"]
    search_fields = ["name"]
    inlines = [CampaignTargetInline]


@admin.register(Installation)
class InstallationAdmin(AuditedModelAdmin):
    list_display = ["id", "device", "region", "district", "room", "installed_on", "campaign"]
    list_filter = ["region", "campaign"]
    search_fields = ["device__serial", "installer_name"]
    raw_id_fields = ["household", "device", "district"]


@admin.register(AlarmEvent)
class AlarmEventAdmin(AuditedModelAdmin):
    list_display = ["at", "kind", "device", "outcome", "incident", "region"]
    list_filter = ["kind", "outcome", "region"]
    search_fields = ["device__serial", "message_id"]
    raw_id_fields = ["device", "installation", "household", "incident"]


@admin.register(CallBack)
class CallBackAdmin(ReadAuditedModelAdmin):
    list_display = ["id", "incident", "status", "answer", "sent_at", "answered_at"]
    list_filter = ["status", "answer", "region"]
    raw_id_fields = ["incident", "household", "answered_by"]
