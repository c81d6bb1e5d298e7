from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.roads.models import Segment
from saqshy.weather.models import WeatherWarning


class _VisibleSegment(serializers.PrimaryKeyRelatedField):
    """A segment the caller may view (others are "does not exist")."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return Segment.objects.restrict(user, "view")


class WarningSerializer(serializers.ModelSerializer):
    """A weather warning. ``status``, ``source``, who entered and decided it and the closures
    it produced are read-only: the services and the ``confirm``/``dismiss`` actions set them."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    segments = _VisibleSegment(many=True, required=False, write_only=True)
    road_segments = serializers.SerializerMethodField()
    closures = serializers.SerializerMethodField()
    entered_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    decided_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = WeatherWarning
        fields = [
            "id",
            "region",
            "segments",
            "road_segments",
            "kind",
            "level",
            "source",
            "starts_at",
            "ends_at",
            "min_temperature_c",
            "max_gust_kmh",
            "snowfall_cm",
            "visibility_m",
            "status",
            "note",
            "entered_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "closures",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "source",
            "status",
            "entered_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "closures",
            "created_at",
            "updated_at",
        ]

    def get_road_segments(self, warning: WeatherWarning) -> list[dict[str, Any]]:
        """The segments named (those the caller may view): id, title, road number, status."""
        return [
            {"id": s.pk, "title": s.title, "number": s.number, "status": s.status}
            for s in getattr(warning, "shown_segments", [])
        ]

    def get_closures(self, warning: WeatherWarning) -> list[int]:
        """The road closures confirming produced (those the caller may view)."""
        return [closure.pk for closure in getattr(warning, "shown_closures", [])]


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
