"""Template context every page needs: the navigation and the banners the apps declare."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest

from saqshy.core.registry import banners, nav_entries
from saqshy.core.scoping import user_scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation, without links to records the user may not view at all."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "page_banners": banners()}
    entries = [
        entry
        for entry in nav_entries()
        if entry.view_model is None
        or not user_scope(user, apps.get_model(entry.view_model), "view").empty
    ]
    return {"nav_entries": entries, "page_banners": banners()}
