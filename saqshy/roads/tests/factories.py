"""A small road network around Astana for tests: a triangle and a spur.

Junctions: 1 Astana (51.13, 71.43), 2 south (50.50, 72.00), 3 east (51.00, 72.60),
4 Karaganda (49.81, 73.09). Segments: 1–2, 2–4 (the direct road), 1–3, 3–4 (the way round).
"""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Region
from saqshy.algorithms.highways import EARTH_RADIUS_M
from saqshy.core.testing.geography import make_region
from saqshy.roads.models import Segment

JUNCTIONS: dict[int, tuple[float, float]] = {
    1: (51.13, 71.43),
    2: (50.50, 72.00),
    3: (51.00, 72.60),
    4: (49.81, 73.09),
}
PLACES = {1: "Astana", 2: "Southern junction", 3: "Eastern junction", 4: "Karaganda"}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h)) / 1000


def make_segment(a: int, b: int, region: Region | None = None, **fields: Any) -> Segment:
    region = region or make_region("astana")
    (lat1, lon1), (lat2, lon2) = JUNCTIONS[a], JUNCTIONS[b]
    defaults: dict[str, Any] = {
        "region": region,
        "from_node": a,
        "to_node": b,
        "from_place": PLACES[a],
        "to_place": PLACES[b],
        "geometry": {"type": "LineString", "coordinates": [[lon1, lat1], [lon2, lat2]]},
        "length_km": round(_km(JUNCTIONS[a], JUNCTIONS[b]), 3),
    }
    defaults.update(fields)
    segment, _ = Segment.objects.get_or_create(code=f"test-{a}-{b}", defaults=defaults)
    return segment


def make_network(region: Region | None = None) -> dict[str, Segment]:
    """The four segments, keyed "1-2", "2-4", "1-3", "3-4"."""
    return {f"{a}-{b}": make_segment(a, b, region) for a, b in ((1, 2), (2, 4), (1, 3), (3, 4))}


def person(
    username: str, agency_kind: str, role: str, region: Region | None, agency_region: Any = ...
) -> Any:
    """A user with one grant: ``role`` at an agency of ``agency_kind`` (regional at
    ``region``, or national when ``region`` is None)."""
    from saqshy.accounts.models import Agency, Grant, Role, User
    from saqshy.accounts.roles import sync_roles

    if not Role.objects.exists():
        sync_roles()
    where = region if agency_region is ... else agency_region
    code = f"{agency_kind}-{where.slug if where else 'national'}"
    agency, _ = Agency.objects.get_or_create(
        code=code, defaults={"kind": agency_kind, "region": where, "name_en": code}
    )
    user = User.objects.create_user(username=username, password="pw")
    Grant.objects.create(user=user, agency=agency, role=Role.objects.get(slug=role), region=region)
    return user


_numbers = iter(range(1000, 10**6))


def segment_in(region: Region, name: str = "") -> Segment:
    """A straight segment at the region's centre with a fresh code (for list tests)."""
    n = next(_numbers)
    lat, lon = region.centre_lat or 0.0, region.centre_lon or 0.0
    return Segment.objects.create(
        code=f"list-{n}",
        name=name,
        region=region,
        from_node=n * 2,
        to_node=n * 2 + 1,
        from_place="West",
        to_place="East",
        geometry={"type": "LineString", "coordinates": [[lon, lat], [lon + 0.01, lat]]},
        length_km=0.7,
    )
