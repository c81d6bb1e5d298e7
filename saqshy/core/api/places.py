"""Lists of places: ``?bbox=`` (:class:`BBoxFilter`) and ``GET …/clusters/``, how many of a
list's places lie in each cell of a grid, for a map that shows a whole country
(``saqshy.algorithms.map_grid``).

The list's own filters apply (scope, ``region``, ``kind``, ``date_from``, ``bbox`` …), so a
count never includes a row the list would not show. The answer is bounded whatever the box
and zoom: at most ``MAX_CELLS`` cells.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Avg, Count, F, Max, Min, QuerySet
from django.db.models.functions import Floor
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.algorithms.map_grid import MAX_CELLS, WORLD, Box, cell_size


class BBoxField(forms.CharField):
    """``minlon,minlat,maxlon,maxlat`` in degrees."""

    def clean(self, value: Any) -> tuple[float, float, float, float] | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            parts = [float(part) for part in str(value).split(",")]
        except ValueError:
            parts = []
        if len(parts) != 4:
            raise forms.ValidationError(
                _("Give four numbers: minlon,minlat,maxlon,maxlat."), code="invalid"
            )
        minlon, minlat, maxlon, maxlat = parts
        if not (-180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
            raise forms.ValidationError(
                _(
                    "The box must satisfy -180 <= minlon <= maxlon <= 180 and "
                    "-90 <= minlat <= maxlat <= 90."
                ),
                code="invalid",
            )
        return minlon, minlat, maxlon, maxlat


@extend_schema_field(OpenApiTypes.STR)
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        minlon, minlat, maxlon, maxlat = value
        return qs.filter(lat__gte=minlat, lat__lte=maxlat, lon__gte=minlon, lon__lte=maxlon)


class ClusterQuery(serializers.Serializer):
    zoom = serializers.IntegerField(min_value=0, max_value=22)


class ClusterSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="Mean latitude of the cell's places.")
    lon = serializers.FloatField(help_text="Mean longitude of the cell's places.")
    count = serializers.IntegerField()
    bbox = serializers.ListField(
        child=serializers.FloatField(),
        min_length=4,
        max_length=4,
        help_text="minlon,minlat,maxlon,maxlat of the cell's places: zoom the map to it.",
    )


class ClustersAnswerSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="All places counted (in the box, if given).")
    cell = serializers.FloatField(help_text="The grid's cell in degrees.")
    results = ClusterSerializer(many=True)


class MapClustersMixin:
    """Adds ``clusters`` to a list of places with ``lat`` and ``lon`` (rows without a position
    are not counted)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "zoom",
                int,
                required=True,
                description="The map's zoom, 0–22: the finer the "
                "zoom, the smaller the cells (a quarter of a tile's width).",
            ),
        ],
        responses=ClustersAnswerSerializer,
        description=f"Counts per grid cell of what the list would return, with the same "
        f"filters (`bbox` limits the cells to a box). At most {MAX_CELLS} cells.",
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def clusters(self, request: Request) -> Response:
        query = ClusterQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        view: Any = self
        rows = view.filter_queryset(view.get_queryset()).exclude(lat=None).exclude(lon=None)
        box = BBoxField(required=False).clean(request.query_params.get("bbox"))
        cell = cell_size(query.validated_data["zoom"], Box(*box) if box else WORLD)
        grouped = (
            rows.order_by()
            .annotate(cell_y=Floor(F("lat") / cell), cell_x=Floor(F("lon") / cell))
            .values("cell_y", "cell_x")
            .annotate(
                n=Count("pk"),
                mean_lat=Avg("lat"),
                mean_lon=Avg("lon"),
                west=Min("lon"),
                south=Min("lat"),
                east=Max("lon"),
                north=Max("lat"),
            )
            .order_by("cell_y", "cell_x")
        )
        results = [
            {
                "lat": round(row["mean_lat"], 5),
                "lon": round(row["mean_lon"], 5),
                "count": row["n"],
                "bbox": [round(row[k], 5) for k in ("west", "south", "east", "north")],
            }
            for row in grouped
        ]
        count = sum(row["count"] for row in results)
        return Response({"count": count, "cell": cell, "results": results})
