from __future__ import annotations

from typing import Any

import numpy as np
from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.algorithms.forecast.grid import Grid
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.forecasts import services
from saqshy.forecasts.api.serializers import CellCollectionSerializer, HotspotForecastSerializer
from saqshy.forecasts.models import HotspotCell, HotspotForecast

MAX_CELLS = 20_000


class CellQuery(serializers.Serializer):
    top = serializers.IntegerField(required=False, min_value=1, max_value=MAX_CELLS, default=2000)
    min_score = serializers.FloatField(required=False, min_value=0, default=0)


class HotspotForecastViewSet(ScopedModelViewSet):
    """Stored hotspot forecasts per region. ``POST`` computes one from the region's incident
    history (synchronously: seconds); forecasts are never edited, only replaced or deleted."""

    queryset = (
        HotspotForecast.objects.select_related("region")
        .annotate(cell_count=Count("cells"))
        .order_by("-created_at", "-id")
    )
    serializer_class = HotspotForecastSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    filterset_fields = ["model_name"]
    scoped_actions = {"cells": "view"}

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if slug := self.request.query_params.get("region"):
            queryset = queryset.filter(region__slug=slug)
        return queryset

    def create_object(self, data: dict[str, Any]) -> HotspotForecast:
        forecast = services.compute_forecast(acting_user=self.request.user, **data)
        fresh: HotspotForecast = self.get_queryset().get(pk=forecast.pk)
        return fresh

    def delete_object(self, instance: HotspotForecast) -> None:
        services.delete_forecast(acting_user=self.request.user, forecast=instance)

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="region slug"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter("top", int, description="the highest-scoring N cells (default 2000)"),
            OpenApiParameter("min_score", float, description="only cells scoring at least this"),
        ],
        responses={200: CellCollectionSerializer},
    )
    @action(detail=True, methods=["get"])
    def cells(self, request: Request, pk: str | None = None) -> Response:
        """The forecast's cells as a GeoJSON FeatureCollection of squares, highest score first;
        ``score`` is the cell's share of the region's forecast risk."""
        forecast: HotspotForecast = self.get_object()
        query = CellQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = list(
            HotspotCell.objects.filter(
                forecast=forecast, score__gte=query.validated_data["min_score"]
            )
            .order_by("-score", "cell")
            .values_list("cell", "lat", "lon", "score")[: query.validated_data["top"]]
        )
        features = []
        if rows:
            grid_params = forecast.params.get("grid", {})
            grid = Grid(
                crs=forecast.crs,
                x0=float(grid_params["x0"]),
                y0=float(grid_params["y0"]),
                cell_m=forecast.cell_m,
                nx=int(grid_params["nx"]),
                ny=int(grid_params["ny"]),
            )
            corners = grid.corners_lonlat(np.array([r[0] for r in rows], dtype=np.int64))
            for rank, (row, square) in enumerate(zip(rows, corners, strict=True), start=1):
                ring = [[round(float(x), 6), round(float(y), 6)] for x, y in square]
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                        "properties": {
                            "cell": row[0],
                            "lat": row[1],
                            "lon": row[2],
                            "cell_m": forecast.cell_m,
                            "score": row[3],
                            "rank": rank,
                        },
                    }
                )
        return Response(
            {"type": "FeatureCollection", "forecast": forecast.pk, "features": features}
        )
