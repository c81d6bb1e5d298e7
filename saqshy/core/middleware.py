"""Request edges: an id for every request (the audit trail records it, the response echoes it),
and NUL characters refused before they reach a database lookup."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from saqshy.core.context import new_request_id, reset_request_id, set_request_id

NULL_NOT_ALLOWED = _("Null characters are not allowed.")
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

# A client's X-Request-ID is kept only in this shape (it goes into logs and the audit trail);
# anything else gets a fresh id.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(self.header, "")
        request_id = incoming if _SAFE_ID.fullmatch(incoming) else new_request_id()
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[self.header] = request_id
        return response


class NullCharacterMiddleware:
    """Refuses a request with a NUL character in its path, query or form fields (HTTP 400).

    PostgreSQL cannot store or even compare text containing NUL, so such a value reaching a
    lookup or filter is a server error there; no legitimate input contains one. Form fields
    and JSON bodies are checked by their fields and parser as well; this is the edge that
    covers URL lookups and query parameters for every view at once. The answer names the
    parameter, like any other validation error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._offending_field(request)
        if field is not None:
            message = str(NULL_NOT_ALLOWED)
            if request.path.startswith("/api/"):
                return JsonResponse({field: [message]}, status=400)
            return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _offending_field(request: HttpRequest) -> str | None:
        if "\x00" in request.path:
            return "path"
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "")
        if request.method == "POST" and request.content_type in FORM_TYPES:
            for name, values in request.POST.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return name.replace("\x00", "")
        return None
