"""Template context for the region switch in the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saqshy.accounts import regions


def region_switch(request: HttpRequest) -> dict[str, Any]:
    """The regions a user may switch between (none when there is only one) and the chosen one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"switch_regions": [], "switched_region": None}
    choices = list(regions.switchable_regions(user))
    if len(choices) < 2:
        return {"switch_regions": [], "switched_region": None}
    slug = request.session.get(regions.SESSION_KEY) if hasattr(request, "session") else None
    chosen = next((region for region in choices if region.slug == slug), None)
    return {"switch_regions": choices, "switched_region": chosen}
