"""Template context every page needs: the navigation and the banners the apps declare."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest

from saqshy.core.registry import banners, nav_entries
from saqshy.core.scoping import user_scopes


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation, without links to records the user may not view at all."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "page_banners": banners()}
    every = nav_entries()
    models = {entry.view_model: apps.get_model(entry.view_model) for entry in every
              if entry.view_model is not None}  # fmt: skip
    scopes = user_scopes(user, list(dict.fromkeys(models.values())), "view")
    entries = [
        entry
        for entry in every
        if entry.view_model is None or not scopes[models[entry.view_model]].empty
    ]
    return {"nav_entries": entries, "page_banners": banners()}
