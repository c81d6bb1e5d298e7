"""The daily reports over the API: read them, and move them along the workflow (``If-Match``
with the report's ``ETag`` refuses a stale copy with 412)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.viewsets import ScopedReadOnlyViewSet
from saqshy.reports import services
from saqshy.reports.api.serializers import DailyReportSerializer, ReturnSerializer
from saqshy.reports.models import DailyReport

_CONFLICT = OpenApiResponse(description="The report's state does not allow it.")


class DailyReportViewSet(ScopedReadOnlyViewSet):
    """Daily situation reports, one per region and day, in the caller's scope."""

    queryset = DailyReport.objects.select_related("region").order_by("-day", "region__name_en")
    serializer_class = DailyReportSerializer
    filterset_fields = ["day", "status"]
    scoped_actions = {
        "fill": "change",
        "submit": "submit",
        "approve": "approve",
        "send_back": "approve",
        "publish": "publish",
    }

    def _respond(self, report: DailyReport) -> Response:
        return Response(self.get_serializer(report).data)

    @extend_schema(request=None, responses={200: DailyReportSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def fill(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.fill(acting_user=request.user, report=self.get_object()))

    @extend_schema(request=None, responses={200: DailyReportSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.submit(acting_user=request.user, report=self.get_object()))

    @extend_schema(request=None, responses={200: DailyReportSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a submitted report; 403 for whoever prepared or submitted it."""
        return self._respond(services.approve(acting_user=request.user, report=self.get_object()))

    @extend_schema(request=ReturnSerializer, responses={200: DailyReportSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.return_report(
            acting_user=request.user, report=self.get_object(), reason=body.validated_data["reason"]
        )
        return self._respond(report)

    @extend_schema(request=None, responses={200: DailyReportSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.publish(acting_user=request.user, report=self.get_object()))
