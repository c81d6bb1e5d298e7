from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Agency, Region
from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, JournalEntry, Unit


class AssignmentSerializer(serializers.ModelSerializer):
    call_sign = serializers.CharField(source="unit.call_sign", read_only=True)
    kind = serializers.CharField(source="unit.kind", read_only=True)

    class Meta:
        model = IncidentUnit
        fields = ["unit", "call_sign", "kind", "assigned_at", "released_at"]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    type: serializers.SlugRelatedField[IncidentType] = serializers.SlugRelatedField(
        slug_field="code", queryset=IncidentType.objects.all()
    )
    type_name = serializers.CharField(source="type.display_name", read_only=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="Derived from the location (the region whose boundary contains it).",
    )
    priority = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Defaults to the type's priority."
    )
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "type",
            "type_name",
            "priority",
            "source",
            "lat",
            "lon",
            "address",
            "description",
            "reporter",
            "region",
            "status",
            "reported_at",
            "dispatched_at",
            "on_scene_at",
            "closed_at",
            "duplicate_of",
            "assignments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "dispatched_at",
            "on_scene_at",
            "closed_at",
            "duplicate_of",
            "created_at",
            "updated_at",
        ]


class JournalEntrySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = JournalEntry
        fields = ["id", "at", "author", "kind", "text"]
        read_only_fields = ["id", "at", "author", "kind"]


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()


class AdvanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=IncidentStatus.choices())
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchSerializer(serializers.Serializer):
    units = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class UnitSerializer(serializers.ModelSerializer):
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all()
    )
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    home_station = VisibleFacilityField(required=False, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "call_sign",
            "kind",
            "agency",
            "region",
            "home_station",
            "crew",
            "status",
            "lat",
            "lon",
            "position_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["lat", "lon", "position_at", "created_at", "updated_at"]
        # The (agency, call sign) uniqueness is checked by the model on save.
        validators: list[Any] = []


class PositionSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    at = serializers.DateTimeField(required=False)


class CandidateSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    call_sign = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    agency = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    eta_seconds = serializers.FloatField(allow_null=True)
    meters = serializers.FloatField(allow_null=True)
    suggested = serializers.BooleanField()
    why_not = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class RecommendationsSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    needs = serializers.DictField(child=serializers.IntegerField())
    missing = serializers.DictField(child=serializers.IntegerField())
    incident_snap_meters = serializers.FloatField(allow_null=True)
    recommended = CandidateSerializer(many=True)
    others = CandidateSerializer(many=True)
