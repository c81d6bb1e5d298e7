"""A compact use class for a building from its OSM tags: ``residential``, ``other`` or unknown.

The basemap keeps one short property per building instead of the raw ``building=*`` value:
enough for the demo to place home fire alarms in homes, small enough to keep the bundle lean.
Rules follow the OSM wiki's ``Key:building`` value groups, nothing city-specific:

* an accommodation value (``apartments``, ``house``, ``dormitory`` ...) is ``residential``;
* any other specific value (``industrial``, ``school``, ``garage`` ...) is ``other``;
* a plain ``building=yes`` (or a value that is not a word, such as ``building=2``) is
  ``other`` when the object itself says it is something else (``amenity``, ``shop``,
  ``office`` ... or a facility kind), and otherwise unknown (``""``): whether such a building
  is a home is the caller's guess, see ``saqshy.algorithms.homes.likely_home``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .classify import classify

RESIDENTIAL = "residential"
OTHER = "other"

RESIDENTIAL_VALUES = frozenset(
    {
        "apartments",
        "bungalow",
        "cabin",
        "detached",
        "dormitory",
        "farm",
        "ger",
        "house",
        "houseboat",
        "residential",
        "semidetached_house",
        "static_caravan",
        "stilt_house",
        "terrace",
    }
)
"""``building=*`` values of the OSM wiki's *Accommodation* group (``ger``: a yurt)."""

UNSPECIFIC_VALUES = frozenset({"yes", "true", "1", "building"})
"""Values that say only "a building is here"."""

OTHER_USE_KEYS = (
    "amenity",
    "shop",
    "office",
    "craft",
    "tourism",
    "leisure",
    "man_made",
    "industrial",
    "healthcare",
    "aeroway",
    "railway",
    "military",
    "power",
)
"""Keys on the building itself that name a non-residential use."""


def building_use(tags: Mapping[str, str]) -> str:
    """``residential``, ``other`` or ``""`` (unknown) for an object tagged ``building=*``."""
    value = tags.get("building", "").strip().lower()
    if value in RESIDENTIAL_VALUES:
        return RESIDENTIAL
    if value and value not in UNSPECIFIC_VALUES and value.replace("_", "").isalpha():
        return OTHER
    if any(tags.get(key, "no") != "no" for key in OTHER_USE_KEYS) or classify(tags) is not None:
        return OTHER
    return ""
