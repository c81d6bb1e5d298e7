from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.core.scoping import restricted
from saqshy.reports.models import DailyReport


class DailyReportSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    narratives = serializers.SerializerMethodField()

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "region",
            "day",
            "window_start",
            "window_end",
            "status",
            "figures",
            "sections",
            "filled_at",
            "submitted_at",
            "approved_at",
            "published_at",
            "returned_at",
            "return_reason",
            "is_exercise",
            "narratives",
        ]
        read_only_fields = fields

    def get_narratives(self, report: DailyReport) -> list[dict[str, Any]]:
        rows = restricted(self.context["request"].user, report.narratives)
        return [
            {"agency": n.agency.code, "text": n.text}
            for n in rows.select_related("agency").order_by("agency__name_en")
        ]


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
