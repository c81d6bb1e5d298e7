"""Service-layer errors become the API's JSON errors, naming each field."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from saqshy.core.exceptions import Conflict, PreconditionFailed

RETRY_AFTER_SECONDS = 2
logger = logging.getLogger(__name__)


UNAVAILABLE = (OperationalError, InterfaceError)


def unavailable(request: Any, exc: Exception) -> tuple[dict[str, str], dict[str, str]]:
    """The body and headers of the 503 for a database that went away during ``request``.

    A restart, a failover, a connection that broke after the pool checked it, or no
    connection from the pool in time: "again in a moment", not "server error". A retry with
    the same Idempotency-Key is safe whether or not a write got through.
    """
    logger.warning("database unavailable during %s: %s", request, exc)
    body = {
        "detail": _("The database is not reachable for a moment; send the same request again."),
        "code": "unavailable",
    }
    return body, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, UNAVAILABLE):
        body, headers = unavailable(context.get("request"), exc)
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
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
