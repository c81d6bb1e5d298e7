from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from saqshy.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from saqshy.core.scoping import user_scope
from saqshy.winter import queries, services
from saqshy.winter.api.serializers import (
    AssignSerializer,
    NearestParamsSerializer,
    NearPointSerializer,
    OccupancySerializer,
    ShortfallSerializer,
    StandbySerializer,
    StrandedCloseSerializer,
    StrandedReportSerializer,
    WarmingPointSerializer,
)
from saqshy.winter.filtersets import (
    StandbyFilterSet,
    StrandedReportFilterSet,
    WarmingPointFilterSet,
)
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint


class WarmingPointViewSet(mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """Warming points within your grants. ``PATCH`` changes only ``occupancy`` (0..capacity;
    send ``If-Match`` with the ETag you read); ``nearest/`` gives the open points with places
    nearest to a place by road time."""

    queryset = WarmingPoint.objects.select_related("region")
    serializer_class = WarmingPointSerializer
    filterset_class = WarmingPointFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.request.method == "PATCH":
            return OccupancySerializer
        return WarmingPointSerializer

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        point = self.get_object()
        params = OccupancySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.set_occupancy(
            acting_user=request.user, point=point, occupancy=params.validated_data["occupancy"]
        )
        return Response(WarmingPointSerializer(point, context={"request": request}).data)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    @extend_schema(parameters=[NearestParamsSerializer], responses=NearPointSerializer(many=True))
    @action(detail=False, methods=["get"])
    def nearest(self, request: Request) -> Response:
        params = NearestParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        found = queries.nearest_points(
            data["lat"],
            data["lon"],
            people=data["people"],
            vehicle=data["vehicle"],
            limit=data["limit"],
        )
        return Response([near.as_dict() for near in found])

    @extend_schema(summary="Warming points, stranded reports and standby units for the map")
    @action(detail=False, methods=["get"])
    def map(self, request: Request) -> Response:
        """Three lists of features, each cut to the caller's grants; never a caller's phone."""
        return Response(queries.map_features(request.user))


class StrandedReportViewSet(ScopedModelViewSet):
    """Stranded people and vehicles. ``POST`` registers a report (and opens its incident);
    ``assign/`` (``point``), ``start/``, ``complete/`` (adds the people to the point's
    occupancy) and ``close/`` move it along. The caller's phone is shown only to those who
    may change the report."""

    queryset = StrandedReport.objects.select_related("region")
    serializer_class = StrandedReportSerializer
    filterset_class = StrandedReportFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data: dict[str, Any]) -> Any:
        return services.report_stranded(acting_user=self.request.user, **data)

    def _answer(self, report: StrandedReport) -> Response:
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=AssignSerializer, responses=StrandedReportSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        params = AssignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.assign_point(
            acting_user=request.user, report=report, point=params.validated_data["point"]
        )
        return self._answer(report)

    @extend_schema(request=None, responses=StrandedReportSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        services.start_evacuation(acting_user=request.user, report=report)
        return self._answer(report)

    @extend_schema(request=None, responses=StrandedReportSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        services.complete_evacuation(acting_user=request.user, report=report)
        return self._answer(report)

    @extend_schema(request=StrandedCloseSerializer, responses=StrandedReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        params = StrandedCloseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.close_report(
            acting_user=request.user, report=report, note=params.validated_data.get("note", "")
        )
        return self._answer(report)


class StandbyViewSet(ScopedReadOnlyViewSet):
    """Units on standby for bad weather within your grants; ``shortfalls/`` names what the
    norms call for and nobody covers now."""

    queryset = Standby.objects.select_related("unit", "region")
    serializer_class = StandbySerializer
    filterset_class = StandbyFilterSet

    @extend_schema(responses=ShortfallSerializer(many=True))
    @action(detail=False, methods=["get"])
    def shortfalls(self, request: Request) -> Response:
        scope = user_scope(request.user, Standby, "view")
        region_ids: Any = None if scope.national else scope.region_ids
        found = queries.shortfalls(timezone.now(), region_ids)
        return Response(ShortfallSerializer(found, many=True).data)
