"""The demo's winter night on the Astana – Karaganda road: two warming points filling up, a
stranded bus with children sent to the nearest point with places, and a helicopter and a
snow plough on standby for the closed road.

The points are in two real settlements on the road south-east of Astana: Arshaly (the
district centre of Arshaly district, Akmola region) and Osakarovka (the district centre of
Osakarovka district, Karaganda region, on the way to Temirtau). The bus stands on the given
segment itself, at the point of its geometry a little past Arshaly. Every change goes through
the winter services (audited); the occupancy rises in steps, as a phone at the point would
send it. Idempotent: a second run finds everything and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Agency, Region
from saqshy.accounts.queries import region_id_at
from saqshy.core.scoping import user_scope
from saqshy.incidents.choices import UnitKind
from saqshy.incidents.models import Unit
from saqshy.roads.models import Segment
from saqshy.winter import services
from saqshy.winter.choices import EquipmentType, FuelLeft, Readiness, VehicleKind
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint

# (name, address, lat, lon, capacity, occupancy steps as the evening goes, services)
POINTS: list[tuple[str, str, float, float, int, tuple[int, ...], dict[str, Any]]] = [
    (
        "Аршалы ауылының №1 мектебі",
        "Аршалы ауылы, Бейбітшілік көшесі, Аршалы ауданы, Ақмола облысы",
        50.8496,
        72.1733,
        120,
        (18, 35, 52, 64),
        {"food": True, "fuel": True, "medical": True, "staff_on_duty": 6},
    ),
    (
        "Осакаровка аудандық мәдениет үйі",
        "Осакаровка кенті, Осакаровка ауданы, Қарағанды облысы",
        50.5592,
        72.5669,
        80,
        (10, 22, 41, 57),
        {"food": True, "fuel": False, "medical": True, "staff_on_duty": 4},
    ),
]
PHONES = ("+7 71644 2-12-12", "+7 72149 4-15-15")
BUS_FRACTION = 0.45
BUS_LOCATION = "Астана – Қарағанды тас жолы, Аршалыдан оңтүстікке қарай, автобус"


@dataclass
class WinterResult:
    points: list[WarmingPoint] = field(default_factory=list)
    report: StrandedReport | None = None
    standbys: list[Standby] = field(default_factory=list)
    created: int = 0


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = a, b
    k = math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lat2 - lat1) * 111_195, (lon2 - lon1) * 111_195 * k)


def along(segment: Segment, fraction: float) -> tuple[float, float]:
    """(lat, lon) at ``fraction`` of the segment's length along its geometry."""
    coords = [(float(p[1]), float(p[0])) for p in segment.geometry["coordinates"]]
    pieces = [_metres(p, q) for p, q in itertools.pairwise(coords)]
    goal = sum(pieces) * fraction
    for (p, q), piece in zip(itertools.pairwise(coords), pieces, strict=True):
        if goal <= piece and piece > 0:
            t = goal / piece
            return p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
        goal -= piece
    return coords[-1]


def _actor(user: Any, model: type[Any], region_id: int, action: str) -> Any:
    """The person when their grants reach the region, else the system (the demo acts for
    them)."""
    if user is not None and user_scope(user, model, action).covers(region_id):
        return user
    return None


def _agency(region: Region) -> Agency:
    found = Agency.objects.filter(kind=AgencyKind.EMERGENCY, region=region).first()
    if found is None:
        found = Agency.objects.filter(kind=AgencyKind.EMERGENCY, region=None).first()
    if found is None:
        found, _ = Agency.objects.get_or_create(
            code=f"des-{region.slug}",
            defaults={"kind": AgencyKind.EMERGENCY, "region": region, "name_en": "DES"},
        )
    return found


def _unit(region: Region, call_sign: str, kind: str) -> Unit:
    agency = _agency(region)
    unit, _ = Unit.objects.get_or_create(
        agency=agency, call_sign=call_sign, defaults={"kind": kind, "region": region}
    )
    return unit


def load_winter(
    *,
    region: Region,
    segment: Segment,
    coordinator: Any,
    dispatcher: Any,
    at: dt.datetime,
    say: Callable[[str], None] = print,
) -> WinterResult:
    """Add the winter night to the demo (see the module); ``at`` is the evening's time."""
    result = WinterResult()
    for index, (name, address, lat, lon, capacity, steps, extra) in enumerate(POINTS):
        point = WarmingPoint.objects.filter(name=name).first()
        if point is None:
            region_id = region_id_at(lat, lon) or region.pk
            actor = _actor(coordinator, WarmingPoint, region_id, "add")
            point = services.create_point(
                acting_user=actor,
                name=name,
                address=address,
                region=Region.objects.get(pk=region_id),
                lat=lat,
                lon=lon,
                segment=segment,
                capacity=capacity,
                phone=PHONES[index],
                agency=_agency(region),
                **extra,
            )
            for occupancy in steps:
                services.set_occupancy(acting_user=actor, point=point, occupancy=occupancy)
            result.created += 1
        result.points.append(point)
    report = StrandedReport.objects.filter(location=BUS_LOCATION, segment=segment).first()
    if report is None:
        lat, lon = along(segment, BUS_FRACTION)
        region_id = region_id_at(lat, lon) or region.pk
        actor = _actor(dispatcher, StrandedReport, region_id, "add")
        report = services.report_stranded(
            acting_user=actor,
            location=BUS_LOCATION,
            lat=round(lat, 5),
            lon=round(lon, 5),
            people=38,
            children=21,
            medical_needs="Екі балада қызба; бір ересекте қант диабеті.",
            fuel_left=FuelLeft.LOW,
            vehicles=1,
            vehicle_kind=VehicleKind.BUS,
            reporter_phone="+7 701 555 01 38",
            segment=segment,
            reported_at=at,
        )
        from saqshy.winter.queries import nearest_points

        nearest = nearest_points(report.lat, report.lon, people=report.people, limit=1)
        if nearest:
            services.assign_point(acting_user=actor, report=report, point=nearest[0].point)
        result.created += 1
    result.report = report
    window = (at - dt.timedelta(hours=2), at + dt.timedelta(hours=22))
    for call_sign, kind, equipment, base, lat, lon, seg in (
        (
            "KAZAVIASPAS-AST-1",
            UnitKind.HELICOPTER,
            EquipmentType.HELICOPTER,
            "Астана әуежайы, «Қазавиақұтқару» базасы",
            51.0222,
            71.4669,
            None,
        ),
        (
            "PLOUGH-M36-1",
            UnitKind.SPECIAL,
            EquipmentType.SNOW_PLOUGH,
            "Аршалы жол пайдалану учаскесі",
            50.8470,
            72.1650,
            segment,
        ),
    ):
        unit = _unit(region, call_sign, kind)
        standby = Standby.objects.filter(unit=unit, equipment_type=equipment).first()
        if standby is None:
            standby = services.create_standby(
                acting_user=_actor(coordinator, Standby, region.pk, "add"),
                unit=unit,
                equipment_type=equipment,
                region=region,
                segment=seg,
                readiness=Readiness.IMMEDIATE if seg else Readiness.MIN30,
                base_name=base,
                lat=lat,
                lon=lon,
                starts_at=window[0],
                ends_at=window[1],
            )
            result.created += 1
        result.standbys.append(standby)
    say(
        f"Winter: {len(result.points)} warming points, a stranded bus with "
        f"{report.people} people ({report.children} children), "
        f"{len(result.standbys)} units on standby ({result.created} new)."
    )
    return result
