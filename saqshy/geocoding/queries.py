"""Geocoding for pages, the API and other apps: search, reverse, ``describe_point``.

``describe_point(lat, lon)`` is the provider other apps use to name a point (an incident
without an address, a trip's destination): the nearest address ("проспект Кабанбай батыра,
53"), else the nearest named street or place with the distance ("улица Акмешит, ~110 m"), in
the active language; "" when nothing is near or the geocoder cannot answer.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saqshy.accounts.models import Region
from saqshy.algorithms.geocode import Hit, rank
from saqshy.geocoding import loader

logger = logging.getLogger(__name__)

MAX_LIMIT = 50


def language() -> str:
    return (get_language() or "en")[:2]


def regions_for(user: Any) -> QuerySet[Region]:
    """Regions whose addresses ``user`` may look up: those of the user's grants (all of them
    for a national grant or a superuser), as routing does."""
    regions = Region.objects.order_by("slug")
    if user is None or not getattr(user, "is_authenticated", False):
        return regions.none()
    if user.is_superuser or user.grants.filter(region=None).exists():
        return regions
    return regions.filter(Q(grants__user=user)).distinct()


def search(query: str, regions: QuerySet[Region], limit: int = 10) -> list[Hit]:
    """Candidates for ``query`` in ``regions``, best first."""
    limit = max(1, min(limit, MAX_LIMIT))
    hits: list[Hit] = []
    for index in loader.indexes(regions):
        hits.extend(index.search(query, language(), limit))
    return rank(hits, limit)


def reverse(lat: float, lon: float, regions: QuerySet[Region]) -> Hit | None:
    """The nearest address, street or place to (lat, lon) in ``regions``, or None."""
    best: Hit | None = None
    order = {"address": 0, "street": 1, "place": 2, "facility": 3}
    for index in loader.address_indexes(regions):
        if not index.covers(lat, lon):
            continue
        hit = index.reverse(lat, lon, language())
        if hit is None:
            continue
        if best is None or (order[hit.kind], hit.distance_m) < (order[best.kind], best.distance_m):
            best = hit
    return best


def describe(hit: Hit) -> str:
    """A one-line description of a reverse hit: the address itself, or what is near."""
    if hit.kind == "address" or hit.distance_m < 15:
        return hit.label
    return _("%(place)s, ~%(distance)s m") % {
        "place": hit.label,
        "distance": round(hit.distance_m),
    }


def describe_point(lat: float, lon: float) -> str:
    """What to call (lat, lon) (see the module docstring); "" when nothing is near."""
    try:
        hit = reverse(float(lat), float(lon), Region.objects.order_by("slug"))
    except Exception:  # naming a point must never stop the caller's work
        logger.exception("reverse geocoding of %s,%s failed", lat, lon)
        return ""
    return describe(hit) if hit is not None else ""


def prepare() -> None:
    """Called by a page that offers address search: the indexes start building now."""
    loader.warm_files_in_background()


def kind_names() -> dict[str, str]:
    """The kinds of geocoding results in the active language (for the search widget)."""
    return {
        "address": _("address"),
        "street": _("street"),
        "place": _("place"),
        "facility": _("facility"),
    }


def search_as_you_type(
    field: forms.Field, *, lat: str = "id_lat", lon: str = "id_lon", region: Any = None
) -> None:
    """Make ``field`` search addresses as the user types; a picked suggestion fills the inputs
    with ids ``lat`` and ``lon``. ``region`` (a Region) keeps the search in that region.

    The page loads ``geocoding/address.js``. Warms the geocoder's index for the first search.
    """
    prepare()
    attrs = {
        "data-geocode": "search",
        "data-geocode-lat": lat,
        "data-geocode-lon": lon,
        "data-geocode-kinds": json.dumps(kind_names(), ensure_ascii=False),
        "autocomplete": "off",
    }
    if region is not None:
        attrs["data-geocode-region"] = region.slug
    field.widget.attrs.update(attrs)
