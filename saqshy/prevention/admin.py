from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.prevention.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "starts_on", "deadline"]
    list_filter = ["region"]
