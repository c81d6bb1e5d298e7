"""The audit trail over the API, and the building block that audits reads of personal data."""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from saqshy.core import audit
from saqshy.core.api.viewsets import ScopedReadOnlyViewSet
from saqshy.core.audit_models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "chain",
            "seq",
            "at",
            "actor_id",
            "actor_repr",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "region_id",
            "agency_id",
            "before",
            "after",
            "request_id",
            "prev_hash",
            "hash",
        ]


class AuditFilterSet(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = [
            "object_type",
            "object_id",
            "action",
            "actor_id",
            "request_id",
            "agency_id",
            "since",
            "until",
        ]


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """The audit trail within your grants, newest first: entries about records you may view,
    in their region and, for records owned by an agency, their agency."""

    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilterSet


class ReadAuditedMixin(GenericAPIView):
    """For viewsets of personal data: every list page and detail served is audited as a read.

    Put it first among the bases (``class PersonViewSet(ReadAuditedMixin, ScopedModelViewSet)``).
    The records serialized for ``list`` and ``retrieve`` go to ``audit.record_read``: a list
    page is one entry per region and agency with the ids read, a detail one entry naming it.
    """

    audited_read_actions: frozenset[str] = frozenset({"list", "retrieve"})

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        action = getattr(self, "action", None)
        if args and action in self.audited_read_actions:
            read = list(args[0]) if kwargs.get("many") else [args[0]]
            if kwargs.get("many"):
                args = (read, *args[1:])
            audit.record_read(
                acting_user=self.request.user,
                instances=read,
                via=f"api:{getattr(self, 'basename', '')}-{action}",
            )
        return super().get_serializer(*args, **kwargs)
