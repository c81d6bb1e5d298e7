from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.accounts.models import Agency, Region
from saqshy.cameras.choices import DensityLevel
from saqshy.cameras.models import Camera, DensityReading
from saqshy.cameras.queries import current_level
from saqshy.facilities.api.fields import VisibleFacilityField


class CameraSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="Derived from the location (the region whose boundary contains it).",
    )
    facility = VisibleFacilityField(required=False, allow_null=True)
    owner: serializers.PrimaryKeyRelatedField[Agency] = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all()
    )
    watched_area_m2 = serializers.FloatField(read_only=True)
    latest = serializers.SerializerMethodField()

    class Meta:
        model = Camera
        fields = [
            "id",
            "name",
            "region",
            "facility",
            "address",
            "lat",
            "lon",
            "bearing",
            "watched_area",
            "watched_area_m2",
            "stream_url",
            "owner",
            "calibration",
            "snapshots_allowed",
            "is_active",
            "latest",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_latest(self, camera: Camera) -> dict[str, Any] | None:
        """The latest reading (annotated by the view) and the level it shows now."""
        at = getattr(camera, "latest_at", None)
        if at is None:
            return None
        level = current_level(camera)
        return {
            "at": at.isoformat(),
            "count": getattr(camera, "latest_count", None),
            "density": getattr(camera, "latest_density", None),
            "level": level,
            "level_label": str(DensityLevel.label(level)),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            missing = {
                k: [serializers.Field.default_error_messages["required"]]
                for k in ("lat", "lon")
                if k not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class CameraCountSerializer(serializers.Serializer[Any]):
    """One count from the video counter: when, and how many people in the watched area."""

    at = serializers.DateTimeField()
    count = serializers.IntegerField(min_value=0, max_value=1_000_000)


class DensityReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = DensityReading
        fields = ["id", "at", "count", "density", "level"]
        read_only_fields = fields


class DensitySeriesParamsSerializer(serializers.Serializer[Any]):
    hours = serializers.IntegerField(
        min_value=1, max_value=24 * 90, default=24, help_text=_("How many hours back.")
    )
