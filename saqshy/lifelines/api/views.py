from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from saqshy.core.api.viewsets import ScopedReadOnlyViewSet
from saqshy.lifelines import queries, services
from saqshy.lifelines.api.serializers import (
    AlertSerializer,
    OutageSerializer,
    ReadingRangeSerializer,
    ReadingSerializer,
    RestoreSerializer,
    UtilitySiteSerializer,
)
from saqshy.lifelines.filtersets import OutageFilterSet, UtilitySiteFilterSet
from saqshy.lifelines.models import Alert, Outage, UtilitySite


class UtilitySiteViewSet(ScopedReadOnlyViewSet):
    """Utility sites within your grants, with their service areas and people served;
    ``readings/`` gives a site's telemetry over a time range (default the last 24 hours)."""

    queryset = UtilitySite.objects.select_related("facility", "gateway", "region")
    serializer_class = UtilitySiteSerializer
    filterset_class = UtilitySiteFilterSet

    @extend_schema(parameters=[ReadingRangeSerializer], responses=ReadingSerializer(many=True))
    @action(detail=True, methods=["get"])
    def readings(self, request: Request, pk: str | None = None) -> Response:
        site = self.get_object()
        params = ReadingRangeSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        until = params.validated_data.get("until") or timezone.now()
        since = params.validated_data.get("since") or until - dt.timedelta(hours=24)
        rows = queries.readings(site, since, until)
        if params.validated_data.get("parameter"):
            rows = rows.filter(parameter=params.validated_data["parameter"])
        return Response(ReadingSerializer(rows[:5000], many=True).data)

    @extend_schema(summary="Sites and open outage areas for the situation map")
    @action(detail=False, methods=["get"])
    def map(self, request: Request) -> Response:
        """Sites as GeoJSON points with their state; an open outage adds its service area."""
        sites = list(self.get_queryset())
        return Response({"features": queries.map_features(sites), "next": None})


class AlertViewSet(ScopedReadOnlyViewSet):
    """Alerts raised from telemetry (pending, raised, cleared)."""

    queryset = Alert.objects.select_related("site", "parameter")
    serializer_class = AlertSerializer


class OutageViewSet(mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """The outage register. The energy agency edits cause, crew and the estimated
    restoration, and restores an outage (``restore/``: alert cleared, incident closed)."""

    queryset = Outage.objects.select_related("site", "site__facility")
    serializer_class = OutageSerializer
    filterset_class = OutageFilterSet
    http_method_names = ["get", "patch", "post", "head", "options"]

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        outage: Outage = serializer.instance  # type: ignore[assignment]
        serializer.instance = services.update_outage(
            acting_user=self.request.user,
            outage=outage,
            **dict(serializer.validated_data),
        )

    @extend_schema(request=RestoreSerializer, responses=OutageSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        outage = self.get_object()
        params = RestoreSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.restore_outage(
            acting_user=request.user, outage=outage, at=params.validated_data.get("at")
        )
        return Response(OutageSerializer(self.get_queryset().get(pk=outage.pk)).data)
