"""The highway network from the database, and travel on it around closures.

The pure search lives in ``saqshy.algorithms.highways``; this module adapts the segments to it
(kept in memory per process, rebuilt when a segment is added or edited) and decides which
segments a vehicle may not use from their status and current closure. A closed segment is
closed to everyone but emergency vehicles; a restriction forbids what it says (no buses, no
trucks, emergency vehicles only); a convoy-only segment may be used (behind a plough).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.db.models import Count, Max

from saqshy.algorithms.highways import HighwayEdge, HighwayRoute, Network, NoRoute
from saqshy.roads.choices import Restriction, SegmentStatus, VehicleClass
from saqshy.roads.models import Closure, Segment

__all__ = ["HighwayRoute", "NoRoute", "closed_for", "network", "plan_route", "travel_seconds"]

FORBIDS: dict[str, frozenset[str]] = {
    Restriction.NO_BUSES: frozenset({VehicleClass.BUS}),
    Restriction.NO_TRUCKS: frozenset({VehicleClass.TRUCK}),
    Restriction.CONVOY_ONLY: frozenset(),
    Restriction.EMERGENCY_ONLY: frozenset({VehicleClass.CAR, VehicleClass.BUS, VehicleClass.TRUCK}),
}
"""Which vehicle classes each restriction keeps off the segment."""

_lock = threading.Lock()
_cached: tuple[tuple[int, object], Network] | None = None


def _edge(segment: Segment) -> HighwayEdge:
    coords = tuple((float(p[0]), float(p[1])) for p in segment.geometry["coordinates"])
    return HighwayEdge(
        id=segment.pk,
        a=segment.from_node,
        b=segment.to_node,
        length_m=segment.length_km * 1000,
        speed_kmh=segment.speed_kmh,
        coords=coords,
    )


def network() -> Network:
    """Every segment as one routing network (all regions: roads cross them)."""
    global _cached
    stamp = Segment.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    key = (int(stamp["n"]), stamp["latest"])
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
    fields = ("id", "from_node", "to_node", "length_km", "speed_kmh", "geometry")
    built = Network.build(_edge(s) for s in Segment.objects.only(*fields).order_by("id"))
    with _lock:
        _cached = (key, built)
    return built


def closed_for(vehicle: str = VehicleClass.CAR) -> set[int]:
    """Ids of the segments ``vehicle`` may not use now."""
    if vehicle == VehicleClass.EMERGENCY:
        return set()
    closed = set(Segment.objects.filter(status=SegmentStatus.CLOSED).values_list("id", flat=True))
    for segment_id, restriction in Closure.objects.filter(
        ended_at__isnull=True, status=SegmentStatus.RESTRICTED
    ).values_list("segment_id", "restriction"):
        if vehicle in FORBIDS.get(restriction, frozenset()):
            closed.add(segment_id)
    return closed


def travel_seconds(
    origin: tuple[float, float],
    targets: Sequence[tuple[float, float]],
    vehicle: str = VehicleClass.CAR,
) -> list[float]:
    """Seconds by road from ``origin`` (lat, lon) to each target (``inf``: no open way)."""
    return network().travel_seconds(origin, targets, closed_for(vehicle))


def plan_route(
    origin: tuple[float, float],
    destination: tuple[float, float],
    vehicle: str = VehicleClass.CAR,
) -> HighwayRoute:
    """The quickest route ``vehicle`` may drive now; ``NoRoute.blocking`` names the closed
    segments (ids) in the way when there is none."""
    return network().route(origin, destination, closed_for(vehicle))
