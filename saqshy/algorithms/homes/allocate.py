"""Share ``n`` devices among buildings in proportion to their size, by largest remainder.

The brief installs 36,000 home fire alarms "proportionate to buildings": a tower of 16 storeys
holds more homes than a cottage, so a building's weight is its residential floor area (storeys
times footprint), or its number of flats when that is known. Hamilton's largest-remainder
method gives every building the whole part of its exact quota and hands the few devices left
over to the largest fractional parts, so the counts add up to ``n`` exactly and none is more
than one away from its exact share. Ties go to the earlier building, so the result depends only
on the input order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_HOME_M2 = 40.0
"""Smallest footprint taken for a home when the building's use is unknown: below it a plain
building with a house number is more likely a garage, a shed or a kiosk. (A one-room
flat in Kazakhstan's norms starts at about 30 m² of floor; a detached house rarely under 40.)"""

MAX_UNKNOWN_HOME_M2 = 5000.0
"""Largest footprint taken for a home when the building's use is unknown: a courtyard block of
flats rarely covers more, while malls, markets, warehouses and office centres do."""

DEFAULT_LEVELS = 1
"""Storeys assumed when a building has no ``building:levels``."""


@dataclass(frozen=True)
class BuildingWeight:
    """A building that may receive devices and how much room for homes it has."""

    ref: str
    weight: float


@dataclass(frozen=True)
class Allocation:
    """How many devices building ``ref`` receives, and its exact (fractional) share."""

    ref: str
    count: int
    quota: float


def weight_of(area_m2: float, levels: int | None, flats: int | None = None) -> float:
    """A building's weight: its flats when counted, else storeys × footprint area (m²)."""
    if flats is not None and flats > 0:
        return float(flats)
    storeys = levels if levels is not None and levels > 0 else DEFAULT_LEVELS
    return max(area_m2, 0.0) * storeys


def likely_home(*, use: str, housenumber: str, name: str, area_m2: float) -> bool:
    """Whether a basemap building is a home.

    ``use`` is the building's use class (``residential``, ``other`` or ``""`` for a plain
    ``building=yes``). A residential building is a home; an ``other`` one is not; an unknown
    one is taken for a home when it has a house number (it is an address people live at), no
    name (named buildings are shops, offices, institutions) and a footprint between
    ``MIN_HOME_M2`` and ``MAX_UNKNOWN_HOME_M2``. Callers also drop buildings that hold a
    facility (a school, a clinic).
    """
    if use == "residential":
        return area_m2 > 0
    if use:
        return False
    return bool(housenumber) and not name and MIN_HOME_M2 <= area_m2 <= MAX_UNKNOWN_HOME_M2


def allocate(n: int, buildings: Sequence[BuildingWeight]) -> list[Allocation]:
    """Share ``n`` devices among ``buildings`` by weight (Hamilton's largest remainder).

    Every building appears in the result, in input order. The counts sum to ``n``; each is
    the floor or the ceiling of the building's exact quota ``n * weight / total``. Raises
    ``ValueError`` when ``n`` is negative, a weight is negative or not finite, or ``n > 0``
    and no building has a positive weight.
    """
    if n < 0:
        raise ValueError("cannot allocate a negative number of devices")
    weights = [b.weight for b in buildings]
    if any(not math.isfinite(w) or w < 0 for w in weights):
        raise ValueError("building weights must be finite and not negative")
    total = math.fsum(weights)
    if total <= 0:
        if n:
            raise ValueError("no building has room for a device")
        return [Allocation(b.ref, 0, 0.0) for b in buildings]
    quotas = [n * w / total for w in weights]
    counts = [min(int(q), n) for q in quotas]
    left = n - sum(counts)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return [
        Allocation(b.ref, count, quota)
        for b, count, quota in zip(buildings, counts, quotas, strict=True)
    ]
