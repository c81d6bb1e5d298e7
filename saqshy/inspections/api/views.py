from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saqshy.core import services as core_services
from saqshy.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from saqshy.facilities.models import Facility
from saqshy.inspections import services
from saqshy.inspections.api.serializers import (
    BriefingSerializer,
    ChecklistItemSerializer,
    DrillSerializer,
    EliminateSerializer,
    InspectionSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    VerifySerializer,
    ViolationSerializer,
)
from saqshy.inspections.filtersets import (
    BriefingFilterSet,
    DrillFilterSet,
    InspectionFilterSet,
    ViolationFilterSet,
)
from saqshy.inspections.models import (
    Briefing,
    ChecklistItem,
    Drill,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Violation,
)
from saqshy.inspections.queries import clearance


class ChecklistItemViewSet(ScopedReadOnlyViewSet):
    """The checklist inspectors fill in (reference data)."""

    queryset = ChecklistItem.objects.filter(active=True)
    serializer_class = ChecklistItemSerializer
    lookup_field = "code"


class InspectionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Inspections are records of a visit: created once, never edited (a re-inspection
    follows instead). Failed items become violations."""

    queryset = Inspection.objects.select_related("facility", "inspector")
    related_rows = {
        "results": InspectionResult.objects.select_related("item"),
        "violations": Violation.objects.select_related("item"),
        "photos": InspectionPhoto.objects.all(),
    }
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    scoped_actions = {"photos": "add"}

    @extend_schema(request=PhotoUploadSerializer, responses={201: PhotoSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """Add photo evidence (multipart). Each photo is checked, shrunk to 2048 px and
        re-encoded without its EXIF/GPS metadata; a bad one refuses them all (400)."""
        inspection = self.get_object()
        body = PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        violation = None
        if "violation" in data:
            violation = inspection.violations.filter(pk=data["violation"]).first()
            if violation is None:
                raise ValidationError({"violation": [_("Not a violation of this inspection.")]})
        caption = data.get("caption", "")
        stored = services.attach_photos(
            acting_user=request.user,
            inspection=inspection,
            violation=violation,
            photos=[services.PhotoUpload(f, f.size or 0, caption) for f in data["photos"]],
        )
        return Response(PhotoSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.record_inspection(
            acting_user=self.request.user,
            facility=data["facility"],
            inspected_on=data["inspected_on"],
            notes=data.get("notes", ""),
            results=[
                services.ItemResult(r["item"], r["passed"], r.get("note", ""))
                for r in data["results"]
            ],
        )


class ViolationViewSet(ScopedReadOnlyViewSet):
    """Violations found by inspections: eliminate, then verify in a re-inspection."""

    queryset = Violation.objects.select_related("facility", "item")
    serializer_class = ViolationSerializer
    filterset_class = ViolationFilterSet
    scoped_actions = {"eliminate": "change", "verify": "change"}

    @extend_schema(request=EliminateSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def eliminate(self, request: Request, pk: str | None = None) -> Response:
        """The facility has put the violation right (it still blocks until verified)."""
        violation = self.get_object()
        body = EliminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updated = services.mark_eliminated(
            acting_user=request.user, violation=violation, **body.validated_data
        )
        return Response(ViolationSerializer(updated).data)

    @extend_schema(request=VerifySerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """A re-inspection on ``inspected_on`` confirms the elimination.

        403 when the caller marked the violation eliminated and the region separates the two
        duties (norm ``violation_verifier_independent``)."""
        violation = self.get_object()
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.verify_eliminations(
                acting_user=request.user,
                facility=violation.facility,
                violations=[violation],
                **body.validated_data,
            )
        except services.DutiesSeparated as refusal:
            raise PermissionDenied(str(refusal), code="separation_of_duties") from None
        violation.refresh_from_db()
        return Response(ViolationSerializer(violation).data, status=status.HTTP_200_OK)


class _FacilityRecordViewSet(ScopedModelViewSet):
    def create_object(self, data: dict[str, Any]) -> Any:
        model = self.get_queryset().model
        return core_services.create(acting_user=self.request.user, instance=model(**data))

    def update_object(self, instance: Any, data: dict[str, Any]) -> Any:
        return core_services.update(acting_user=self.request.user, instance=instance, changes=data)

    def delete_object(self, instance: Any) -> None:
        core_services.delete(acting_user=self.request.user, instance=instance)


class BriefingViewSet(_FacilityRecordViewSet):
    """Staff briefings and training at facilities."""

    queryset = Briefing.objects.select_related("facility")
    serializer_class = BriefingSerializer
    filterset_class = BriefingFilterSet


class DrillViewSet(_FacilityRecordViewSet):
    """Evacuation drills with measured evacuation times."""

    queryset = Drill.objects.select_related("facility")
    serializer_class = DrillSerializer
    filterset_class = DrillFilterSet


class ClearanceView(APIView):
    """Every facility you may see with its fire-safety clearance today: ``{id: status}``.

    Filter with ``?region=slug`` and ``?kind=school&kind=mall``. Statuses: cleared, blocked,
    expired, never.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("region", str), OpenApiParameter("kind", str, many=True)],
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    def get(self, request: Request) -> Response:
        facilities: Any = Facility.objects.restrict(request.user, "view")
        if region := request.query_params.get("region"):
            facilities = facilities.filter(region__slug=region)
        if kinds := request.query_params.getlist("kind"):
            facilities = facilities.filter(kind__in=kinds)
        states = clearance(facilities.values_list("pk", flat=True), timezone.localdate())
        return Response({str(pk): state.status for pk, state in states.items()})
