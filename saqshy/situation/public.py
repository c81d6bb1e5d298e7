"""The public page: what a resident needs tonight, with no login, in kk/ru/en.

Active alerts, weather warnings, road closures and restrictions, open warming points with free
places, and safety advice for the holidays. It reads only the public projections of the apps
(``queries.public_*``), which carry no names of officers, no phones of callers and no internal
notes. It is plain HTML with one small stylesheet and no script, so it opens on an old phone on
a slow connection; the language is chosen by a link (``?lang=``), the region by a form.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from saqshy.accounts.models import Region
from saqshy.alerts.queries import public_alerts
from saqshy.roads.queries import public_closures
from saqshy.situation.advice import ADVICE, EMERGENCY_NUMBERS
from saqshy.weather.queries import public_warnings
from saqshy.winter.queries import public_points

LANGUAGES = [code for code, _label in settings.LANGUAGES]
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _language(request: HttpRequest) -> str:
    asked = (request.GET.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in LANGUAGES else settings.LANGUAGE_CODE


def roads_closed(closures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per road and decision: the segments of a road closed together (same name,
    status, reason and times) are one closure to a driver, across the regions it crosses."""
    grouped: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in closures:
        key = tuple(
            str(row.get(k, ""))
            for k in (
                "title",
                "status",
                "restriction_label",
                "reason_label",
                "since",
                "expected_reopening",
            )
        )
        entry = grouped.setdefault(key, {**row, "regions": [], "segments": 0})
        entry["segments"] += 1
        if row.get("region") and row["region"] not in entry["regions"]:
            entry["regions"].append(row["region"])
    for entry in grouped.values():
        entry["region"] = ", ".join(entry["regions"])
    return list(grouped.values())


@require_GET
def public_page(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        regions = list(Region.objects.order_by(f"name_{language}"))
        slug = (request.GET.get("region") or "").strip()
        region = next((r for r in regions if r.slug == slug), None)
        chosen = region.slug if region else None
        alerts, warnings = public_alerts(language, chosen), public_warnings(chosen)
        context = {
            "language": language,
            "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
            "regions": regions,
            "region": region,
            "alerts": alerts,
            "warnings": warnings,
            "alert_count": len(alerts) + len(warnings),
            "closures": roads_closed(public_closures(chosen)),
            "points": public_points(chosen),
            "advice": ADVICE,
            "numbers": EMERGENCY_NUMBERS,
            "now": timezone.localtime(),
        }
        response = render(request, "situation/public.html", context)
    patch_vary_headers(response, ["Accept-Language"])
    patch_cache_control(response, public=True, max_age=60)
    return response
