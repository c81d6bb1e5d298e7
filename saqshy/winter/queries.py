"""Reads of the winter app: the nearest warming points with places by road time, the public
list of open points, and the standby shortfalls per region.

Road time comes from the highway network (``saqshy.roads.network``), around the segments
the vehicle may not use now. A point far from every road (more than ``OFF_NETWORK_M``) or a
network with no roads at all falls back to the straight line at the norm's assumed speed,
and the answer says so (``by_road`` false).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from saqshy.accounts.models import Region
from saqshy.accounts.queries import norm
from saqshy.algorithms.highways import EARTH_RADIUS_M, NoRoute
from saqshy.roads import network as roads_network
from saqshy.roads.choices import ClosureReason, SegmentStatus, VehicleClass
from saqshy.roads.models import Closure, Segment
from saqshy.winter.choices import EquipmentType
from saqshy.winter.models import Standby, WarmingPoint

OFF_NETWORK_M = 20_000.0
"""A place farther than this from every road segment is off the network."""
CANDIDATES = 25
"""How many points nearest by straight line are timed by road."""


def straight_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class NearPoint:
    """A warming point reachable from a place: the road time, and the roads of the route
    (their names) — or the straight-line estimate when the place or the point is off the
    network (``by_road`` false, ``note`` says so)."""

    point: WarmingPoint
    seconds: float
    metres: float
    by_road: bool
    roads: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))

    @property
    def km(self) -> float:
        return round(self.metres / 1000, 1)

    def as_dict(self) -> dict[str, Any]:
        p = self.point
        return {
            "id": p.pk,
            "name": p.name,
            "address": p.address,
            "lat": p.lat,
            "lon": p.lon,
            "capacity": p.capacity,
            "free_places": p.free_places,
            "minutes": self.minutes,
            "km": self.km,
            "by_road": self.by_road,
            "roads": self.roads,
            "note": self.note,
        }


def _off_network(net: Any, lat: float, lon: float) -> bool:
    if not net.edges:
        return True
    try:
        return bool(net.locate(lat, lon).offset_m > OFF_NETWORK_M)
    except NoRoute:
        return True


def nearest_points(
    lat: float,
    lon: float,
    *,
    people: int = 1,
    vehicle: str = VehicleClass.CAR,
    limit: int = 3,
    points: Iterable[WarmingPoint] | None = None,
) -> list[NearPoint]:
    """Open warming points with at least ``people`` free places, quickest by road first.

    ``points`` narrows the candidates (a user's scope); by default every point. Points no open
    road leads to are left out; a place or point off the network is timed along the straight
    line at the norm ``winter_offroad_speed_kmh`` (and says so).
    """
    rows = points if points is not None else WarmingPoint.objects.all()
    usable = [p for p in rows if p.is_open and p.capacity - p.occupancy >= max(1, int(people))]
    usable.sort(key=lambda p: straight_m(lat, lon, p.lat, p.lon))
    usable = usable[:CANDIDATES]
    if not usable:
        return []
    net = roads_network.network()
    speed = norm("winter_offroad_speed_kmh") / 3.6
    origin_off = _off_network(net, lat, lon)
    found: list[NearPoint] = []
    on_road = [] if origin_off else [p for p in usable if not _off_network(net, p.lat, p.lon)]
    times = (
        roads_network.travel_seconds((lat, lon), [(p.lat, p.lon) for p in on_road], vehicle)
        if on_road
        else []
    )
    for point, seconds in zip(on_road, times, strict=True):
        if math.isfinite(seconds):
            found.append(NearPoint(point, seconds, 0.0, True))
    for point in usable:
        if point in on_road:
            continue
        metres = straight_m(lat, lon, point.lat, point.lon)
        note = _("Off the road network: straight-line distance at %(speed)s km/h.") % {
            "speed": round(speed * 3.6)
        }
        found.append(
            NearPoint(point, metres / speed if speed else math.inf, metres, False, [], note)
        )
    found.sort(key=lambda n: (n.seconds, n.point.pk))
    found = found[: max(1, int(limit))]
    for near in found:
        if near.by_road:
            _describe_route(near, lat, lon, vehicle)
    return found


def _describe_route(near: NearPoint, lat: float, lon: float, vehicle: str) -> None:
    """Fill in the route's length and the names of its roads, in driving order."""
    try:
        route = roads_network.plan_route((lat, lon), (near.point.lat, near.point.lon), vehicle)
    except NoRoute:
        return
    near.metres = route.meters
    titles = {s.pk: s.title for s in Segment.objects.filter(pk__in=route.edges)}
    near.roads = list(dict.fromkeys(titles[e] for e in route.edges if e in titles))


def locate_segment(lat: float, lon: float) -> Segment | None:
    """The road segment nearest to a place, when the place is on (near) the network."""
    net = roads_network.network()
    if _off_network(net, lat, lon):
        return None
    return Segment.objects.filter(pk=net.locate(lat, lon).edge).first()


# --- the situation map ------------------------------------------------------------------------


def map_features(user: Any) -> dict[str, list[dict[str, Any]]]:
    """What the map's winter layer draws, each kind cut to ``user``'s view grants: warming
    points (free places), open stranded reports (people, children, status; no phone) and the
    units on standby now."""
    from django.utils import timezone

    from saqshy.winter.models import StrandedReport

    visible: Any = WarmingPoint.objects.restrict(user, "view")
    points = [
        {
            "id": p.pk,
            "lat": p.lat,
            "lon": p.lon,
            "name": p.name,
            "address": p.address,
            "capacity": p.capacity,
            "free_places": p.free_places,
            "is_open": p.is_open,
            "colour": p.colour,
        }
        for p in visible
    ]
    open_reports: Any = (
        StrandedReport.objects.restrict(user, "view")
        .filter(status__in=("reported", "assigned", "evacuating"))
        .select_related("point")
    )
    stranded = [
        {
            "id": r.pk,
            "lat": r.lat,
            "lon": r.lon,
            "location": r.location,
            "people": r.people,
            "children": r.children,
            "status": r.status,
            "status_label": str(r.get_status_display()),
            "colour": r.colour,
            "point": r.point.name if r.point_id else "",
        }
        for r in open_reports
    ]
    on_duty: Any = standing_by(timezone.now()).restrict(user, "view").select_related("unit")
    standby = [
        {
            "id": s.pk,
            "lat": s.lat,
            "lon": s.lon,
            "call_sign": s.unit.call_sign,
            "equipment": str(s.get_equipment_type_display()),
            "readiness": str(s.get_readiness_display()),
            "base": s.base_name,
            "colour": s.colour,
        }
        for s in on_duty
    ]
    return {"points": points, "stranded": stranded, "standby": standby}


# --- the public page --------------------------------------------------------------------------


def public_points(region: str | None = None) -> list[dict[str, Any]]:
    """Open warming points for the public page (``region``: a region slug): what they offer,
    free places, hours and their public phone. Nothing personal, nothing about the stranded."""
    rows = WarmingPoint.objects.filter(is_open=True).select_related("region")
    if region:
        rows = rows.filter(region__slug=region)
    out = []
    for p in rows.order_by("region__name_en", "name", "pk"):
        out.append(
            {
                "name": p.name,
                "address": p.address,
                "region": p.region.display_name,
                "region_slug": p.region.slug,
                "lat": p.lat,
                "lon": p.lon,
                "capacity": p.capacity,
                "free_places": p.free_places,
                "full": p.full,
                "heating": p.heating,
                "food": p.food,
                "fuel": p.fuel,
                "medical": p.medical,
                "hours": p.hours,
                "phone": p.phone,
            }
        )
    return out


# --- standby shortfalls -----------------------------------------------------------------------


@dataclass(frozen=True)
class WarningFact:
    """A weather warning as the shortfall rules need it: where and how severe (``yellow``,
    ``orange``, ``red``); ``segment_id`` empty for a warning over the whole region."""

    region_id: int
    segment_id: int | None
    level: str


WarningSource = Callable[[], Iterable[WarningFact]]
_WARNING_SOURCES: list[WarningSource] = []
WEATHER_REASONS = (
    ClosureReason.BLIZZARD,
    ClosureReason.COLD,
    ClosureReason.WIND,
    ClosureReason.ICE,
)
SEVERE = ("orange", "red")


def register_warnings(source: WarningSource) -> None:
    """Let the weather app hand its active warnings to the shortfall rules (no import)."""
    if source not in _WARNING_SOURCES:
        _WARNING_SOURCES.append(source)


def active_warnings() -> list[WarningFact]:
    return [fact for source in _WARNING_SOURCES for fact in source()]


@dataclass
class Shortfall:
    region: Region
    segment: Segment | None
    equipment_type: str
    missing: int

    @property
    def sentence(self) -> str:
        what = str(EquipmentType.label(self.equipment_type)).lower()
        if self.segment is not None:
            road = f"{self.segment.number} {self.segment.title}".strip()
            if self.missing > 1:
                return _(
                    "%(region)s: %(count)s more of %(what)s needed on standby for %(road)s"
                ) % {
                    "region": self.region.display_name,
                    "count": self.missing,
                    "what": what,
                    "road": road,
                }
            return _("%(region)s: no %(what)s on standby for %(road)s") % {
                "region": self.region.display_name,
                "what": what,
                "road": road,
            }
        return _("%(region)s: no %(what)s on standby for the region") % {
            "region": self.region.display_name,
            "what": what,
        }


def standing_by(at: Any) -> Any:
    """Standby records whose window covers ``at``."""
    return Standby.objects.filter(starts_at__lte=at, ends_at__gt=at)


def shortfalls(at: Any, region_ids: Iterable[int] | None = None) -> list[Shortfall]:
    """Which standby the norms call for and nobody covers, per region, at ``at``.

    A segment closed or restricted now, or under a weather warning, needs the norms'
    snow ploughs and tow trucks on standby for it (a standby for the whole region counts for
    each of its segments once); a region under an orange or red warning, or with a segment
    closed for the weather, needs the norm's helicopters.
    """
    wanted_ids = set(region_ids) if region_ids is not None else None
    warnings = active_warnings()
    segment_ids = set(
        Segment.objects.exclude(status=SegmentStatus.OPEN).values_list("pk", flat=True)
    )
    segment_ids |= {w.segment_id for w in warnings if w.segment_id is not None}
    segments = {
        s.pk: s
        for s in Segment.objects.filter(pk__in=segment_ids).select_related("region")
        if wanted_ids is None or s.region_id in wanted_ids
    }
    heli_regions = {w.region_id for w in warnings if w.level in SEVERE}
    heli_regions |= set(
        Closure.objects.filter(
            ended_at__isnull=True, status=SegmentStatus.CLOSED, reason__in=WEATHER_REASONS
        ).values_list("segment__region_id", flat=True)
    )
    if wanted_ids is not None:
        heli_regions &= wanted_ids
    held: dict[tuple[int, int | None, str], int] = {}
    for row in standing_by(at).values("region_id", "segment_id", "equipment_type"):
        key = (row["region_id"], row["segment_id"], row["equipment_type"])
        held[key] = held.get(key, 0) + 1
    per_segment = {
        EquipmentType.SNOW_PLOUGH: int(norm("winter_standby_ploughs_per_closed_segment")),
        EquipmentType.TOW_TRUCK: int(norm("winter_standby_tow_trucks_per_closed_segment")),
    }
    regions = {r.pk: r for r in Region.objects.filter(pk__in=heli_regions)}
    out: list[Shortfall] = []
    for segment in sorted(segments.values(), key=lambda s: (s.region.name_en, s.title)):
        for kind, need in per_segment.items():
            have = held.get((segment.region_id, segment.pk, kind), 0)
            have += held.get((segment.region_id, None, kind), 0)
            if have < need:
                out.append(Shortfall(segment.region, segment, kind, need - have))
    helicopters = int(norm("winter_standby_helicopters_per_region"))
    for region_id in sorted(heli_regions, key=lambda pk: regions[pk].name_en):
        have = sum(
            n
            for (r, _s, kind), n in held.items()
            if r == region_id and kind == EquipmentType.HELICOPTER
        )
        if have < helicopters:
            out.append(
                Shortfall(regions[region_id], None, EquipmentType.HELICOPTER, helicopters - have)
            )
    return out
