"""The morning report of 1 January: the New Year's Eve night played quickly, in-process.

``make demo``'s live simulator (``simulate_nye``) plays the night over the API in real time
(5×) with today's clock, so its records carry today's date. For the daily situation report of
1 January the demo needs the night of 31 December → 1 January itself, on the season's own
dates, at load time. :func:`play_night` plays it with the simulator's own logic, seeded: the
same arrival process (``RateModel``/``next_arrival`` thinning with the accident cards' winter
hours), the same type mix, the same places (``Simulator._place``: real accident locations,
the season's events, the city's facilities), the same call takers and time on scene. What the
live simulator gets from driving the road graph is shortened to the straight-line distance at
a night-time city speed (``NIGHT_SPEED_KMH``, an assumption), so no routing call is made.

Incidents are reported through ``incidents.services.report_incident`` (audited, de-duplicated,
named by the geocoder) by the dispatcher who would take the call, with the time of the call;
the rest of the night (units assigned, dispatch, arrival and close times) is written as the
history of that incident, since the services stamp the wall clock. Then the Astana coordinator
opens the report of 1 January (filled from those records), the agencies' narratives are
written and the coordinator submits it at 09:10; it waits for the head of the region
(``head_astana``) to approve it. Idempotent: a second run finds the report and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from saqshy.accounts.models import Agency, Region, User
from saqshy.algorithms.simulate import haversine_m, next_arrival, on_scene_seconds
from saqshy.demo.people import DISPATCHERS
from saqshy.demo.season import new_year
from saqshy.demo.simulator import (
    CALL_HANDLING_S,
    CALL_TAKER,
    DEFAULT_CALL_TAKER,
    PLACES,
    TURNOUT_S,
    Place,
    Simulator,
)
from saqshy.facilities.models import Facility
from saqshy.gatherings.models import Gathering
from saqshy.geocoding.queries import describe, reverse
from saqshy.incidents import services as incidents
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, Unit
from saqshy.reports import services as reports
from saqshy.reports.models import DailyReport

# Straight-line travel at this speed stands in for the road route (empty streets at night).
NIGHT_SPEED_KMH = 35.0
MIN_TRAVEL_S = 120.0


@dataclass
class NightResult:
    report: DailyReport | None = None
    incidents: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    skipped: bool = False


def _simulator(region: Region, seed: int, peak: float) -> Simulator:
    """The live simulator's object, its places read from the database instead of the API."""
    simulator = Simulator("", data_dir=Path(settings.DATA_DIR), seed=seed, peak_per_hour=peak)
    kinds = sorted({k for kinds, _share in PLACES.values() for k in kinds})
    for facility in Facility.objects.filter(region=region, kind__in=kinds).order_by("pk"):
        simulator.places.setdefault(facility.kind, []).append(
            Place(facility.lat, facility.lon, facility.name or "")
        )
    for event in (
        Gathering.objects.filter(region=region, lat__isnull=False)
        .exclude(status="cancelled")
        .order_by("pk")
    ):
        weight = max(1, event.expected_attendance // 1000)
        simulator.events.extend([Place(event.lat, event.lon, event.name)] * min(weight, 30))
    return simulator


class _Fleet:
    """The units of the region, each busy until some time; the nearest free one is sent."""

    def __init__(self, region: Region) -> None:
        self.units = [
            u
            for u in Unit.objects.filter(region=region).select_related("home_station")
            if (u.home_station or u).lat is not None
        ]
        self.busy: dict[int, dt.datetime] = {}

    @staticmethod
    def home(unit: Unit) -> tuple[float, float]:
        place = unit.home_station if unit.home_station is not None else unit
        return float(place.lat or 0), float(place.lon or 0)

    def send(self, kind: str, lat: float, lon: float, at: dt.datetime) -> tuple[Unit, float] | None:
        free = [u for u in self.units if u.kind == kind and self.busy.get(u.pk, at) <= at]
        if not free:
            return None
        unit = min(free, key=lambda u: haversine_m(*self.home(u), lat, lon))
        metres = haversine_m(*self.home(unit), lat, lon)
        return unit, max(MIN_TRAVEL_S, metres / (NIGHT_SPEED_KMH / 3.6))


def play_night(
    region_slug: str = "astana",
    *,
    eve: dt.date | None = None,
    seed: int = 2026,
    peak: float = 48.0,
    start_hour: int = 18,
    end_hour: int = 8,
    limit: int | None = None,
) -> NightResult:
    """Play the night of ``eve`` (31 December of the season) from ``start_hour`` to
    ``end_hour`` the next morning; ``limit`` stops after that many calls (tests)."""
    region = Region.objects.get(slug=region_slug)
    eve = eve or new_year(timezone.localdate()) - dt.timedelta(days=1)
    result = NightResult()
    simulator = _simulator(region, seed, peak)
    rng: random.Random = simulator.rng
    types = {t.code: t for t in IncidentType.objects.all()}
    takers = {code: User.objects.get(username=name) for code, name in DISPATCHERS.items()}
    fleet = _Fleet(region)
    named = Region.objects.filter(pk=region.pk).only("pk", "slug")
    night_start = timezone.make_aware(dt.datetime.combine(eve, dt.time(18)))
    t = ((start_hour - 18) % 24) * 3600.0
    end = ((end_hour - 18) % 24) * 3600.0
    while limit is None or result.incidents < limit:
        arrival = next_arrival(rng, simulator.model, t)
        if arrival is None or arrival[0] >= end:
            break
        t, code = arrival
        kind = types.get(code)
        if kind is None:
            continue
        place = simulator._place(code)
        address = place.address or _name(place, named)
        at = night_start + dt.timedelta(seconds=t)
        agency, source = CALL_TAKER.get(code, DEFAULT_CALL_TAKER)
        with transaction.atomic():
            incident = incidents.report_incident(
                acting_user=takers[agency],
                type=kind,
                lat=round(place.lat, 6),
                lon=round(place.lon, 6),
                source=source,
                address=address[:255],
                description="Вызов в новогоднюю ночь (демо).",
                reporter="Заявитель (демо)",
                reported_at=at,
            )
            _answer(incident, kind, fleet, rng, at)
        result.incidents += 1
        result.by_type[code] += 1
    return result


def _name(place: Place, regions: Any) -> str:
    """What the server would call the point (its reverse geocoder, in Russian as the
    simulator's operators type), asked of the region's own index only."""
    with translation.override("ru"):
        hit = reverse(place.lat, place.lon, regions)
        return describe(hit) if hit is not None else ""


def _answer(
    incident: Incident, kind: IncidentType, fleet: _Fleet, rng: random.Random, at: dt.datetime
) -> None:
    """The incident's night as history: units sent, on scene, closed (a linked duplicate is
    merged into its original instead)."""
    if incident.duplicate_of_id is not None:
        Incident.objects.filter(pk=incident.pk).update(status="cancelled", closed_at=at)
        return
    dispatched = at + dt.timedelta(seconds=rng.uniform(*CALL_HANDLING_S))
    travel: list[float] = []
    sent: list[Unit] = []
    for unit_kind, count in sorted((kind.needs or {}).items()):
        for _n in range(int(count)):
            found = fleet.send(unit_kind, incident.lat, incident.lon, dispatched)
            if found is not None:
                sent.append(found[0])
                travel.append(found[1])
                fleet.busy[found[0].pk] = dispatched + dt.timedelta(hours=1)
    if not sent:
        Incident.objects.filter(pk=incident.pk).update(status="closed", closed_at=dispatched)
        return
    on_scene = dispatched + dt.timedelta(seconds=TURNOUT_S + min(travel))
    closed = on_scene + dt.timedelta(seconds=on_scene_seconds(rng, kind.code))
    for unit, seconds in zip(sent, travel, strict=True):
        back = closed + dt.timedelta(seconds=seconds)
        fleet.busy[unit.pk] = back
        IncidentUnit.objects.create(
            incident=incident, unit=unit, assigned_at=dispatched, released_at=closed
        )
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", dispatched_at=dispatched, on_scene_at=on_scene, closed_at=closed
    )


NARRATIVES = {
    "police": "Полиция: охрана общественного порядка на {events} мероприятиях; {crime} "
    "сообщений о правонарушениях, {traffic} ДТП. Нарушений графика дежурств нет.",
    "des": "ДЧС: {fires} пожаров и {alarms} срабатываний пожарной сигнализации, "
    "все отработаны. Пожарные посты на массовых мероприятиях выставлены.",
    "health": "Здравоохранение: {medical} вызовов скорой помощи, все обслужены.",
}


def morning_report(region_slug: str = "astana", *, day: dt.date | None = None) -> DailyReport:
    """The coordinator opens the report of ``day`` (1 January), the agencies write their
    narratives, the coordinator submits it at 09:10 local time."""
    region = Region.objects.get(slug=region_slug)
    day = day or new_year(timezone.localdate())
    coordinator = User.objects.get(username=f"coordinator_{region_slug}")
    opened = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 40)))
    report = reports.open_report(acting_user=coordinator, region=region, day=day, now=opened)
    if report.status != "draft":
        return report
    sections = report.sections
    counts = Counter(
        Incident.objects.filter(
            region=region,
            reported_at__gte=report.window_start,
            reported_at__lt=report.window_end,
            merged_at__isnull=True,
        ).values_list("type__code", flat=True)
    )
    events = Gathering.objects.filter(
        region=region, starts_at__lt=report.window_end, ends_at__gt=report.window_start
    ).count()
    values = {
        "events": events,
        "crime": counts["crime"],
        "traffic": counts["traffic_accident"],
        "fires": counts["fire"],
        "alarms": counts["fire_alarm"],
        "medical": counts["medical"],
        "total": sections.get("incidents_total", 0),
    }
    for prefix, text in NARRATIVES.items():
        agency = Agency.objects.filter(code=f"{prefix}-{region_slug}").first()
        if agency is not None:
            reports.save_narrative(
                acting_user=coordinator, report=report, agency=agency, text=text.format(**values)
            )
    submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 10)))
    return reports.submit(acting_user=coordinator, report=report, now=submitted)


def load_morning_report(region_slug: str = "astana", *, seed: int = 2026) -> NightResult:
    """Play the night and make the morning report, once (a second run finds the report)."""
    day = new_year(timezone.localdate())
    existing = DailyReport.objects.filter(region__slug=region_slug, day=day).first()
    if existing is not None:
        return NightResult(report=existing, skipped=True)
    result = play_night(region_slug, eve=day - dt.timedelta(days=1), seed=seed)
    result.report = morning_report(region_slug, day=day)
    return result
