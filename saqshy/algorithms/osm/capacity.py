"""Facility capacity: the OSM ``capacity`` tag, else an occupant-load estimate.

Method (also written up in ``docs/capacity.md``)::

    capacity = floor_area_m2 / m2_per_person          (rounded down, at least 1)
    floor_area_m2 = sum of geodesic footprint area * storeys

The footprint area is geodesic (``pyproj.Geod(ellps="WGS84").geometry_area_perimeter``,
absolute value) so it is right at any latitude. ``storeys`` is ``building:levels`` when
mapped, else the per-kind default below. Which footprint is used:

* the facility's own polygon when it is a building (``building=*``);
* otherwise the buildings whose representative point lies inside the facility's polygon
  (a school's grounds contain its buildings), each with its own ``building:levels``;
* a point facility inside an otherwise unused building borrows that building;
* ``stadium`` and ``market`` fall back to their own outline, one storey, when they contain
  no building (open stands, open-air bazaar), unless the outline exceeds 10 ha
  (``MAX_OPEN_SITE_M2``): that is a sports park or a market district, not one venue;
* a point without a building and without a tag has no capacity (``None``).

Occupant-load factors are from IBC 2021 Table 1004.5 (ft² per occupant; 1 ft² = 0.0929 m²).
The result is a *code occupant load*, the most people the building may safely hold, not an
enrolment or a bed count. IBC "net" factors apply to net floor area (rooms without corridors,
stairs, walls, plant); OSM gives gross outlines, so net = 0.65 * gross (``NET_TO_GROSS``, a
typical net-to-gross efficiency for schools and assembly buildings) is applied for them.

``storeys`` counts at most ``max`` floors per kind. Halls (theatres, places of worship,
stadiums, stations) count one: their ``building:levels`` describes height, not floors
people stand on. A point facility inside a building taller than ``max`` is taken to be a
tenant of a mixed-use block (a language school in a 13-storey tower) and gets one floor.

==============  ===========================================  =======  =====  =======  ===
kind            IBC 2021 function of space                   ft²      m² gr  default  max
==============  ===========================================  =======  =====  =======  ===
school          Educational, classroom area                  20 net   2.86   3        4
kindergarten    Day care                                     35 net   5.00   2        3
university      Business areas (group B covers education     150 gr.  13.94  3        10
                above 12th grade)
hospital        Institutional, inpatient treatment areas     240 gr.  22.30  3        15
clinic          Institutional, outpatient areas              100 gr.  9.29   2        4
police_station  Business areas                               150 gr.  13.94  2        5
fire_station    Business areas                               150 gr.  13.94  2        3
mall            Mercantile                                   60 gr.   5.57   2        6
stadium         see note: ≈ assembly unconcentrated          15 gr.   1.39   1        1
sports_centre   Exercise rooms (also rink and pool)          50 gr.   4.65   1        2
theatre_cinema  Assembly without fixed seats, unconcentrated 15 net   2.14   1        1
market          Mercantile                                   60 gr.   5.57   1        2
religious_site  Assembly without fixed seats, unconcentrated 15 net   2.14   1        1
station         Airport terminal, concourse                  100 gr.  9.29   1        1
airport         Airport terminal, concourse                  100 gr.  9.29   1        2
heating_plant   Industrial areas                             100 gr.  9.29   1        2
energy_site     Industrial areas                             100 gr.  9.29   1        2
water_utility   Industrial areas                             100 gr.  9.29   1        2
==============  ===========================================  =======  =====  =======  ===

Stadium note: fixed-seat stands hold roughly one spectator per 0.5-0.7 m² of stand and
stands typically cover about half of a stadium's outline, i.e. about 1.2-1.4 m² of outline
per spectator; 1.39 m² is used on the stadium's buildings (stands, arena) when mapped, else
on its outline. Expect ±50 %; prefer the ``capacity`` tag when present.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

FT2_TO_M2 = 0.09290304
"""Square feet to square metres (exact, international foot)."""

MAX_OPEN_SITE_M2 = 100_000.0
"""Largest outline taken as one open-air venue (the biggest stadium bowls are ~5-6 ha)."""

NET_TO_GROSS = 0.65
"""Share of a building's gross floor area that is net (occupiable rooms)."""

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class LoadFactor:
    """Occupant-load factor of one facility kind.

    ``basis`` is ``"net"`` or ``"gross"`` as in the IBC table. ``site_area`` says when the
    facility's own outline counts as floor: ``"building"`` only when the outline is a
    building, ``"fallback"`` also when no building lies inside it.
    """

    use: str
    ft2_per_person: float
    basis: str
    default_storeys: int
    max_storeys: int
    site_area: str = "building"

    @property
    def m2_per_person(self) -> float:
        """Square metres of *gross* floor area per occupant."""
        net = self.ft2_per_person * FT2_TO_M2
        return net / NET_TO_GROSS if self.basis == "net" else net


_INDUSTRIAL = LoadFactor("Industrial areas", 100, "gross", 1, 2)
_ASSEMBLY = LoadFactor("Assembly without fixed seats, unconcentrated", 15, "net", 1, 1)
_CONCOURSE = "Airport terminal, concourse"

LOAD_FACTORS: dict[str, LoadFactor] = {
    "school": LoadFactor("Educational, classroom area", 20, "net", 3, 4),
    "kindergarten": LoadFactor("Day care", 35, "net", 2, 3),
    "university": LoadFactor("Business areas (education above 12th grade)", 150, "gross", 3, 10),
    "hospital": LoadFactor("Institutional, inpatient treatment areas", 240, "gross", 3, 15),
    "clinic": LoadFactor("Institutional, outpatient areas", 100, "gross", 2, 4),
    "police_station": LoadFactor("Business areas", 150, "gross", 2, 5),
    "fire_station": LoadFactor("Business areas", 150, "gross", 2, 3),
    "mall": LoadFactor("Mercantile", 60, "gross", 2, 6),
    "stadium": LoadFactor("Stadium (crude, see module note)", 15, "gross", 1, 1, "fallback"),
    "sports_centre": LoadFactor("Exercise rooms; skating rinks, swimming pools", 50, "gross", 1, 2),
    "theatre_cinema": _ASSEMBLY,
    "market": LoadFactor("Mercantile", 60, "gross", 1, 2, "fallback"),
    "religious_site": _ASSEMBLY,
    "station": LoadFactor(_CONCOURSE, 100, "gross", 1, 1),
    "airport": LoadFactor(_CONCOURSE, 100, "gross", 1, 2),
    "heating_plant": _INDUSTRIAL,
    "energy_site": _INDUSTRIAL,
    "water_utility": _INDUSTRIAL,
}

_INT = re.compile(r"^\d{1,7}$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_capacity(value: str | None) -> int | None:
    """The OSM ``capacity`` value as a positive int, or ``None`` when it is not plainly numeric.

    Thousands separators (space, thin space, comma between digit groups) are accepted;
    ranges, ``~``, units or free text are not guessed at.
    """
    if not value:
        return None
    text = re.sub(r"(?<=\d)[\s\u2009\u202f,](?=\d{3}\b)", "", value.strip())
    if not _INT.match(text):
        return None
    number = int(text)
    return number if number > 0 else None


def parse_levels(value: str | None) -> int | None:
    """``building:levels`` as an int (first number, rounded; ``"5;9"`` gives 5), or ``None``."""
    if not value:
        return None
    match = _NUMBER.search(value)
    if match is None:
        return None
    levels = math.floor(float(match.group().replace(",", ".")) + 0.5)
    return levels if 1 <= levels <= 200 else None


def geodesic_area_m2(geometry: BaseGeometry | Mapping[str, Any]) -> float:
    """Area in m² of a lon/lat polygon or multipolygon on the WGS84 ellipsoid."""
    geom = geometry if isinstance(geometry, BaseGeometry) else shape(geometry)
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return 0.0
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(float(area))


def storeys_for(kind: str, levels: int | None, tenant: bool = False) -> int:
    """Storeys that count as floor area: ``levels`` (else the kind's default), at most the
    kind's maximum; a ``tenant`` (point in a taller mixed-use building) counts one."""
    factor = LOAD_FACTORS.get(kind)
    if factor is None:
        return levels or 1
    if tenant and levels is not None and levels > factor.max_storeys:
        return 1
    return min(levels or factor.default_storeys, factor.max_storeys)


def estimate_capacity(kind: str, floor_area_m2: float) -> int | None:
    """Occupant load for ``floor_area_m2`` of a ``kind`` facility (``None`` without area)."""
    factor = LOAD_FACTORS.get(kind)
    if factor is None or floor_area_m2 <= 0:
        return None
    return max(1, int(floor_area_m2 / factor.m2_per_person))


def resolve_capacity(
    kind: str, tags: Mapping[str, str], floor_area_m2: float | None
) -> tuple[int | None, str]:
    """``(capacity, capacity_source)``: the tag when numeric, else the estimate, else unknown."""
    tagged = parse_capacity(tags.get("capacity"))
    if tagged is not None:
        return tagged, "osm"
    estimate = estimate_capacity(kind, floor_area_m2) if floor_area_m2 else None
    if estimate is not None:
        return estimate, "estimated"
    return None, ""
