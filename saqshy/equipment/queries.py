"""Read-side helpers for fire equipment: the operable hydrants nearest to a facility."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saqshy.algorithms import geo
from saqshy.equipment.models import Hydrant
from saqshy.facilities.models import Facility


@dataclass(frozen=True)
class NearbyHydrant:
    hydrant: Hydrant
    distance_m: float


def nearest_operable_hydrants(
    facility: Facility, k: int = 3, max_m: float = 2000, *, hydrants: Any = None
) -> list[NearbyHydrant]:
    """The ``k`` operable hydrants nearest to ``facility`` within ``max_m`` metres, nearest
    first, in two queries.

    ``hydrants`` is the queryset to search (pass ``Hydrant.objects.restrict(user, "view")``
    so a caller sees only hydrants in their scope); the database narrows it to a bounding box
    around the facility, then exact great-circle distances pick and order the nearest.
    """
    if k <= 0:
        return []
    base = Hydrant.objects.all() if hydrants is None else hydrants
    min_lat, min_lon, max_lat, max_lon = geo.bounding_box(facility.lat, facility.lon, max_m)
    candidates = list(
        base.filter(
            operable=True,
            lat__gte=min_lat,
            lat__lte=max_lat,
            lon__gte=min_lon,
            lon__lte=max_lon,
        )
        .order_by("pk")
        .values_list("pk", "lat", "lon")
    )
    found = geo.nearest(
        [(lat, lon) for _pk, lat, lon in candidates], facility.lat, facility.lon, k, max_m
    )
    ids = [candidates[index][0] for index, _metres in found]
    rows = Hydrant.objects.select_related("region").in_bulk(ids)
    return [
        NearbyHydrant(rows[candidates[index][0]], metres)
        for index, metres in found
        if candidates[index][0] in rows
    ]
