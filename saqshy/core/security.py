"""Sign-in lock-out answers: the same translated message on the page, the admin and the API."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts for this account. Try again in %(minutes)s minutes."
)


def lockout_message() -> str:
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return str(LOCKED_MESSAGE) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """HTTP 429: JSON for the API, the sign-in page with the message for people."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"non_field_errors": [message]}, status=429)
    return render(
        request, "accounts/login.html", {"locked_message": message, "form": None}, status=429
    )


class LockoutBackend(AxesStandaloneBackend):
    """The axes lock-out for every sign-in that comes with a request.

    A call without a request (a management command, the shell, a test client's ``login``) is
    not reachable from outside, so there is nothing to throttle; axes itself would refuse it.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
