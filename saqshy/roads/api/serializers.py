from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.roads.choices import (
    CLOSURE_REASONS,
    RESTRICTIONS,
    SEGMENT_STATUSES,
    VEHICLE_CLASSES,
    SegmentStatus,
    VehicleClass,
)
from saqshy.roads.models import Closure, Segment


class SegmentSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Segment
        fields = [
            "id",
            "code",
            "title",
            "number",
            "name",
            "name_kk",
            "name_ru",
            "region",
            "from_place",
            "to_place",
            "length_km",
            "speed_kmh",
            "status",
            "geometry",
        ]
        read_only_fields = [
            "id",
            "code",
            "title",
            "region",
            "from_place",
            "to_place",
            "length_km",
            "status",
            "geometry",
        ]
        extra_kwargs = {"speed_kmh": {"min_value": 5, "max_value": 150}}


class ClosureSerializer(serializers.ModelSerializer):
    """A closure as the road authority sees it (decided by whom, with a note)."""

    segment_title = serializers.CharField(source="segment.title", read_only=True)
    status = serializers.ChoiceField(
        choices=[c for c in SEGMENT_STATUSES if c[0] != SegmentStatus.OPEN]
    )
    restriction = serializers.ChoiceField(
        choices=[("", "—"), *RESTRICTIONS], required=False, allow_blank=True
    )
    reason = serializers.ChoiceField(choices=CLOSURE_REASONS)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)

    class Meta:
        model = Closure
        fields = [
            "id",
            "segment",
            "segment_title",
            "status",
            "restriction",
            "reason",
            "note",
            "starts_at",
            "expected_reopening_at",
            "ended_at",
            "decided_by",
            "agency",
        ]
        read_only_fields = ["id", "segment_title", "ended_at", "decided_by"]
        extra_kwargs = {"starts_at": {"required": False}}

    def validate_segment(self, segment: Segment) -> Segment:
        user = self.context["request"].user
        if not Segment.objects.restrict(user, "view").filter(pk=segment.pk).exists():
            raise serializers.ValidationError(_("Unknown road segment."))
        return segment

    def validate_note(self, value: str) -> str:
        return value.replace("\x00", "")


class ReopenSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(required=False)


class RouteQuerySerializer(serializers.Serializer[Any]):
    """``from`` and ``to``: a place name at segment ends (as on the route planner) or
    ``LAT,LON``; ``vehicle``: car (default), bus, truck or emergency."""

    vehicle = serializers.ChoiceField(choices=VEHICLE_CLASSES, default=VehicleClass.CAR)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField(max_length=200)
        fields["to"] = serializers.CharField(max_length=200)
        return fields


class RouteRoadSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    number = serializers.CharField()
    km = serializers.FloatField()


class BlockingSerializer(serializers.Serializer[Any]):
    segment = serializers.IntegerField()
    segments = serializers.ListField(child=serializers.IntegerField())
    title = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    restriction_label = serializers.CharField()
    expected_reopening = serializers.CharField()
    text = serializers.CharField()


class RouteAnswerSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["route", "blocked", "unconnected"])
    vehicle = serializers.CharField()
    km = serializers.FloatField()
    hours = serializers.FloatField()
    duration = serializers.CharField()
    roads = RouteRoadSerializer(many=True)
    segments = serializers.ListField(child=serializers.IntegerField())
    avoided = BlockingSerializer(many=True)
    blocking = BlockingSerializer(many=True)
    reason = serializers.CharField()
    geometry = serializers.JSONField(allow_null=True)
