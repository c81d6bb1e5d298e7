"""Facility kinds from OSM tags, driven by one ordered rule table.

The first rule that matches wins, so the more specific rules (a power plant that makes hot
water is a ``heating_plant``, not an ``energy_site``) come first. Objects that match no rule
are not facilities; this keeps unnamed substations, generators and similar noise out.

=================  ==========================================================================
kind               OSM tags
=================  ==========================================================================
school             amenity=school
kindergarten       amenity=kindergarten
university         amenity=university|college
hospital           amenity=hospital
clinic             amenity=clinic|doctors
police_station     amenity=police
fire_station       amenity=fire_station
mall               shop=mall|department_store
stadium            leisure=stadium
sports_centre      leisure=sports_centre|ice_rink|swimming_pool, named
theatre_cinema     amenity=theatre|cinema|arts_centre|concert_hall
market             amenity=marketplace
religious_site     amenity=place_of_worship
station            railway=station|halt, amenity=bus_station, public_transport=station
airport            aeroway=aerodrome
heating_plant      power=plant|generator with plant:output:hot_water, or named ТЭЦ/ЖЭЦ/CHP/
                   котельная/қазандық; man_made=boiler_house; building=boiler_house
energy_site        power=plant|generator|substation (and the older station|sub_station), named
water_utility      man_made=water_works|wastewater_plant|water_tower|reservoir_covered,
                   amenity=water_point
=================  ==========================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_HEATING_NAME = re.compile(r"ТЭЦ|ЖЭЦ|\bCHP\b|котельн|қазандық", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """``tags[key]`` in ``values`` makes ``kind``, subject to the optional extra conditions."""

    kind: str
    key: str
    values: frozenset[str]
    needs_name: bool = False
    needs_key: str = ""
    name_pattern: re.Pattern[str] | None = None

    def matches(self, tags: Mapping[str, str]) -> bool:
        """Whether the rule applies to ``tags``."""
        if tags.get(self.key) not in self.values:
            return False
        name = display_name(tags)
        if self.needs_name and not name:
            return False
        if self.needs_key and not tags.get(self.needs_key):
            return False
        return self.name_pattern is None or bool(self.name_pattern.search(name))


def _r(
    kind: str,
    key: str,
    *values: str,
    needs_name: bool = False,
    needs_key: str = "",
    name_pattern: re.Pattern[str] | None = None,
) -> Rule:
    return Rule(kind, key, frozenset(values), needs_name, needs_key, name_pattern)


RULES: tuple[Rule, ...] = (
    _r("school", "amenity", "school"),
    _r("kindergarten", "amenity", "kindergarten"),
    _r("university", "amenity", "university", "college"),
    _r("hospital", "amenity", "hospital"),
    _r("clinic", "amenity", "clinic", "doctors"),
    _r("police_station", "amenity", "police"),
    _r("fire_station", "amenity", "fire_station"),
    _r("mall", "shop", "mall", "department_store"),
    _r("stadium", "leisure", "stadium"),
    _r("sports_centre", "leisure", "sports_centre", "ice_rink", "swimming_pool", needs_name=True),
    _r("theatre_cinema", "amenity", "theatre", "cinema", "arts_centre", "concert_hall"),
    _r("market", "amenity", "marketplace"),
    _r("religious_site", "amenity", "place_of_worship"),
    _r("station", "railway", "station", "halt"),
    _r("station", "amenity", "bus_station"),
    _r("station", "public_transport", "station"),
    _r("airport", "aeroway", "aerodrome"),
    _r("heating_plant", "power", "plant", "generator", needs_key="plant:output:hot_water"),
    _r("heating_plant", "power", "plant", "generator", name_pattern=_HEATING_NAME),
    _r("heating_plant", "man_made", "boiler_house"),
    _r("heating_plant", "building", "boiler_house"),
    _r(
        "energy_site",
        "power",
        "plant",
        "generator",
        "substation",
        "station",
        "sub_station",
        needs_name=True,
    ),
    _r(
        "water_utility",
        "man_made",
        "water_works",
        "wastewater_plant",
        "water_tower",
        "reservoir_covered",
    ),
    _r("water_utility", "amenity", "water_point"),
)

FACILITY_KINDS: tuple[str, ...] = tuple(dict.fromkeys(rule.kind for rule in RULES))
"""Every kind the table can produce, in table order."""


def display_name(tags: Mapping[str, str]) -> str:
    """The ``name`` tag, falling back to ``name:ru``, ``name:kk`` then ``name:en``."""
    for key in ("name", "name:ru", "name:kk", "name:en"):
        value = tags.get(key, "").strip()
        if value:
            return value
    return ""


_RULE_KEYS = frozenset(rule.key for rule in RULES)


def classify(tags: Mapping[str, str]) -> str | None:
    """The facility kind for ``tags``, or ``None`` when the object is not a facility."""
    if _RULE_KEYS.isdisjoint(tags):
        return None
    for rule in RULES:
        if rule.matches(tags):
            return rule.kind
    return None
