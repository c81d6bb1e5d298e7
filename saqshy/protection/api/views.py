from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core import versioning
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.protection import services
from saqshy.protection.api.serializers import (
    AnswersSerializer,
    AssessmentSerializer,
    FindingSerializer,
    FixSerializer,
)
from saqshy.protection.filtersets import AssessmentFilterSet, FindingFilterSet
from saqshy.protection.models import Assessment, AssessmentAnswer, Finding


def _expected(request: Request) -> Any:
    return versioning.parse_if_match(request.headers.get("If-Match"))


class AssessmentViewSet(ScopedModelViewSet):
    """Protective-security assessments of venues within your grants.

    ``POST`` starts a draft (the tier defaults to the venue's by its capacity); ``PATCH``
    changes a draft's date, tier, open-air flag or notes; ``answers/`` records answers
    (``[{"item": code, "answer": "met"|"not_met"|"not_applicable", "note": …}]``, a note
    required unless met); ``complete/`` completes it (CCTV coverage computed, every item not
    met becomes a finding). Send ``If-Match`` with the ETag you read; ``Idempotency-Key`` on
    ``POST``. Only a draft may be deleted.
    """

    queryset = Assessment.objects.select_related("facility__region")
    related_rows = {
        "answers": AssessmentAnswer.objects.select_related("item"),
        "findings": Finding.objects.all(),
    }
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    scoped_actions = {"answers": "change", "complete": "change"}

    def create_object(self, data: dict[str, Any]) -> Any:
        return services.create_assessment(acting_user=self.request.user, **data)

    def update_object(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.update_assessment(
            acting_user=self.request.user,
            assessment=instance,
            expected_version=_expected(self.request),
            **data,
        )

    def delete_object(self, instance: Any) -> None:
        services.delete_assessment(acting_user=self.request.user, assessment=instance)

    def _answer(self, assessment: Assessment) -> Response:
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=AnswersSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        body = AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_answers(
            acting_user=request.user,
            assessment=assessment,
            answers=[
                services.ItemAnswer(row["item"], row["answer"], row.get("note", ""))
                for row in body.validated_data["answers"]
            ],
        )
        return self._answer(assessment)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        services.complete_assessment(acting_user=request.user, assessment=assessment)
        return self._answer(assessment)


class FindingViewSet(ScopedModelViewSet):
    """Findings of assessments within your grants: ``POST`` records one by hand, ``fix/``
    (``fixed_on``, ``note``) marks it put right. Findings are kept: no edit, no delete."""

    queryset = Finding.objects.select_related("facility__region", "item", "assessment")
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    http_method_names = ["get", "post", "head", "options"]
    scoped_actions = {"fix": "change"}

    def create_object(self, data: dict[str, Any]) -> Any:
        return services.add_finding(acting_user=self.request.user, **data)

    @extend_schema(request=FixSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def fix(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        body = FixSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fix_finding(acting_user=request.user, finding=finding, **body.validated_data)
        fresh = self.get_queryset().get(pk=finding.pk)
        return Response(self.get_serializer(fresh).data)
