"""Service-layer errors become the API's JSON errors, naming each field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from saqshy.core.exceptions import Conflict, PreconditionFailed


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, PreconditionFailed):
        return Response(exc.as_dict(), status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, Conflict):
        return Response(exc.as_dict(), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail: Any = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail=detail)
    return exception_handler(exc, context)
