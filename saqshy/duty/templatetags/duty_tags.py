"""The readiness banner shown on every page (``{% include "duty/readiness_banner.html" %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from saqshy.duty.queries import banner_levels

register = template.Library()


@register.simple_tag(takes_context=True)
def readiness_levels(context: Any) -> list[Any]:
    """Levels above normal in force now in the signed-in user's regions (briefly cached)."""
    request = context.get("request")
    return banner_levels(getattr(request, "user", None))
