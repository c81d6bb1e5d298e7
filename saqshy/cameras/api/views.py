from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.cameras import queries, services
from saqshy.cameras.api.serializers import (
    CameraCountSerializer,
    CameraSerializer,
    DensityReadingSerializer,
    DensitySeriesParamsSerializer,
)
from saqshy.cameras.filtersets import CameraFilterSet
from saqshy.cameras.models import Camera, DensityReading
from saqshy.core.api.viewsets import ScopedModelViewSet


class CameraViewSet(ScopedModelViewSet):
    """Cameras within your grants. Writes derive the region from the location; ``PATCH`` and
    ``PUT`` take ``If-Match`` with the ETag you read; a camera is never deleted, only taken out
    of service (``deactivate/``). ``counts/`` records a count of people from the video counter
    (``Idempotency-Key`` makes a retry safe), ``readings/`` gives the time series and
    ``map/`` what the situation map draws. Filter with ``region``, ``facility``, ``owner``,
    ``is_active`` and ``near=lat,lon,radius_m``."""

    queryset = Camera.objects.select_related("region")
    serializer_class = CameraSerializer
    filterset_class = CameraFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    # A count is a density reading the service checks (``add`` on readings); taking a camera
    # out of service is a change of it.
    scoped_actions = {"deactivate": "change", "counts": "view"}

    def get_queryset(self) -> Any:
        return queries.with_latest(super().get_queryset())

    def create_object(self, data: dict[str, Any]) -> Camera:
        return services.create_camera(acting_user=self.request.user, **data)

    def update_object(self, instance: Camera, data: dict[str, Any]) -> Camera:
        return services.update_camera(acting_user=self.request.user, camera=instance, **data)

    def _answer(self, camera: Camera, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=camera.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=None, responses=CameraSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        camera = self.get_object()
        services.deactivate_camera(acting_user=request.user, camera=camera)
        return self._answer(camera)

    @extend_schema(request=CameraCountSerializer, responses={201: DensityReadingSerializer})
    @action(detail=True, methods=["post"])
    def counts(self, request: Request, pk: str | None = None) -> Response:
        camera = self.get_object()
        params = CameraCountSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        reading = services.record_count(
            acting_user=request.user,
            camera=camera,
            at=params.validated_data["at"],
            count=params.validated_data["count"],
        )
        return Response(DensityReadingSerializer(reading).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[DensitySeriesParamsSerializer], responses=DensityReadingSerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def readings(self, request: Request, pk: str | None = None) -> Response:
        camera = self.get_object()
        params = DensitySeriesParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        since = timezone.now() - dt.timedelta(hours=params.validated_data["hours"])
        rows = DensityReading.objects.filter(camera=camera, at__gte=since).order_by("at", "id")
        return Response(DensityReadingSerializer(rows, many=True).data)

    @extend_schema(summary="Cameras in service with their watched areas and density levels")
    @action(detail=False, methods=["get"])
    def map(self, request: Request) -> Response:
        """Each camera in service with its watched area and the level it shows now; never a
        stream address or a calibration."""
        return Response(queries.map_features(request.user))
