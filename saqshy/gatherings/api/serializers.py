from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.gatherings.models import Gathering


class GateSerializer(serializers.Serializer):
    gate = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    passed = serializers.BooleanField()
    reason = serializers.CharField()


class GatheringSerializer(serializers.ModelSerializer):
    venue = VisibleFacilityField(required=False, allow_null=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    gates = serializers.SerializerMethodField()
    lat = serializers.FloatField(required=False)
    lon = serializers.FloatField(required=False)

    class Meta:
        model = Gathering
        fields = [
            "id",
            "name",
            "kind",
            "venue",
            "area",
            "lat",
            "lon",
            "region",
            "starts_at",
            "ends_at",
            "expected_attendance",
            "children_involved",
            "children_count",
            "organiser",
            "organiser_contact",
            "organiser_ref",
            "fire_standby_planned",
            "medical_presence_planned",
            "access_route_clear",
            "access_route_checked_on",
            "status",
            "status_reason",
            "approved_at",
            "gates",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_reason", "approved_at", "created_at", "updated_at"]

    def get_gates(self, gathering: Gathering) -> list[dict[str, Any]]:
        evaluated: dict[int, list[Any]] = self.context.get("gates", {})
        return [gate.as_dict() for gate in evaluated.get(gathering.pk, [])]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
