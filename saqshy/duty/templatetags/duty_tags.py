"""The readiness banner shown on every page (``{% include "duty/readiness_banner.html" %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from saqshy.duty.readiness.queries import banner_levels

register = template.Library()


@register.simple_tag(takes_context=True)
def readiness_levels(context: Any) -> list[Any]:
    """Levels above normal in force now in the signed-in user's regions (briefly cached)."""
    request = context.get("request")
    return banner_levels(getattr(request, "user", None))


@register.filter
def iso_local(value: object) -> object:
    """An ISO timestamp stored in JSON (a run's gaps and changes) as a local datetime."""
    import datetime as dt

    from django.utils import timezone

    if not isinstance(value, str):
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
