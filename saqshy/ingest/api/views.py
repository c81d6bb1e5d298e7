"""Devices for integrators, and the HTTPS ingest for devices without MQTT."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saqshy.algorithms.ingest import (
    ALARMS,
    EVENT_KINDS,
    FIX,
    POSITIONS,
    TELEMETRY,
    Rejected,
    decode_body,
    parse_payload,
    parse_topic,
    topic_for,
    valid_serial,
)
from saqshy.core.api.viewsets import ScopedReadOnlyViewSet
from saqshy.ingest import services
from saqshy.ingest.api.serializers import (
    AcceptedSerializer,
    DeviceMessageBodySerializer,
    DeviceSerializer,
    PositionBodySerializer,
    TelemetryBodySerializer,
)
from saqshy.ingest.filtersets import DeviceFilterSet
from saqshy.ingest.models import Device

SIGNATURE_HEADER = "X-Saqshy-Signature"


class DeviceViewSet(ScopedReadOnlyViewSet):
    """Devices in your regions: fire alarms, utility-site gateways, cameras, with their status
    and last heartbeat (``?status=online``, ``?kind=fire_alarm``, ``?region=astana``)."""

    queryset = Device.objects.select_related("region")
    serializer_class = DeviceSerializer
    filterset_class = DeviceFilterSet


def signature(key: str, body: bytes) -> str:
    """The header value a device sends: ``sha256=<hex HMAC-SHA256 of the body>``."""
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def _refused(field: str, reason: str) -> Response:
    return Response({field: [reason]}, status=status.HTTP_400_BAD_REQUEST)


class _IngestView(APIView):
    """Store one device message, signed with the device's key, before answering 202."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    parser_classes: list[Any] = []
    stream = ALARMS

    def ingest(self, request: Request, serial: str, kind: str) -> Response:
        body = request.body
        device = (
            Device.objects.filter(serial=serial).only("serial", "hmac_key").first()
            if valid_serial(serial)
            else None
        )
        if device is None:
            return Response({"detail": "Unknown device."}, status=status.HTTP_404_NOT_FOUND)
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not device.hmac_key or not hmac.compare_digest(
            given.encode(), signature(device.hmac_key, body).encode()
        ):
            return Response(
                {"detail": "Missing or wrong X-Saqshy-Signature."},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        where = parse_topic(topic_for(self.stream, serial, kind))
        if isinstance(where, Rejected):
            field = "parameter" if self.stream == TELEMETRY else "kind"
            return _refused(field, where.reason)
        data = decode_body(body)
        if isinstance(data, Rejected):
            return _refused(data.field, data.reason)
        message = parse_payload(where, data, timezone.now())
        if isinstance(message, Rejected):
            return _refused(message.field, message.reason)
        result = services.ingest([message])
        stored = bool(result.messages or result.readings)
        return Response({"stored": stored}, status=status.HTTP_202_ACCEPTED)

    def get_authenticate_header(self, request: Request) -> str:
        return 'Signature header="X-Saqshy-Signature"'


_SIGNED = OpenApiParameter(
    SIGNATURE_HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="`sha256=` and the hex HMAC-SHA256 of the raw body with the device's key.",
)
_ANSWERS = {
    202: AcceptedSerializer,
    400: OpenApiResponse(description="A field of the body is wrong; the answer names it."),
    401: OpenApiResponse(description="The signature is missing or wrong."),
    404: OpenApiResponse(description="No device has this id."),
}


class AlarmIngestView(_IngestView):
    stream = ALARMS

    @extend_schema(
        operation_id="ingest_alarm",
        summary="A device event over HTTPS",
        description=(
            "For devices without MQTT: the same JSON as on `saqshy/alarms/{device}/{kind}`, "
            "signed with the device's key; no user credentials. The message is stored (once: "
            "the same id again answers 202 with `stored: false`) before the answer."
        ),
        parameters=[
            _SIGNED,
            OpenApiParameter("device", str, location=OpenApiParameter.PATH),
            OpenApiParameter(
                "kind",
                str,
                location=OpenApiParameter.PATH,
                enum=list(EVENT_KINDS),
            ),
        ],
        request=DeviceMessageBodySerializer,
        responses=_ANSWERS,
        auth=[],
        tags=["ingest"],
    )
    def post(self, request: Request, device: str, kind: str) -> Response:
        return self.ingest(request, device, kind)


class TelemetryIngestView(_IngestView):
    stream = TELEMETRY

    @extend_schema(
        operation_id="ingest_telemetry",
        summary="A telemetry value over HTTPS",
        description=(
            "For sites without MQTT: the same JSON as on `saqshy/telemetry/{site}/{parameter}`, "
            "signed with the site gateway's key; stored once before the answer."
        ),
        parameters=[
            _SIGNED,
            OpenApiParameter("site", str, location=OpenApiParameter.PATH),
            OpenApiParameter("parameter", str, location=OpenApiParameter.PATH),
        ],
        request=TelemetryBodySerializer,
        responses=_ANSWERS,
        auth=[],
        tags=["ingest"],
    )
    def post(self, request: Request, site: str, parameter: str) -> Response:
        return self.ingest(request, site, parameter)


class PositionIngestView(_IngestView):
    stream = POSITIONS

    @extend_schema(
        operation_id="ingest_position",
        summary="A vehicle tracker's position fix over HTTPS",
        description=(
            "For trackers without MQTT: the same JSON as on `saqshy/positions/{tracker}/fix`, "
            "signed with the tracker's key; stored once before the answer. The unit whose "
            "tracker it is moves to the fix unless it already has a newer one."
        ),
        parameters=[_SIGNED, OpenApiParameter("tracker", str, location=OpenApiParameter.PATH)],
        request=PositionBodySerializer,
        responses=_ANSWERS,
        auth=[],
        tags=["ingest"],
    )
    def post(self, request: Request, tracker: str) -> Response:
        return self.ingest(request, tracker, FIX)
