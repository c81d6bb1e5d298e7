from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.weather import queries, services
from saqshy.weather.api.serializers import DecisionSerializer, WarningSerializer
from saqshy.weather.filtersets import WarningFilterSet
from saqshy.weather.models import WeatherWarning

_REFUSED = OpenApiResponse(
    description="403: confirming needs the road authority's grant for every segment; 409: "
    "the warning is no longer proposed; 412: `If-Match` names an older version."
)


class WarningViewSet(ScopedModelViewSet):
    """Weather warnings within your grants. ``POST`` enters one by hand (proposed);
    ``confirm/`` closes its road segments (road authority only), ``dismiss/`` closes nothing."""

    queryset = WeatherWarning.objects.all()
    serializer_class = WarningSerializer
    filterset_class = WarningFilterSet
    http_method_names = ["get", "post", "head", "options"]
    scoped_actions = {"confirm": "change", "dismiss": "change", "map": "view"}

    def get_queryset(self) -> Any:
        return queries.visible(self.request.user)

    def create_object(self, data: dict[str, Any]) -> WeatherWarning:
        warning = services.create_warning(acting_user=self.request.user, **data)
        fresh: WeatherWarning = self.get_queryset().get(pk=warning.pk)
        return fresh

    def _decided(self, warning: WeatherWarning) -> Response:
        fresh = self.get_queryset().get(pk=warning.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=DecisionSerializer, responses={200: WarningSerializer, 403: _REFUSED})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        warning = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.confirm_warning(
            acting_user=request.user, warning=warning, note=body.validated_data["note"]
        )
        return self._decided(warning)

    @extend_schema(request=DecisionSerializer, responses={200: WarningSerializer, 409: _REFUSED})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        warning = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.dismiss_warning(
            acting_user=request.user, warning=warning, note=body.validated_data["note"]
        )
        return self._decided(warning)

    @extend_schema(summary="Active warnings as GeoJSON features for the situation map")
    @action(detail=False, methods=["get"])
    def map(self, request: Request) -> Response:
        rows = self.filter_queryset(self.get_queryset())
        return Response({"features": queries.map_features(rows), "next": None})
