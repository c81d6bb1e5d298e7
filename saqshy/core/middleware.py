"""Request edges: an id for every request (the audit trail records it, the response echoes it),
the exercise header (what the request creates is an exercise record), and NUL characters
refused before they reach a database lookup."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from saqshy.core.context import exercise, request_id_from, reset_request_id, set_request_id

NULL_NOT_ALLOWED = _("Null characters are not allowed.")
BAD_OFFSET = _("A time-zone offset must lie between -14:00 and +14:00.")
request_log = logging.getLogger("saqshy.request")
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(self.header, ""))
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if settings.SAQSHY_REQUEST_LOG:
                user = getattr(request, "user", None)
                request_log.info(
                    "%s %s %d",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                    },
                )
        finally:
            reset_request_id(token)
        response[self.header] = request_id
        return response


EXERCISE_HEADER = "X-Saqshy-Exercise"
_YES = frozenset({"1", "true", "yes", "on"})


def wants_exercise(value: str | None) -> bool:
    """Whether a header or form value asks for an exercise (``1``, ``true``, ``yes``, ``on``)."""
    return str(value or "").strip().lower() in _YES


class ExerciseMiddleware:
    """A request with ``X-Saqshy-Exercise: 1`` works as an exercise: the incidents, alarms,
    alerts and daily reports it creates are exercise records (docs/exercise.md).

    The header grants nothing: whoever sends it creates only what they may create anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with exercise(wants_exercise(request.headers.get(EXERCISE_HEADER))):
            return self.get_response(request)


# A whole value that is an ISO 8601 date and time with a numeric UTC offset.
_ISO_WITH_OFFSET = re.compile(
    r"\s*[+-]?\d{4,6}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"\s*([+-])(\d{2}):?(\d{2})?\s*"
)


def refusal(value: str) -> str | None:
    """Why ``value`` is refused at the edge, or None.

    A NUL character: PostgreSQL cannot store or even compare text containing one, so it
    reaching a lookup or filter is a server error there; no legitimate input has one. A time
    with a UTC offset beyond ±14:00: no place on Earth has one, Python accepts up to ±24:00
    and PostgreSQL refuses it in a comparison (another server error).
    """
    if "\x00" in value:
        return str(NULL_NOT_ALLOWED)
    match = _ISO_WITH_OFFSET.fullmatch(value) if ":" in value else None
    if match and (int(match.group(2)), int(match.group(3) or 0)) > (14, 0):
        return str(BAD_OFFSET)
    return None


class InputEdgeMiddleware:
    """Refuses a request whose path, query or form fields hold a value no field could accept
    safely (see :func:`refusal`), with HTTP 400 naming the parameter, for every view at once.

    Form fields and JSON bodies are checked by their fields and the JSON parser as well; this
    is the edge that covers URL lookups and query parameters.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = self._offending_field(request)
        if found is not None:
            field, message = found
            if request.path.startswith("/api/"):
                return JsonResponse({field: [message]}, status=400)
            return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _offending_field(request: HttpRequest) -> tuple[str, str] | None:
        if "\x00" in request.path:
            return "path", str(NULL_NOT_ALLOWED)
        sources = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            sources.append(request.POST)
        for source in sources:
            for name, values in source.lists():
                for value in [name, *values]:
                    reason = refusal(value)
                    if reason is not None:
                        return name.replace("\x00", "") or "non_field_errors", reason
        return None
