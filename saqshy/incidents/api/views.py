from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saqshy.accounts.queries import regions_in_scope
from saqshy.core.api.fields import CalendarDateField
from saqshy.core.api.places import MapClustersMixin
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.core.scoping import restricted
from saqshy.incidents import indicators, queries, services
from saqshy.incidents.api.serializers import (
    AdvanceSerializer,
    CloseSerializer,
    DispatchSerializer,
    IncidentSerializer,
    JournalEntrySerializer,
    NoteSerializer,
    PositionResultSerializer,
    PositionSerializer,
    RecommendationsSerializer,
    ResponseIndicatorsSerializer,
    UnitSerializer,
)
from saqshy.incidents.filtersets import IncidentFilterSet, UnitFilterSet
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, Unit

_CONFLICT = OpenApiResponse(
    description="The incident's or a unit's state does not allow it (e.g. an invalid status "
    "change, or a unit another dispatcher has just taken); nothing was changed."
)
_CONFLICT_DUPLICATE = OpenApiResponse(
    description="The incident is not (or no longer) a probable duplicate, or it cannot be "
    "merged in its state; nothing was changed."
)


class IncidentViewSet(ScopedModelViewSet):
    """Incidents on the duty desk. Kept as history: no edits or deletes, only the actions."""

    queryset = Incident.objects.select_related("type", "region", "agency")
    related_rows = {"assignments": IncidentUnit.objects.select_related("unit")}
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    http_method_names = ["get", "post", "head", "options"]
    answered_fresh = frozenset({"advance", "close", "merge", "keep", "send_units"})
    scoped_actions = {
        "notes": "change",
        "close": "change",
        "advance": "change",
        "send_units": "change",
        "merge": "change",
        "keep": "change",
        "journal": "view",
        "recommendations": "view",
    }

    def create_object(self, data: dict[str, Any]) -> Incident:
        return services.report_incident(acting_user=self.request.user, **data)

    def _respond(self, incident: Incident) -> Response:
        fresh = self.get_queryset().get(pk=incident.pk)
        self.answer_stored(fresh)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses={200: JournalEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def journal(self, request: Request, pk: str | None = None) -> Response:
        """The incident's journal: automatic lines and people's notes, oldest first."""
        entries = (
            restricted(request.user, self.get_object().journal)
            .select_related("author")
            .order_by("at", "id")
        )
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

    @extend_schema(request=None, responses={200: IncidentSerializer, 409: _CONFLICT_DUPLICATE})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """Merge this probable duplicate into its original: it is closed (cancelled, with
        ``merged_at``) and its details go to the original's journal. 409 when it is not a
        probable duplicate, or units are already on it."""
        incident = services.merge_duplicate(acting_user=request.user, incident=self.get_object())
        return self._respond(incident)

    @extend_schema(request=None, responses={200: IncidentSerializer, 409: _CONFLICT_DUPLICATE})
    @action(detail=True, methods=["post"])
    def keep(self, request: Request, pk: str | None = None) -> Response:
        """Keep this probable duplicate as a separate incident (clears ``duplicate_of``).
        409 when it is not a probable duplicate."""
        incident = services.keep_separate(acting_user=request.user, incident=self.get_object())
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


class UnitViewSet(MapClustersMixin, ScopedModelViewSet):
    """Response units: crews and vehicles with their status and last known position."""

    queryset = Unit.objects.select_related("agency", "region", "tracker")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    scoped_actions = {"position": "change"}

    def create_object(self, data: dict[str, Any]) -> Unit:
        return services.create_unit(acting_user=self.request.user, **data)

    def update_object(self, instance: Unit, data: dict[str, Any]) -> Unit:
        return services.update_unit(acting_user=self.request.user, unit=instance, **data)

    def delete_object(self, instance: Unit) -> None:
        services.delete_unit(acting_user=self.request.user, unit=instance)

    @extend_schema(request=PositionSerializer, responses={200: PositionResultSerializer})
    @action(detail=True, methods=["post"])
    def position(self, request: Request, pk: str | None = None) -> Response:
        """Record the unit's position. A fix older than the stored one is ignored: nothing is
        written and the answer says `position_ignored: true` with the stored position."""
        body = PositionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = self.get_object()
        stored = services.record_position(
            acting_user=request.user, unit=unit, **body.validated_data
        )
        setattr(unit, "position_ignored", not stored)  # noqa: B010 - read by the serializer
        return Response(PositionResultSerializer(unit, context=self.get_serializer_context()).data)


class ResponseIndicatorQuery(serializers.Serializer):
    region = serializers.SlugField(required=False)
    type = serializers.SlugField(required=False)
    date_from = CalendarDateField(required=False)
    date_to = CalendarDateField(required=False)


DEFAULT_PERIOD_DAYS = 30


def read_indicator_query(user: Any, params: Any) -> dict[str, Any]:
    """Check the filters of the response indicators (shared by the API and the page); a bad
    one is a ``ValidationError`` naming the field."""
    query = ResponseIndicatorQuery(data=params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    date_to = data.get("date_to") or timezone.localdate()
    date_from = data.get("date_from") or date_to - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if date_to < date_from:
        raise serializers.ValidationError({"date_to": [_("The end is before the start.")]})
    regions = regions_in_scope(user, Incident)
    if slug := data.get("region"):
        regions = regions.filter(slug=slug)
        if not regions.exists():
            raise serializers.ValidationError({"region": [_("No such region in your scope.")]})
    types: list[IncidentType] = []
    if code := data.get("type"):
        types = list(IncidentType.objects.filter(code=code))
        if not types:
            raise serializers.ValidationError({"type": [_("No such incident type.")]})
    return {"date_from": date_from, "date_to": date_to, "regions": regions, "types": types}


class ResponseIndicatorsView(APIView):
    """Response times of the incidents in your scope: call → dispatch and dispatch → on scene,
    per type, agency, region and hour of the call, with median, 90th percentile and the share
    within the norm (norms are data: ``/api/norms/``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="region slug; default: all you may see"),
            OpenApiParameter("type", str, description="incident type code; default: all"),
            OpenApiParameter("date_from", dt.date, description="default: 29 days before date_to"),
            OpenApiParameter("date_to", dt.date, description="default: today"),
        ],
        responses={200: ResponseIndicatorsSerializer},
    )
    def get(self, request: Request) -> Response:
        query = read_indicator_query(request.user, request.query_params)
        return Response(indicators.response_indicators(request.user, **query))
