"""Signed-in users get their saved interface language unless they pick another one."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UserLanguageMiddleware:
    """Runs before LocaleMiddleware: a saved preference becomes the language cookie's default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = settings.LANGUAGE_COOKIE_NAME
        if cookie not in request.COOKIES:
            language = self._saved_language(request)
            if language:
                request.COOKIES[cookie] = language
        return self.get_response(request)

    @staticmethod
    def _saved_language(request: HttpRequest) -> str:
        from django.contrib.auth import get_user

        user = get_user(request)
        # AuthenticationMiddleware's lazy ``request.user`` reuses it: one user query, not two.
        request._cached_user = user  # type: ignore[attr-defined]
        return str(getattr(user, "language", "") or "")
