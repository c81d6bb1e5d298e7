from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.protection.choices import ANSWERS, SEVERITIES, TIERS
from saqshy.protection.models import Assessment, AssessmentAnswer, ChecklistItem, Finding


class ChecklistAnswerSerializer(serializers.ModelSerializer):
    item: serializers.SlugRelatedField[ChecklistItem] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = AssessmentAnswer
        fields = ["item", "answer", "note"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    item: serializers.SlugRelatedField[ChecklistItem] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ChecklistItem.objects.filter(active=True),
        required=False,
        allow_null=True,
    )
    assessment: serializers.PrimaryKeyRelatedField[Assessment] = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.all()
    )
    severity = serializers.ChoiceField(choices=SEVERITIES)

    class Meta:
        model = Finding
        fields = [
            "id",
            "assessment",
            "facility",
            "item",
            "severity",
            "text",
            "deadline",
            "status",
            "fixed_on",
            "fixed_by",
            "fix_note",
        ]
        read_only_fields = ["id", "facility", "status", "fixed_on", "fixed_by", "fix_note"]

    def validate_assessment(self, assessment: Assessment) -> Assessment:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not Assessment.objects.restrict(user, "view").filter(pk=assessment.pk).exists():
            raise serializers.ValidationError(_("No such assessment."))
        return assessment


class AssessmentSerializer(serializers.ModelSerializer):
    facility = VisibleFacilityField()
    facility_name = serializers.CharField(source="facility.display_name", read_only=True)
    region = serializers.CharField(source="facility.region.slug", read_only=True)
    tier = serializers.ChoiceField(choices=TIERS, required=False)
    answers = ChecklistAnswerSerializer(many=True, read_only=True)
    findings: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "facility",
            "facility_name",
            "region",
            "tier",
            "outdoor",
            "assessed_on",
            "valid_until",
            "assessor",
            "status",
            "completed_at",
            "coverage_share",
            "notes",
            "answers",
            "findings",
        ]
        read_only_fields = [
            "id",
            "valid_until",
            "assessor",
            "status",
            "completed_at",
            "coverage_share",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["facility"].read_only = True
        return fields


class ItemAnswerSerializer(serializers.Serializer[Any]):
    item: serializers.SlugRelatedField[ChecklistItem] = serializers.SlugRelatedField(
        slug_field="code", queryset=ChecklistItem.objects.filter(active=True)
    )
    answer = serializers.ChoiceField(choices=ANSWERS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class AnswersSerializer(serializers.Serializer[Any]):
    answers = ItemAnswerSerializer(many=True, allow_empty=False)


class FixSerializer(serializers.Serializer[Any]):
    fixed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
