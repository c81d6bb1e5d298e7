from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.accounts.models import Agency, Region
from saqshy.core.api.audit import ReadAuditedMixin
from saqshy.core.api.renderers import GeoJSONRenderer
from saqshy.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from saqshy.core.scoping import restricted, user_scope
from saqshy.duty import posts, services
from saqshy.duty.api.serializers import (
    AbsenceSerializer,
    DeriveResultSerializer,
    DeriveSerializer,
    EndReadinessSerializer,
    PatrolPlanSerializer,
    PatrolStopSerializer,
    PersonSerializer,
    PlanRunSerializer,
    PostSerializer,
    ReadinessNowSerializer,
    ReadinessSerializer,
    ShiftSerializer,
)
from saqshy.duty.filtersets import PersonFilterSet, PostFilterSet, ReadinessFilterSet
from saqshy.duty.models import (
    Absence,
    PatrolPlan,
    Person,
    PlanRun,
    Post,
    PostNeed,
    Readiness,
    Shift,
)
from saqshy.duty.patrols import services as patrols
from saqshy.duty.readiness import queries
from saqshy.duty.readiness import services as readiness_services
from saqshy.duty.rosters import plans


class PersonViewSet(ReadAuditedMixin, ScopedModelViewSet):
    """Personnel who can be rostered. People who leave are made inactive, not deleted.

    Names and phone numbers are personal data: every list page and detail read is audited."""

    queryset = Person.objects.select_related("agency", "region")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def create_object(self, data: dict[str, Any]) -> Person:
        return services.create_person(acting_user=self.request.user, **data)

    def update_object(self, instance: Person, data: dict[str, Any]) -> Person:
        return services.update_person(acting_user=self.request.user, person=instance, **data)

    def delete_object(self, instance: Person) -> None:
        services.delete_person(acting_user=self.request.user, person=instance)


class AbsenceViewSet(
    ReadAuditedMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, ScopedReadOnlyViewSet
):
    """Leave, sickness and training of personnel: added and removed, never edited.

    Who was sick when is personal data: reads are audited like personnel."""

    queryset = Absence.objects.select_related("person")
    serializer_class = AbsenceSerializer
    filterset_fields = ["person", "kind"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.add_absence(
            acting_user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: Absence) -> None:
        services.remove_absence(acting_user=self.request.user, absence=instance)


class PostViewSet(ScopedReadOnlyViewSet):
    """Posts with what they need per hour and their staffing at their reference hour.

    Posts are derived from the records by the norms: ``POST derive/`` re-derives a region's.
    """

    queryset = Post.objects.select_related("region")
    related_rows = {"needs": PostNeed.objects.select_related("agency")}
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    scoped_actions = {"derive": "add"}

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["staffing"] = getattr(self, "_staffing", {})
        return context

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._staffing = queries.staffing(page)
        return page

    def get_object(self) -> Post:
        post: Post = super().get_object()
        self._staffing = queries.staffing([post])
        return post

    @extend_schema(request=DeriveSerializer, responses={200: DeriveResultSerializer})
    @action(detail=False, methods=["post"])
    def derive(self, request: Request) -> Response:
        """Make the region's posts match its facilities, events and norms for the window."""
        body = DeriveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = posts.derive_posts(acting_user=request.user, **body.validated_data)
        return Response(DeriveResultSerializer(result).data)


class ShiftViewSet(ScopedReadOnlyViewSet):
    """Rostered shifts (written by the roster planner)."""

    queryset = Shift.objects.all()
    serializer_class = ShiftSerializer
    filterset_fields = ["person", "post"]


class ReadinessViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Readiness levels. Setting one ends the level of the same region and agency in force
    at its start; ``POST {id}/end/`` ends a level (or removes one not yet started)."""

    queryset = Readiness.objects.select_related("region", "agency", "set_by")
    serializer_class = ReadinessSerializer
    filterset_class = ReadinessFilterSet
    scoped_actions = {"end": "change", "now": "view"}

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = readiness_services.set_readiness(
            acting_user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=EndReadinessSerializer, responses={200: ReadinessSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        body = EndReadinessSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        readiness = readiness_services.end_readiness(
            acting_user=request.user, readiness=self.get_object(), **body.validated_data
        )
        return Response(ReadinessSerializer(readiness).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, required=True, description="Region slug"),
            OpenApiParameter("agency", str, description="Agency code (default: all agencies)"),
            OpenApiParameter("at", str, description="ISO date-time (default: now)"),
        ],
        responses={200: ReadinessNowSerializer},
    )
    @action(detail=False, methods=["get"])
    def now(self, request: Request) -> Response:
        """The level in force for a region (and agency) at a moment, and what it means."""
        region = Region.objects.filter(slug=request.query_params.get("region", "")).first()
        if region is None or not user_scope(request.user, Readiness, "view").covers(region.pk):
            raise NotFound()
        agency = None
        if request.query_params.get("agency"):
            agency = Agency.objects.filter(code=request.query_params["agency"]).first()
            if agency is None:
                raise NotFound()
        try:
            at = parse_datetime(request.query_params.get("at", "") or "") or None
        except ValueError:  # well formed but impossible, such as 2026-13-45T18:00
            raise ValidationError({"at": [_("Give a valid date and time.")]}) from None
        state = queries.readiness_at(region, agency, at)
        return Response(
            ReadinessNowSerializer(
                {
                    "level": state.level,
                    "label": state.label,
                    "colour": state.colour,
                    "staffing_multiplier": state.staffing_multiplier,
                    "reserve_share": state.reserve_share,
                    "record": state.record.pk if state.record else None,
                }
            ).data
        )


class PlanRunViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Roster and staffing runs. ``POST`` queues one (answer 201 at once; the background task
    fills in progress and the result: poll the run or listen on the topic ``planrun``)."""

    queryset = PlanRun.objects.select_related("region", "district")
    serializer_class = PlanRunSerializer
    filterset_fields = ["kind", "status", "district"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = plans.request_run(acting_user=self.request.user, **data)


class PatrolPlanViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Patrol plans from the hotspot forecast; ``{id}/stops/`` lists the stops
    (``?format=geojson`` for a FeatureCollection)."""

    queryset = PatrolPlan.objects.select_related("region")
    serializer_class = PatrolPlanSerializer
    scoped_actions = {"stops": "view"}
    filterset_fields = ["region"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = patrols.create_patrol_plan(acting_user=self.request.user, **data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["json", "geojson"],
                description="`geojson` for a FeatureCollection",
            )
        ],
        responses={200: PatrolStopSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer],
    )
    def stops(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        rows = restricted(request.user, plan.stops).order_by("crew", "order")
        return Response(PatrolStopSerializer(rows, many=True).data)
