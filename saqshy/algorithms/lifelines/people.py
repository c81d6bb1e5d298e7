"""How many people live in the buildings a utility site serves.

Estimated from building footprints: floor area = footprint area × levels (one level where the
map does not say), people = floor area / gross floor area per person (a norm: housing per
person divided by the share of a building's floor that is living space). Non-residential
buildings are not told apart on the demo basemap, so the estimate is an upper bound for an
area with many warehouses and a fair one for housing estates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Building:
    """A footprint's area in square metres and its number of levels (None = unknown)."""

    area_m2: float
    levels: int | None = None


def floor_area(building: Building) -> float:
    levels = building.levels if building.levels and building.levels > 0 else 1
    return max(building.area_m2, 0.0) * levels


def people_affected(buildings: Iterable[Building], *, floor_m2_per_person: float) -> int:
    """People living in ``buildings`` at ``floor_m2_per_person`` of gross floor each."""
    if floor_m2_per_person <= 0:
        raise ValueError("floor area per person must be positive")
    total = sum(floor_area(building) for building in buildings)
    return math.floor(total / floor_m2_per_person)
