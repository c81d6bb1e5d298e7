"""The roads API: segments (list, detail, GeoJSON, rename), closures (list, close, reopen)
and the route around closures. Writes go through ``roads.services``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from saqshy.core.api.viewsets import ScopedReadOnlyViewSet
from saqshy.core.exceptions import Conflict
from saqshy.roads import queries, routing, services
from saqshy.roads.api.serializers import (
    ClosureSerializer,
    ReopenSerializer,
    RouteAnswerSerializer,
    RouteQuerySerializer,
    SegmentSerializer,
)
from saqshy.roads.filtersets import ClosureFilterSet, SegmentFilterSet
from saqshy.roads.models import Closure, Segment


class SegmentViewSet(mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """Highway segments within your grants. ``PATCH`` edits the road number, the kk/ru/en
    names and the speed (send ``If-Match`` with the ``ETag`` you read); ``geojson/`` gives
    the segments as a GeoJSON FeatureCollection with their status and current closure."""

    queryset = Segment.objects.select_related("region")
    serializer_class = SegmentSerializer
    filterset_class = SegmentFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        segment: Segment = serializer.instance  # type: ignore[assignment]
        serializer.instance = services.update_segment(
            acting_user=self.request.user, segment=segment, **dict(serializer.validated_data)
        )

    @extend_schema(summary="Segments as GeoJSON", responses={200: {"type": "object"}})
    @action(detail=False, methods=["get"])
    def geojson(self, request: Request) -> Response:
        segments = queries.with_current_closure(self.filter_queryset(self.get_queryset()))
        features = []
        for segment in segments:
            current = getattr(segment, "current", None) or [None]
            features.append(queries.segment_feature(segment, current[0]))
        return Response({"type": "FeatureCollection", "features": features})


class ClosureViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Closures and restrictions, newest first (``current=true``: those in force). ``POST``
    closes or restricts a segment (a current closure is replaced); ``reopen/`` ends a current
    closure. Only the road authority's planners and duty officers and the duty officers of the
    emergency service and the akimat decide, in their regions (403 otherwise)."""

    queryset = Closure.objects.select_related("segment__region", "decided_by")
    serializer_class = ClosureSerializer
    filterset_class = ClosureFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        parameters=[OpenApiParameter("current", bool, description="only closures in force")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        rows = super().get_queryset().order_by("-starts_at", "-pk")
        current = self.request.query_params.get("current", "")
        if current.lower() in ("1", "true", "yes"):
            rows = rows.filter(ended_at__isnull=True)
        return rows

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.close_segment(
            acting_user=self.request.user,
            segment=data.pop("segment"),
            status=data.pop("status"),
            reason=data.pop("reason"),
            restriction=data.pop("restriction", "") or "",
            note=data.pop("note", "") or "",
            starts_at=data.pop("starts_at", None),
            expected_reopening_at=data.pop("expected_reopening_at", None),
            agency=data.pop("agency", None),
        )

    @extend_schema(request=ReopenSerializer, responses=ClosureSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        closure: Closure = self.get_object()
        params = ReopenSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if closure.ended_at is not None:
            raise Conflict(_("This closure has already ended."), code="ended")
        services.reopen_segment(
            acting_user=request.user, segment=closure.segment, at=params.validated_data.get("at")
        )
        return Response(ClosureSerializer(Closure.objects.get(pk=closure.pk)).data)


def _point(text: str, field: str) -> tuple[float, float]:
    """A place name at segment ends, or ``LAT,LON``."""
    parts = text.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            lat = lon = float("nan")
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
        raise ValidationError({field: [_("Give a place name or LAT,LON.")]})
    found = routing.place(text.strip())
    if found is None:
        raise ValidationError({field: [_("Unknown place: choose one of the route planner's.")]})
    return found.lat, found.lon


class RouteViewSet(viewsets.ViewSet):
    """The quickest route a vehicle may drive now on the highway network: 200 with the route
    (km, hours, roads by name, the closures it goes around); 409 with ``blocking`` when
    closures cut every way (the reason names them); 422 when no road connects the places."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[RouteQuerySerializer],
        responses={
            200: RouteAnswerSerializer,
            409: RouteAnswerSerializer,
            422: RouteAnswerSerializer,
        },
    )
    def list(self, request: Request) -> Response:
        params = RouteQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        origin = _point(params.validated_data["from"], "from")
        destination = _point(params.validated_data["to"], "to")
        if not Segment.objects.exists():
            raise ValidationError({"from": [_("The road network is not loaded.")]})
        answer = routing.explain_route(origin, destination, params.validated_data["vehicle"])
        code = {
            routing.ROUTE: status.HTTP_200_OK,
            routing.BLOCKED: status.HTTP_409_CONFLICT,
        }.get(answer.kind, status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(answer.as_dict(), status=code)
