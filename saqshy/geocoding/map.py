"""The situation map's address search and clicked-point look-up: the words and URLs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from saqshy.geocoding.queries import kind_names, prepare


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    prepare()
    return {
        "geocode": {
            "searchUrl": reverse("api:geocode-search"),
            "reverseUrl": reverse("api:geocode-reverse"),
            "kinds": kind_names(),
            "text": {
                "search": _("Find an address"),
                "nothing": _("No address or street near this point."),
                "away": _("m away"),
            },
        }
    }
