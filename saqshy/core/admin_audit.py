"""Django admin writes are audited like every other write path."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from saqshy.core import audit


def _region_id(obj: models.Model) -> int | None:
    region_of = getattr(obj, "scope_region_id", None)
    return region_of() if callable(region_of) else None


def _fresh_snapshot(obj: models.Model) -> dict[str, Any] | None:
    if obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return audit.snapshot(stored) if stored is not None else None


def audited_save(request: HttpRequest, obj: models.Model, save: Any) -> None:
    """Save through ``save()`` and append a create or update entry in the same transaction."""
    with transaction.atomic():
        before = _fresh_snapshot(obj)
        save()
        after = audit.snapshot(obj)
        if before is None:
            change = audit.Change("create", obj, _region_id(obj), after=after)
        else:
            old, new = audit.diff(before, after)
            if not new:
                return
            change = audit.Change("update", obj, _region_id(obj), before=old, after=new)
        audit.record(acting_user=request.user, changes=[change])


def audited_delete(request: HttpRequest, obj: models.Model) -> None:
    with transaction.atomic():
        before = audit.snapshot(obj)
        audit.record(
            acting_user=request.user,
            changes=[audit.Change("delete", obj, _region_id(obj), before=before)],
        )
        obj.delete()


class AuditedModelAdmin(admin.ModelAdmin):
    """Every save and delete in the admin, including inline rows, gets its audit entry."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        audited_save(
            request,
            obj,
            lambda: super(AuditedModelAdmin, self).save_model(request, obj, form, change),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audited_delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audited_delete(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audited_delete(request, obj)
        for obj in instances:
            audited_save(request, obj, obj.save)
        formset.save_m2m()


class ReadAuditedModelAdmin(AuditedModelAdmin):
    """For personal data: opening a record or listing records in the admin is an audited read
    (``audit.record_read``), like the pages and the API."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", None) or {}
        obj = original.get("original")
        if request.method == "GET" and obj is not None:
            audit.record_read(acting_user=request.user, instances=[obj], via="admin")
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            audit.record_read(
                acting_user=request.user, instances=list(changelist.result_list), via="admin"
            )
        return response
