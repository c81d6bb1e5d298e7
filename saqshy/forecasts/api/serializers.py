from __future__ import annotations

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.algorithms.forecast.evaluate import MODEL_NAMES
from saqshy.algorithms.forecast.grid import DEFAULT_CELL_M
from saqshy.forecasts.models import HotspotForecast
from saqshy.forecasts.services import DEFAULT_MODEL


class HotspotForecastSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    model_name = serializers.ChoiceField(choices=MODEL_NAMES, default=DEFAULT_MODEL)
    cell_m = serializers.FloatField(min_value=10, max_value=5000, default=DEFAULT_CELL_M)
    trained_until = serializers.DateField(
        required=False, help_text="Last day of history used; default: yesterday."
    )
    cell_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = HotspotForecast
        fields = [
            "id",
            "region",
            "model_name",
            "cell_m",
            "crs",
            "trained_until",
            "events",
            "params",
            "cell_count",
            "created_at",
        ]
        read_only_fields = ["crs", "events", "params", "cell_count", "created_at"]


class CellPropertiesSerializer(serializers.Serializer):
    cell = serializers.IntegerField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    cell_m = serializers.FloatField()
    score = serializers.FloatField()
    rank = serializers.IntegerField()


class CellFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = serializers.JSONField(help_text="The cell as a GeoJSON Polygon (lon, lat).")
    properties = CellPropertiesSerializer()


class CellCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    forecast = serializers.IntegerField()
    features = CellFeatureSerializer(many=True)
