from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from saqshy.accounts.models import Agency
from saqshy.actionplan.models import Measure


class PlanProgressSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="measured, none, not_available or hidden")
    state = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    base = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    completion = serializers.FloatField(allow_null=True, help_text="percent of the target")
    text = serializers.CharField()
    partial = serializers.BooleanField()  # type: ignore[assignment]

    def to_representation(self, progress: Any) -> dict[str, Any]:
        figure = progress.figure
        return {
            "kind": progress.kind,
            "state": progress.state,
            "value": figure.value if figure else None,
            "base": figure.base if figure else None,
            "target": progress.target,
            "completion": progress.completion,
            "text": progress.text,
            "partial": progress.partial,
        }


class PlanMeasureSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.filter(region=None)
    )
    co_executors: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.filter(region=None), many=True, required=False
    )
    title = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    has_evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "title",
            "title_kk",
            "title_ru",
            "title_en",
            "brief_line",
            "owner",
            "co_executors",
            "starts_on",
            "deadline",
            "indicator_code",
            "national_target",
            "status",
            "overdue",
            "progress",
            "evidence_link",
            "has_evidence_file",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["code", "updated_at"]

    def get_overdue(self, measure: Measure) -> bool:
        return measure.is_overdue(self.context["evaluator"].day)

    @extend_schema_field(PlanProgressSerializer)
    def get_progress(self, measure: Measure) -> dict[str, Any]:
        return PlanProgressSerializer(self.context["evaluator"].national(measure)).data

    def get_has_evidence_file(self, measure: Measure) -> bool:
        return bool(measure.evidence_file)
