from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.trips import queries, services
from saqshy.trips.api.serializers import (
    AssignEscortSerializer,
    EscortCandidatesSerializer,
    TripReasonSerializer,
    TripRejectSerializer,
    TripSerializer,
    TripStatusSerializer,
)
from saqshy.trips.filtersets import TripFilterSet
from saqshy.trips.models import Trip

_CONFLICT = OpenApiResponse(
    description="The trip's state does not allow it. For approve and escort: `code` is "
    "`escort_missing` or `escort_busy`, `escort` names the escort and `conflicts` lists each "
    "absence, shift or other trip that keeps it busy."
)


class TripViewSet(ScopedModelViewSet):
    """Children's group trips. Approval is refused (409) without an assigned, free escort."""

    queryset = queries.with_escort(Trip.objects.all())
    serializer_class = TripSerializer
    filterset_class = TripFilterSet
    scoped_actions = {
        "submit": "change",
        "approve": "approve",
        "reject": "approve",
        "cancel": "change",
        "reopen": "change",
        "escort": "approve",
        "escort_candidates": "approve",
        "status": "view",
    }

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["escorts"] = getattr(self, "_escorts", {})
        return context

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._escorts = queries.evaluate(page)
        return page

    def filter_queryset(self, queryset: Any) -> Any:
        # The officer search's ``q`` is not the trip list's ``q``.
        if self.action == "escort_candidates":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self) -> Trip:
        trip: Trip = super().get_object()
        self._escorts = queries.evaluate([trip])
        return trip

    def _fresh(self, trip: Trip) -> Trip:
        fresh: Trip = queries.with_escort(Trip.objects.all()).get(pk=trip.pk)
        self._escorts = queries.evaluate([fresh])
        return fresh

    def create_object(self, data: dict[str, Any]) -> Trip:
        return self._fresh(services.register_trip(acting_user=self.request.user, **data))

    def update_object(self, instance: Trip, data: dict[str, Any]) -> Trip:
        trip = services.update_trip(acting_user=self.request.user, trip=instance, **data)
        return self._fresh(trip)

    def delete_object(self, instance: Trip) -> None:
        services.delete_trip(acting_user=self.request.user, trip=instance)

    def _respond(self, trip: Trip) -> Response:
        return Response(self.get_serializer(self._fresh(trip)).data)

    @extend_schema(request=None, responses={200: TripSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.submit_trip(acting_user=request.user, trip=self.get_object()))

    @extend_schema(request=None, responses={200: TripSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve the trip if its police escort is assigned and free; 409 naming it if not."""
        return self._respond(
            services.approve_trip(acting_user=request.user, trip=self.get_object())
        )

    @extend_schema(request=TripRejectSerializer, responses={200: TripSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        body = TripRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        trip = services.reject_trip(
            acting_user=request.user, trip=self.get_object(), **body.validated_data
        )
        return self._respond(trip)

    @extend_schema(request=TripReasonSerializer, responses={200: TripSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        body = TripReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        trip = services.cancel_trip(
            acting_user=request.user, trip=self.get_object(), **body.validated_data
        )
        return self._respond(trip)

    @extend_schema(request=None, responses={200: TripSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.reopen_trip(acting_user=request.user, trip=self.get_object()))

    @extend_schema(
        methods=["POST"],
        request=AssignEscortSerializer,
        responses={200: TripSerializer, 409: _CONFLICT},
        description="Assign a police officer (`person`) or unit (`unit`) as the escort.",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={200: TripSerializer, 409: _CONFLICT},
        description="Remove the escort of a trip that is not yet approved.",
    )
    @action(detail=True, methods=["post", "delete"])
    def escort(self, request: Request, pk: str | None = None) -> Response:
        trip = self.get_object()
        if request.method == "DELETE":
            return self._respond(services.unassign_escort(acting_user=request.user, trip=trip))
        body = AssignEscortSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.assign_escort(acting_user=request.user, trip=trip, **body.validated_data)
        return self._respond(trip)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words of the name, or the personnel number"),
            OpenApiParameter("limit", int, description="At most this many (1-50, default 20)"),
        ],
        responses={200: EscortCandidatesSerializer},
        description="Police officers of the trip's region for its escort, searched by name or "
        "personnel number: those free for the whole trip (buffer included) first, then the "
        "busy ones with the reasons.",
    )
    @action(detail=True, methods=["get"], url_path="escort-candidates")
    def escort_candidates(self, request: Request, pk: str | None = None) -> Response:
        trip = self.get_object()
        try:
            limit = min(max(int(request.query_params.get("limit", 20)), 1), 50)
        except ValueError:
            limit = 20
        text = request.query_params.get("q", "")[:100]
        persons = queries.escort_persons(request.user, trip)
        found = queries.escort_candidates(persons, trip, text, limit=limit)
        return Response({"results": [c.as_dict() for c in found]})

    @extend_schema(
        request=TripStatusSerializer,
        responses={200: TripSerializer, 403: OpenApiResponse(), 409: _CONFLICT},
        description="Report departed, arrived or returned: the escort's own account or an "
        "approver in the region.",
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        body = TripStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        trip = services.report_status(
            acting_user=request.user, trip=self.get_object(), **body.validated_data
        )
        return self._respond(trip)
