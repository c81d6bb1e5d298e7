from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.core.scoping import user_scope
from saqshy.roads.models import Segment
from saqshy.winter.choices import VEHICLE_KINDS, VehicleKind
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint


class WarmingPointSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    free_places = serializers.IntegerField(read_only=True)
    full = serializers.BooleanField(read_only=True)
    hours = serializers.CharField(read_only=True)

    class Meta:
        model = WarmingPoint
        fields = [
            "id",
            "name",
            "address",
            "region",
            "district",
            "lat",
            "lon",
            "segment",
            "capacity",
            "occupancy",
            "free_places",
            "full",
            "heating",
            "food",
            "fuel",
            "medical",
            "staff_on_duty",
            "open_24h",
            "opens_at",
            "closes_at",
            "hours",
            "phone",
            "is_open",
            "agency",
        ]
        read_only_fields = fields


class OccupancySerializer(serializers.Serializer[Any]):
    """PATCH of a warming point: only how many people are in it now."""

    occupancy = serializers.IntegerField(min_value=0)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            other = sorted(set(data) - {"occupancy"})
            if other:
                raise serializers.ValidationError(
                    {other[0]: [_("Only the occupancy is changed here.")]}
                )
        return super().to_internal_value(data)


class NearestParamsSerializer(serializers.Serializer[Any]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    people = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    vehicle = serializers.ChoiceField(choices=VEHICLE_KINDS, default=VehicleKind.CAR)
    limit = serializers.IntegerField(min_value=1, max_value=20, default=3)


class NearPointSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    capacity = serializers.IntegerField()
    free_places = serializers.IntegerField()
    minutes = serializers.IntegerField()
    km = serializers.FloatField()
    by_road = serializers.BooleanField()
    roads = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()


class StrandedReportSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    segment: serializers.PrimaryKeyRelatedField[Segment] = serializers.PrimaryKeyRelatedField(
        queryset=Segment.objects.all(), required=False, allow_null=True
    )
    reported_at = serializers.DateTimeField(required=False)

    class Meta:
        model = StrandedReport
        fields = [
            "id",
            "location",
            "lat",
            "lon",
            "segment",
            "region",
            "people",
            "children",
            "medical_needs",
            "fuel_left",
            "vehicles",
            "vehicle_kind",
            "reported_at",
            "reporter_phone",
            "status",
            "incident",
            "point",
            "assigned_at",
            "evacuation_started_at",
            "evacuated_at",
            "closed_at",
            "note",
        ]
        read_only_fields = [
            "id",
            "region",
            "status",
            "incident",
            "point",
            "assigned_at",
            "evacuation_started_at",
            "evacuated_at",
            "closed_at",
        ]

    def to_representation(self, instance: StrandedReport) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not user_scope(user, StrandedReport, "change").covers(instance.region_id):
            data.pop("reporter_phone", None)
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        people, children = attrs.get("people"), attrs.get("children", 0)
        if people is not None and children is not None and children > people:
            raise serializers.ValidationError(
                {"children": [_("There cannot be more children than people.")]}
            )
        return attrs


class AssignSerializer(serializers.Serializer[Any]):
    point: serializers.PrimaryKeyRelatedField[WarmingPoint] = serializers.PrimaryKeyRelatedField(
        queryset=WarmingPoint.objects.all()
    )


class StrandedCloseSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class StandbySerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    call_sign = serializers.CharField(source="unit.call_sign", read_only=True)

    class Meta:
        model = Standby
        fields = [
            "id",
            "unit",
            "call_sign",
            "equipment_type",
            "region",
            "segment",
            "readiness",
            "base_name",
            "lat",
            "lon",
            "starts_at",
            "ends_at",
            "duty_post",
            "note",
        ]
        read_only_fields = fields


class ShortfallSerializer(serializers.Serializer[Any]):
    region = serializers.CharField(source="region.slug")
    segment = serializers.IntegerField(source="segment.pk", allow_null=True, default=None)
    equipment_type = serializers.CharField()
    missing = serializers.IntegerField()
    sentence = serializers.CharField()
