"""Patrol plans: the region's patrol crews sent to the forecast's hotspot cells, slot by slot.

``create_patrol_plan`` reads the region's newest hotspot forecast (``forecasts.queries``),
scores its cells for each time slot of the window (a cell busy at night ranks higher at
night), takes the region's patrol units (police patrol cars and foot patrols that are not
out of service) — or, with none, pairs of police officers with the ``patrol`` skill on shift
in the window — and calls the pure ``plan_patrols``: visits in proportion to risk, stops of
10-15 minutes, an order drawn from a fresh secret seed stored with the plan. Cars and foot
patrols are planned separately at their own speeds: foot patrols at the region's walking-speed
norm (``patrol_foot_speed_kmh``), so no foot leg is faster than a person walks. Each stop
stores the address of its point (``duty.addresses``, empty without a geocoder).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Region
from saqshy.accounts.queries import norm
from saqshy.algorithms import optimise as opt
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.duty import names
from saqshy.duty.addresses import describe_points
from saqshy.duty.models import PatrolPlan, PatrolStop, Shift
from saqshy.forecasts.queries import latest_forecast, top_cells
from saqshy.incidents.choices import UnitKind, UnitStatus
from saqshy.incidents.models import Unit

MAX_WINDOW = dt.timedelta(hours=24)
DEFAULT_CELLS = 30
SPEED_KMH = {UnitKind.PATROL_CAR: 30.0, UnitKind.FOOT_PATROL: 4.5}  # foot: the norm's default
FOOT_SPEED_NORM = "patrol_foot_speed_kmh"
PATROL_SKILL = "patrol"


@dataclass(frozen=True)
class Crew:
    key: str
    label: str
    kind: str
    unit: Unit | None = None


def patrol_crews(region: Region, starts_at: dt.datetime, ends_at: dt.datetime) -> list[Crew]:
    """The region's patrol units; without any, pairs of patrol officers on shift."""
    units = list(
        Unit.objects.filter(region=region, kind__in=list(SPEED_KMH))
        .exclude(status=UnitStatus.OUT_OF_SERVICE)
        .order_by("call_sign", "pk")
    )
    if units:
        return [Crew(f"unit-{u.pk}", u.call_sign, u.kind, u) for u in units]
    people = []
    seen: set[int] = set()
    for shift in (
        Shift.objects.filter(
            post__region=region,
            person__agency__kind=AgencyKind.POLICE,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .select_related("person")
        .order_by("person__last_name", "person_id")
    ):
        person = shift.person
        if person.pk not in seen and PATROL_SKILL in (person.skills or []):
            seen.add(person.pk)
            people.append(person)
    crews = []
    for n in range(0, len(people) - 1, 2):
        pair = people[n : n + 2]
        label = " · ".join(p.last_name for p in pair)
        crews.append(Crew(f"people-{pair[0].pk}-{pair[1].pk}", label, UnitKind.PATROL_CAR))
    return crews


def _slots(
    starts_at: dt.datetime, ends_at: dt.datetime, minutes: int
) -> list[tuple[int, dt.datetime, dt.datetime]]:
    slots = []
    offset = 0
    while starts_at + dt.timedelta(minutes=offset) < ends_at:
        start = starts_at + dt.timedelta(minutes=offset)
        end = min(ends_at, start + dt.timedelta(minutes=minutes))
        slots.append((offset, start, end))
        offset += minutes
    return slots


def create_patrol_plan(
    *,
    acting_user: Any,
    region: Region,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    slot_minutes: int = 60,
    cells: int = DEFAULT_CELLS,
    seed: int | None = None,
    name: str = "",
) -> PatrolPlan:
    """Plan the region's patrols over a window (at most a day) and store the stops; audited."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must be after the start.")]})
    if ends_at - starts_at > MAX_WINDOW:
        raise ValidationError({"ends_at": [_("Plan patrols for at most 24 hours at a time.")]})
    if not 15 <= slot_minutes <= 240:
        raise ValidationError({"slot_minutes": [_("Slots last 15 to 240 minutes.")]})
    core_services.require_scope(acting_user, PatrolPlan(region=region), "add")
    forecast = latest_forecast(region)
    if forecast is None:
        raise ValidationError({"region": [_("The region has no hotspot forecast yet.")]})
    crews = patrol_crews(region, starts_at, ends_at)
    if not crews:
        raise ValidationError({"region": [_("The region has no patrol units or crews on shift.")]})
    seed = secrets.randbelow(2**62) if seed is None else seed
    windows = _slots(starts_at, ends_at, slot_minutes)
    cell_at: dict[str, opt.Cell] = {}
    risks: list[dict[str, float]] = []
    for _offset, start, end in windows:
        risk: dict[str, float] = {}
        for top in top_cells(region, start=start, end=end, limit=cells, forecast=forecast):
            key = str(top.cell)
            cell_at[key] = opt.Cell(key, top.lat, top.lon)
            risk[key] = top.score
        risks.append(risk)
    by_key = {crew.key: crew for crew in crews}
    addresses = describe_points((cell.lat, cell.lon) for cell in cell_at.values())
    speeds = dict(SPEED_KMH)
    speeds[UnitKind.FOOT_PATROL] = norm(FOOT_SPEED_NORM, region.pk)
    stops: list[PatrolStop] = []
    for number, kind in enumerate(sorted({crew.kind for crew in crews})):
        units = tuple(crew.key for crew in crews if crew.kind == kind)
        slots = [
            opt.PatrolSlot(offset, int((end - start).total_seconds() // 60), units, risks[i])
            for i, (offset, start, end) in enumerate(windows)
        ]
        plan = opt.plan_patrols(
            list(cell_at.values()),
            slots,
            seed=seed + number,
            rules=opt.PatrolRules(speed_kmh=speeds.get(kind, 30.0)),
        )
        order: dict[str, int] = {}
        for slot_number, slot_plan in enumerate(plan.slots):
            for visit in sorted(slot_plan.visits, key=lambda v: (v.unit, v.arrive_minute)):
                crew = by_key[visit.unit]
                order[visit.unit] = order.get(visit.unit, 0) + 1
                cell = cell_at[visit.cell]
                stops.append(
                    PatrolStop(
                        crew=crew.label,
                        unit=crew.unit,
                        cell=visit.cell,
                        lat=cell.lat,
                        lon=cell.lon,
                        address=addresses.get((cell.lat, cell.lon), ""),
                        risk=risks[slot_number].get(visit.cell, 0.0),
                        arrive_at=starts_at + dt.timedelta(minutes=visit.arrive_minute),
                        leave_at=starts_at + dt.timedelta(minutes=visit.depart_minute),
                        order=order[visit.unit],
                    )
                )
    record = PatrolPlan(
        region=region,
        name=name or names.PATROLS_FROM.text(when=starts_at.isoformat()),
        name_code="" if name else names.PATROLS_FROM.code,
        name_params={} if name else {"when": starts_at.isoformat()},
        starts_at=starts_at,
        ends_at=ends_at,
        slot_minutes=slot_minutes,
        seed=seed,
        forecast=forecast,
        cells=len(cell_at),
        crews=len({stop.crew for stop in stops}),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    with transaction.atomic():
        record = core_services.create(
            acting_user=acting_user,
            instance=record,
            payload=lambda p: {"name": p.name, "stops": len(stops), "crews": p.crews},
        )
        for stop in stops:
            stop.plan = record
        created = PatrolStop.objects.bulk_create(stops, batch_size=500)
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change("create", stop, region.pk, after=audit.snapshot(stop))
                for stop in created
            ],
        )
    return record


def crew_stops(plan: PatrolPlan) -> dict[str, list[PatrolStop]]:
    """The plan's stops by crew, in order."""
    crews: dict[str, list[PatrolStop]] = {}
    for stop in plan.stops.order_by("crew", "arrive_at", "order"):
        crews.setdefault(stop.crew, []).append(stop)
    return crews
