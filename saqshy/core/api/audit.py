from __future__ import annotations

import django_filters
from rest_framework import serializers

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
        fields = ["object_type", "object_id", "action", "actor_id", "request_id", "since", "until"]


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """The audit trail within your grants, newest first."""

    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilterSet
