from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saqshy.accounts import queries, regions, services


def _safe_next(request: HttpRequest) -> str:
    """``next`` when it is a page of this site, without its own region filter and page (so
    the list shows the region just chosen); ``/`` otherwise."""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    parts = urlsplit(next_url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in ("region", "page")
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, and remember it for a signed-in user."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        services.set_language(acting_user=request.user, user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in: the start page of their role, else the map.

    The start page is data (``Role.home_page``); with several grants the first one whose role
    names a page wins.
    """
    user: Any = request.user
    pages = queries.home_pages(user)
    for page in pages:
        try:
            return HttpResponseRedirect(reverse(page))
        except NoReverseMatch:
            continue
    return redirect("situation:map")


@login_required
@require_POST
def set_region(request: HttpRequest) -> HttpResponse:
    """Switch the region every list opens on (or ``all``), for this session; only a region
    the user's grants cover. Back to ``next`` when it is a page of this site."""
    slug = request.POST.get("region", "")
    if slug != regions.ALL and not regions.switchable_regions(request.user).filter(slug=slug):
        return HttpResponseBadRequest(
            _("You may not switch to this region."), content_type="text/plain; charset=utf-8"
        )
    request.session[regions.SESSION_KEY] = slug
    return HttpResponseRedirect(_safe_next(request))
