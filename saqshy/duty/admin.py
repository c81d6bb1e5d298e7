from django.contrib import admin

from saqshy.core.admin_audit import AuditedModelAdmin, ReadAuditedModelAdmin
from saqshy.duty.models import Absence, Person, Post, PostNeed, Readiness, Shift


@admin.register(Person)
class PersonAdmin(ReadAuditedModelAdmin):
    list_display = ["last_name", "first_name", "personnel_number", "agency", "region", "active"]
    list_filter = ["agency", "region", "active"]
    search_fields = ["last_name", "first_name", "personnel_number"]


@admin.register(Absence)
class AbsenceAdmin(ReadAuditedModelAdmin):
    list_display = ["person", "kind", "starts_at", "ends_at"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]


@admin.register(Post)
class PostAdmin(AuditedModelAdmin):
    """Derived posts are rewritten by ``derive_posts``; edit the records or norms instead."""

    list_display = ["name", "kind", "region", "starts_at", "ends_at", "derived_from"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "derived_from"]
    raw_id_fields = ["facility", "gathering"]


@admin.register(PostNeed)
class PostNeedAdmin(AuditedModelAdmin):
    list_display = ["post", "agency", "skill", "people"]
    raw_id_fields = ["post"]


@admin.register(Shift)
class ShiftAdmin(AuditedModelAdmin):
    list_display = ["person", "post", "starts_at", "ends_at"]
    raw_id_fields = ["person", "post"]


@admin.register(Readiness)
class ReadinessAdmin(AuditedModelAdmin):
    list_display = ["level", "region", "agency", "starts_at", "ends_at", "reason"]
    list_filter = ["level", "region"]
    readonly_fields = ["set_by"]
