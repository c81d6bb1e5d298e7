from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from saqshy.accounts.models import Agency, District, Grant, Norm, Region, Role, User
from saqshy.core.admin_audit import AuditedModelAdmin, ReadAuditedModelAdmin


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    autocomplete_fields = ["agency", "region", "role"]


@admin.register(User)
class UserAdmin(ReadAuditedModelAdmin, DjangoUserAdmin):
    inlines = [GrantInline]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Saqshy", {"fields": ("language",)}))  # type: ignore[misc]


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["iso_code", "slug", "name_en", "name_ru", "name_kk", "kind"]
    search_fields = ["iso_code", "slug", "name_en", "name_ru", "name_kk"]
    exclude = ["boundary"]


@admin.register(District)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ["name_en", "region"]
    list_filter = ["region"]
    search_fields = ["name_en", "name_ru", "name_kk"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ["slug", "name_en", "all_agencies"]
    search_fields = ["slug", "name_en"]
    filter_horizontal = ["permissions"]


@admin.register(Norm)
class NormAdmin(AuditedModelAdmin):
    list_display = ["code", "region", "value", "unit", "source"]
    list_filter = ["code", "region"]
