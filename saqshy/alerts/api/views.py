from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.alerts import queries, services
from saqshy.alerts.api.serializers import (
    AlertInputSerializer,
    CapAlertSerializer,
    FollowUpSerializer,
    area_arguments,
)
from saqshy.alerts.choices import MsgType
from saqshy.alerts.models import Alert
from saqshy.core.api.viewsets import ScopedReadOnlyViewSet
from saqshy.core.context import exercise


class AlertViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Public alerts (CAP 1.2) within your grants: ``?region=slug&state=draft|submitted|
    published&active=true``. ``POST`` writes a draft; ``submit/``, ``approve/`` (another
    person than the author; publishes after validation against the CAP schema),
    ``send_back/``, ``update/`` and ``cancel/`` (new drafts referring to the original),
    ``xml/`` the CAP XML as it would be published now, ``map/`` active alerts as GeoJSON."""

    queryset = Alert.objects.select_related(
        "region", "author", "approver", "references", "superseded_by"
    ).prefetch_related("infos", "areas")
    serializer_class = CapAlertSerializer

    def get_queryset(self) -> Any:
        rows = super().get_queryset()
        params = self.request.query_params
        if params.get("region"):
            rows = rows.filter(region__slug=params["region"])
        if params.get("state"):
            rows = rows.filter(state=params["state"])
        if params.get("active") in ("true", "1"):
            rows = rows.filter(active=True)
        return rows

    def _detail(self, alert: Alert, code: int = status.HTTP_200_OK) -> Response:
        return Response(CapAlertSerializer(self.get_queryset().get(pk=alert.pk)).data, status=code)

    @extend_schema(request=AlertInputSerializer, responses=CapAlertSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AlertInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with exercise(values["is_exercise"]):
            alert = services.create_alert(
                acting_user=request.user,
                region=values["region"],
                status=values["status"],
                infos=[dict(info) for info in values["infos"]],
                areas=[services.make_area(**area_arguments(area)) for area in values["areas"]],
            )
        return self._detail(alert, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CapAlertSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        alert = self.get_object()
        services.submit(acting_user=request.user, alert=alert)
        return self._detail(alert)

    @extend_schema(request=None, responses=CapAlertSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        alert = self.get_object()
        services.approve(acting_user=request.user, alert=alert)
        return self._detail(alert)

    @extend_schema(request=None, responses=CapAlertSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        alert = self.get_object()
        services.send_back(acting_user=request.user, alert=alert)
        return self._detail(alert)

    def _follow_up(self, request: Request, msg_type: str) -> Response:
        original = self.get_object()
        data = FollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        infos = values.get("infos")
        areas = values.get("areas")
        alert = services.follow_up(
            acting_user=request.user,
            original=original,
            msg_type=msg_type,
            infos=[dict(info) for info in infos] if infos else None,
            areas=[services.make_area(**area_arguments(area)) for area in areas] if areas else None,
        )
        return self._detail(alert, status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpSerializer, responses=CapAlertSerializer)
    @action(detail=True, methods=["post"], url_path="update", url_name="update")
    def revise(self, request: Request, pk: str | None = None) -> Response:
        return self._follow_up(request, MsgType.UPDATE)

    @extend_schema(request=None, responses=CapAlertSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._follow_up(request, MsgType.CANCEL)

    @extend_schema(responses={(200, "application/cap+xml"): str})
    @action(detail=True, methods=["get"])
    def xml(self, request: Request, pk: str | None = None) -> HttpResponse:
        alert = self.get_object()
        body = alert.xml.encode() if alert.xml else services.preview_xml(alert)
        return HttpResponse(body, content_type="application/cap+xml; charset=utf-8")

    @extend_schema(summary="Active alerts for the situation map")
    @action(detail=False, methods=["get"])
    def map(self, request: Request) -> Response:
        language = request.query_params.get("lang") or get_language() or "ru"
        return Response({"features": queries.map_features(request.user, language), "next": None})
