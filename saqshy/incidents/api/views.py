from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.incidents import queries, services
from saqshy.incidents.api.serializers import (
    AdvanceSerializer,
    CloseSerializer,
    DispatchSerializer,
    IncidentSerializer,
    JournalEntrySerializer,
    NoteSerializer,
    PositionSerializer,
    RecommendationsSerializer,
    UnitSerializer,
)
from saqshy.incidents.filtersets import IncidentFilterSet, UnitFilterSet
from saqshy.incidents.models import Incident, IncidentUnit, Unit

_CONFLICT = OpenApiResponse(
    description="The incident's or a unit's state does not allow it (e.g. an invalid status "
    "change, or a unit another dispatcher has just taken); nothing was changed."
)


class IncidentViewSet(ScopedModelViewSet):
    """Incidents on the duty desk. Kept as history: no edits or deletes, only the actions."""

    queryset = Incident.objects.select_related("type", "region").prefetch_related(
        Prefetch("assignments", queryset=IncidentUnit.objects.select_related("unit"))
    )
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    http_method_names = ["get", "post", "head", "options"]
    scoped_actions = {
        "notes": "change",
        "close": "change",
        "advance": "change",
        "send_units": "change",
        "journal": "view",
        "recommendations": "view",
    }

    def create_object(self, data: dict[str, Any]) -> Incident:
        return services.report_incident(acting_user=self.request.user, **data)

    def _respond(self, incident: Incident) -> Response:
        fresh = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses={200: JournalEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def journal(self, request: Request, pk: str | None = None) -> Response:
        """The incident's journal: automatic lines and people's notes, oldest first."""
        entries = self.get_object().journal.select_related("author").order_by("at", "id")
        return Response(JournalEntrySerializer(entries, many=True).data)

    @extend_schema(request=NoteSerializer, responses={201: JournalEntrySerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """Add a note to the incident's journal."""
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.add_note(
            acting_user=request.user, incident=self.get_object(), text=body.validated_data["text"]
        )
        return Response(JournalEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdvanceSerializer, responses={200: IncidentSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        """Move the incident to ``status`` if its current status allows it (else 409)."""
        body = AdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = services.advance(
            acting_user=request.user,
            incident=self.get_object(),
            to_status=body.validated_data["status"],
            reason=body.validated_data["reason"],
        )
        return self._respond(incident)

    @extend_schema(request=CloseSerializer, responses={200: IncidentSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = services.close(
            acting_user=request.user, incident=self.get_object(), **body.validated_data
        )
        return self._respond(incident)

    @extend_schema(request=None, responses={200: RecommendationsSerializer})
    @action(detail=True, methods=["get"])
    def recommendations(self, request: Request, pk: str | None = None) -> Response:
        """Units to send, fastest by road first, and every other unit with why not."""
        return Response(queries.recommendations(self.get_object(), request.user))

    @extend_schema(request=DispatchSerializer, responses={200: IncidentSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def send_units(self, request: Request, pk: str | None = None) -> Response:
        """Send units, all or none; a unit someone else has taken answers 409."""
        body = DispatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = self.get_object()
        wanted = set(body.validated_data["units"])
        units: list[Unit] = list(Unit.objects.restrict(request.user, "view").filter(pk__in=wanted))
        unknown = wanted - {unit.pk for unit in units}
        if unknown:
            raise serializers.ValidationError(
                {"units": [_("No such unit: %(ids)s.") % {"ids": sorted(unknown)}]}
            )
        incident = services.dispatch(acting_user=request.user, incident=incident, units=units)
        return self._respond(incident)


class UnitViewSet(ScopedModelViewSet):
    """Response units: crews and vehicles with their status and last known position."""

    queryset = Unit.objects.select_related("agency", "region")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    scoped_actions = {"position": "change"}

    def create_object(self, data: dict[str, Any]) -> Unit:
        return services.create_unit(acting_user=self.request.user, **data)

    def update_object(self, instance: Unit, data: dict[str, Any]) -> Unit:
        return services.update_unit(acting_user=self.request.user, unit=instance, **data)

    def delete_object(self, instance: Unit) -> None:
        services.delete_unit(acting_user=self.request.user, unit=instance)

    @extend_schema(request=PositionSerializer, responses={200: UnitSerializer})
    @action(detail=True, methods=["post"])
    def position(self, request: Request, pk: str | None = None) -> Response:
        """Record the unit's position (an older fix than the stored one is ignored)."""
        body = PositionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = services.record_position(
            acting_user=request.user, unit=self.get_object(), **body.validated_data
        )
        return Response(self.get_serializer(unit).data)
