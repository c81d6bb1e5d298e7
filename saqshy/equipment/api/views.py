from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.renderers import GeoJSONRenderer
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.core.scoping import restricted
from saqshy.equipment import services
from saqshy.equipment.api.serializers import (
    EquipmentCheckSerializer,
    FacilityEquipmentSerializer,
    HydrantCheckSerializer,
    HydrantSerializer,
    NearestQuerySerializer,
    NearestResponseSerializer,
)
from saqshy.equipment.filtersets import FacilityEquipmentFilterSet, HydrantFilterSet
from saqshy.equipment.models import FacilityEquipment, Hydrant
from saqshy.equipment.queries import nearest_operable_hydrants
from saqshy.facilities.models import Facility

_FORMAT = OpenApiParameter(
    "format", str, enum=["json", "geojson"], description="`geojson` for a FeatureCollection"
)


@extend_schema_view(list=extend_schema(parameters=[_FORMAT]))
class HydrantViewSet(ScopedModelViewSet):
    """Fire hydrants and fire water tanks within your grants; the region follows from the
    location. ``operable`` and ``last_checked_on`` follow from the newest recorded check."""

    queryset = Hydrant.objects.select_related("region")
    serializer_class = HydrantSerializer
    filterset_class = HydrantFilterSet
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    scoped_actions = {"check": "change", "checks": "view", "nearest": "view"}

    def create_object(self, data: dict[str, Any]) -> Hydrant:
        return services.create_hydrant(acting_user=self.request.user, **data)

    def update_object(self, instance: Hydrant, data: dict[str, Any]) -> Hydrant:
        return services.update_hydrant(acting_user=self.request.user, hydrant=instance, **data)

    def delete_object(self, instance: Hydrant) -> None:
        services.delete_hydrant(acting_user=self.request.user, hydrant=instance)

    @extend_schema(request=HydrantCheckSerializer, responses={201: HydrantCheckSerializer})
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def check(self, request: Request, pk: str | None = None) -> Response:
        """Record a check on site; the newest check sets the hydrant's state."""
        hydrant = self.get_object()
        body = HydrantCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = services.record_hydrant_check(
            acting_user=request.user, hydrant=hydrant, **body.validated_data
        )
        return Response(HydrantCheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=HydrantCheckSerializer(many=True))
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def checks(self, request: Request, pk: str | None = None) -> Response:
        """The hydrant's check history, newest first."""
        hydrant = self.get_object()
        page = self.paginate_queryset(
            restricted(request.user, hydrant.checks).select_related("checked_by")
        )
        return self.get_paginated_response(HydrantCheckSerializer(page, many=True).data)

    @extend_schema(
        parameters=[NearestQuerySerializer, _FORMAT], responses=NearestResponseSerializer
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def nearest(self, request: Request) -> Response:
        """The ``k`` operable hydrants nearest to a facility within ``max_m`` metres, nearest
        first. A facility outside your scope is not found (404)."""
        query = NearestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        visible: Any = Facility.objects.restrict(request.user, "view")
        facility = get_object_or_404(visible, pk=params["facility"])
        found = nearest_operable_hydrants(
            facility, params["k"], params["max_m"], hydrants=self.get_queryset()
        )
        context = self.get_serializer_context()
        results = [
            {
                **HydrantSerializer(near.hydrant, context=context).data,
                "distance_m": round(near.distance_m, 1),
            }
            for near in found
        ]
        return Response({"facility": facility.pk, "count": len(found), "results": results})


class FacilityEquipmentViewSet(ScopedModelViewSet):
    """Fire extinguishers, alarm and sprinkler systems, emergency lighting and fire blankets
    at facilities within your grants. ``in_order`` and ``last_checked_on`` follow from the
    newest recorded check; ``?overdue=true`` lists what is past its next check date."""

    queryset = FacilityEquipment.objects.select_related("facility")
    serializer_class = FacilityEquipmentSerializer
    filterset_class = FacilityEquipmentFilterSet
    scoped_actions = {"check": "change", "checks": "view"}

    def create_object(self, data: dict[str, Any]) -> FacilityEquipment:
        return services.create_equipment(acting_user=self.request.user, **data)

    def update_object(self, instance: FacilityEquipment, data: dict[str, Any]) -> Any:
        return services.update_equipment(acting_user=self.request.user, equipment=instance, **data)

    def delete_object(self, instance: FacilityEquipment) -> None:
        services.delete_equipment(acting_user=self.request.user, equipment=instance)

    @extend_schema(request=EquipmentCheckSerializer, responses={201: EquipmentCheckSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        """Record a check; the newest check sets the equipment's state and next check date."""
        equipment = self.get_object()
        body = EquipmentCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = services.record_equipment_check(
            acting_user=request.user, equipment=equipment, **body.validated_data
        )
        return Response(EquipmentCheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EquipmentCheckSerializer(many=True))
    @action(detail=True, methods=["get"])
    def checks(self, request: Request, pk: str | None = None) -> Response:
        """The equipment's check history, newest first."""
        equipment = self.get_object()
        page = self.paginate_queryset(
            restricted(request.user, equipment.checks).select_related("checked_by")
        )
        return self.get_paginated_response(EquipmentCheckSerializer(page, many=True).data)
