from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saqshy.core.audit_models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail can be browsed, never edited."""

    list_display = ["id", "at", "actor_repr", "action", "object_type", "object_repr", "chain"]
    list_filter = ["action", "object_type", "chain"]
    search_fields = ["object_repr", "actor_repr", "request_id", "object_id"]

    def get_queryset(self, request: HttpRequest) -> Any:
        """Staff see the entries their grants allow, as on the API (superusers: all)."""
        entries: Any = super().get_queryset(request)
        return entries.restrict(request.user, "view")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
