from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.places import MapClustersMixin
from saqshy.core.api.renderers import GeoJSONRenderer
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.gatherings import gates, services
from saqshy.gatherings.api.serializers import (
    CancelSerializer,
    GatheringSerializer,
    RejectSerializer,
)
from saqshy.gatherings.filtersets import GatheringFilterSet
from saqshy.gatherings.models import Gathering

_CONFLICT = OpenApiResponse(
    description="The event's state does not allow it; for approve, `gates` lists each failing "
    "gate with its reason."
)


class GatheringViewSet(MapClustersMixin, ScopedModelViewSet):
    """Mass events. Approval is refused (409) while any gate fails."""

    queryset = Gathering.objects.select_related("region", "venue")
    serializer_class = GatheringSerializer
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    filterset_class = GatheringFilterSet
    scoped_actions = {
        "submit": "change",
        "approve": "approve",
        "reject": "approve",
        "cancel": "change",
        "held": "change",
    }

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["gates"] = getattr(self, "_gates", {})
        return context

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._gates = gates.evaluate(page)
        return page

    def get_object(self) -> Gathering:
        gathering: Gathering = super().get_object()
        self._gates = gates.evaluate([gathering])
        return gathering

    def create_object(self, data: dict[str, Any]) -> Gathering:
        gathering = services.create_gathering(acting_user=self.request.user, **data)
        self._gates = gates.evaluate([gathering])
        return gathering

    def update_object(self, instance: Gathering, data: dict[str, Any]) -> Gathering:
        gathering = services.update_gathering(
            acting_user=self.request.user, gathering=instance, **data
        )
        self._gates = gates.evaluate([gathering])
        return gathering

    def delete_object(self, instance: Gathering) -> None:
        services.delete_gathering(acting_user=self.request.user, gathering=instance)

    def _respond(self, gathering: Gathering) -> Response:
        self._gates = gates.evaluate([gathering])
        return Response(self.get_serializer(gathering).data)

    @extend_schema(request=None, responses={200: GatheringSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.submit(acting_user=request.user, gathering=self.get_object()))

    @extend_schema(request=None, responses={200: GatheringSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve the event if every gate passes; 409 with the failing gates otherwise."""
        return self._respond(
            services.approve(acting_user=request.user, gathering=self.get_object())
        )

    @extend_schema(request=RejectSerializer, responses={200: GatheringSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        gathering = services.reject(
            acting_user=request.user, gathering=self.get_object(), **body.validated_data
        )
        return self._respond(gathering)

    @extend_schema(request=CancelSerializer, responses={200: GatheringSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        gathering = services.cancel(
            acting_user=request.user, gathering=self.get_object(), **body.validated_data
        )
        return self._respond(gathering)

    @extend_schema(request=None, responses={200: GatheringSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def held(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(
            services.mark_held(acting_user=request.user, gathering=self.get_object())
        )
