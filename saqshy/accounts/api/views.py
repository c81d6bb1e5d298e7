from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saqshy.accounts.api.serializers import (
    AgencySerializer,
    MeSerializer,
    NormSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)
from saqshy.accounts.models import Agency, Norm, Region, User
from saqshy.accounts.queries import region_id_at
from saqshy.accounts.roads import NoRoadGraph, graph_for
from saqshy.algorithms.routing import Unreachable, route
from saqshy.algorithms.routing.graph import Metric
from saqshy.core.api.viewsets import ScopedReadOnlyViewSet


class RegionViewSet(ScopedReadOnlyViewSet):
    """First-level regions (reference data); the detail includes the boundary."""

    # The boundary is large and only the detail shows it: the list leaves it unread.
    queryset = Region.objects.defer("boundary")
    lookup_field = "slug"
    filterset_fields = ["kind"]

    def get_queryset(self) -> Any:
        rows = super().get_queryset()
        return rows.defer(None) if self.action == "retrieve" else rows

    def get_serializer_class(self) -> Any:
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer


class AgencyViewSet(ScopedReadOnlyViewSet):
    """Agencies taking part, national (no region) or regional."""

    queryset = Agency.objects.select_related("region")
    serializer_class = AgencySerializer
    filterset_fields = ["kind", "region__slug"]


@extend_schema(summary="The signed-in user and their grants")
class MeView(RetrieveAPIView):
    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        return User.objects.prefetch_related(
            "grants__agency", "grants__region", "grants__role"
        ).get(pk=user.pk)


class NormViewSet(ScopedReadOnlyViewSet):
    """Norms and thresholds as data: national defaults (no region) and regional overrides."""

    queryset = Norm.objects.select_related("region")
    serializer_class = NormSerializer
    filterset_fields = ["code", "region__slug"]


def _point(value: str, field: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise ValidationError(
            {field: [_("Give the point as LAT,LON, e.g. 51.128,71.43.")]}
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({field: [_("Latitude must be within ±90 and longitude ±180.")]})
    return lat, lon


def _may_route_in(user: Any, region: Region) -> bool:
    """Whether ``user`` holds a grant in ``region`` (or a national one): routes are operational
    information of a region, like its units and incidents."""
    if user.is_superuser:
        return True
    granted: bool = user.grants.filter(Q(region=None) | Q(region=region)).exists()
    return granted


class RouteView(APIView):
    """The shortest route on a region's road network, by travel time or by distance.

    Points snap to the nearest road node; a point farther than ``SAQSHY_SNAP_MAX_M`` (500 m by
    default) from any road, or a pair with no route between them, answers 422. Only regions
    where the caller holds a grant (or a national one) are routed; any other answers 403.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="LAT,LON"),
            OpenApiParameter("to", str, required=True, description="LAT,LON"),
            OpenApiParameter("metric", str, enum=["time", "distance"], description="default time"),
            OpenApiParameter("region", str, description="slug; default: the region of `from`"),
        ],
        responses={200: {"type": "object"}, 422: {"type": "object"}},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        missing = {f: [_("This field is required.")] for f in ("from", "to") if not params.get(f)}
        if missing:
            raise ValidationError(missing)
        origin, target = _point(params["from"], "from"), _point(params["to"], "to")
        metric: Metric = "distance" if params.get("metric") == "distance" else "time"
        if params.get("metric", "time") not in {"time", "distance"}:
            raise ValidationError({"metric": [_("Use time or distance.")]})
        regions: QuerySet[Region] = Region.objects.restrict(request.user)
        region: Region | None
        if slug := params.get("region"):
            region = regions.filter(slug=slug).first()
            if region is None:
                raise ValidationError({"region": [_("Unknown region.")]})
        else:
            region_id = region_id_at(*origin)
            region = regions.filter(pk=region_id).first() if region_id else None
            if region is None:
                return _unprocessable(_("The start lies outside every known region."))
        if not _may_route_in(request.user, region):
            raise PermissionDenied(_("You hold no grant in this region."))
        try:
            graph = graph_for(region)
        except NoRoadGraph:
            return _unprocessable(_("There is no road network for this region yet."))
        limit = float(settings.SAQSHY_SNAP_MAX_M)
        snapped = []
        for name, (lat, lon) in (("from", origin), ("to", target)):
            node, metres = graph.snap(lat, lon)
            if metres > limit:
                return _unprocessable(
                    _("The %(which)s point is %(m)s m from the nearest road (limit %(limit)s m).")
                    % {"which": name, "m": round(metres), "limit": round(limit)}
                )
            snapped.append(node)
        try:
            found = route(graph, snapped[0], snapped[1], metric=metric)
        except Unreachable:
            return _unprocessable(_("No route connects these points on the road network."))
        return Response(
            {
                "seconds": round(found.seconds, 1),
                "meters": round(found.meters, 1),
                "metric": metric,
                "region": region.slug,
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in found.coords]},
                "from_snapped": [float(graph.lat[snapped[0]]), float(graph.lon[snapped[0]])],
                "to_snapped": [float(graph.lat[snapped[1]]), float(graph.lon[snapped[1]])],
            }
        )


def _unprocessable(detail: str) -> Response:
    return Response({"detail": detail}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
