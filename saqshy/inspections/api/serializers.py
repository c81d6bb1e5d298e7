from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.inspections.models import (
    Briefing,
    ChecklistItem,
    Drill,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Violation,
)


class ChecklistItemSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "code",
            "display_name",
            "name_kk",
            "name_ru",
            "name_en",
            "severity",
            "days_to_fix",
            "order",
            "active",
        ]


class ResultSerializer(serializers.ModelSerializer):
    item: serializers.SlugRelatedField[ChecklistItem] = serializers.SlugRelatedField(
        slug_field="code", queryset=ChecklistItem.objects.filter(active=True)
    )

    class Meta:
        model = InspectionResult
        fields = ["item", "passed", "note"]


class ViolationSerializer(serializers.ModelSerializer):
    item: serializers.SlugRelatedField[ChecklistItem] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    blocks_clearance = serializers.BooleanField(read_only=True)

    class Meta:
        model = Violation
        fields = [
            "id",
            "facility",
            "inspection",
            "item",
            "severity",
            "description",
            "deadline",
            "status",
            "eliminated_on",
            "eliminated_by",
            "verified_in",
            "blocks_clearance",
            "created_at",
        ]
        read_only_fields = fields


class PhotoSerializer(serializers.ModelSerializer):
    """Photo evidence; ``url`` is served only to those who may see the inspection (audited)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "violation", "url", "width", "height", "size_bytes", "caption"]
        read_only_fields = fields

    def get_url(self, photo: InspectionPhoto) -> str:
        return reverse("inspections:photo", args=[photo.pk])


class PhotoUploadSerializer(serializers.Serializer):
    """``photos``: one or more JPEG, PNG or WebP files (at most 8 MB each); ``violation``: the
    violation of this inspection they show (optional)."""

    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False)
    violation = serializers.IntegerField(required=False)
    caption = serializers.CharField(required=False, allow_blank=True, max_length=255)


class InspectionSerializer(serializers.ModelSerializer):
    facility = VisibleFacilityField()
    results = ResultSerializer(many=True)
    violations = ViolationSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    inspector = serializers.CharField(source="inspector.username", read_only=True, default="")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "facility",
            "inspected_on",
            "is_reinspection",
            "inspector",
            "notes",
            "results",
            "violations",
            "photos",
            "created_at",
        ]
        read_only_fields = ["is_reinspection", "inspector", "created_at"]

    def validate_results(self, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not results:
            raise serializers.ValidationError(_("Record at least one checklist item."))
        return results


class EliminateSerializer(serializers.Serializer):
    eliminated_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifySerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class _FacilityRecordSerializer(serializers.ModelSerializer):
    facility = VisibleFacilityField()


class BriefingSerializer(_FacilityRecordSerializer):
    class Meta:
        model = Briefing
        fields = ["id", "facility", "held_on", "participants", "topic", "conducted_by"]


class DrillSerializer(_FacilityRecordSerializer):
    within_norm = serializers.BooleanField(read_only=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "facility",
            "held_on",
            "people_evacuated",
            "evacuation_seconds",
            "norm_seconds",
            "within_norm",
            "notes",
        ]
