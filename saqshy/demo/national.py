"""National demo volumes: the country's season at full size, for budgets and load tests.

``generate(scale, seed)`` fills all 20 regions in proportion to their population
(``data/regions_population.csv``) with clearly fake records placed inside each district's real
boundary: crowded venues, the coming season's mass events, home fire-alarm sensors, response
units, personnel and three past seasons of incidents, plus the audit trail of the last season
(each incident's creation and closing, at the times they happened) and of the generation
itself. Everything is written with ``bulk_create`` in batches in one transaction (all or
nothing); the audit entries are chained by ``audit.append_history`` so ``verify_audit`` passes.

Every generated record is marked: names start with "Demo", device serials with ``NAT-``,
personnel numbers with ``NAT-``, unit call signs with ``N-``. A second run refuses.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from saqshy.accounts import services as accounts
from saqshy.accounts.models import Agency, District, Region
from saqshy.algorithms.national import Area, allocate, scaled
from saqshy.algorithms.simulate import NYE_SHAPE, ON_SCENE_MINUTES, TYPE_SHAPES, TYPE_SHARES
from saqshy.core import audit
from saqshy.core.context import current_request_id
from saqshy.demo import loader
from saqshy.duty.models import Person
from saqshy.facilities.choices import CapacitySource, FacilityKind
from saqshy.facilities.models import Facility
from saqshy.gatherings.choices import GatheringKind, GatheringStatus
from saqshy.gatherings.models import Gathering
from saqshy.incidents.choices import IncidentSource, IncidentStatus, UnitKind, UnitStatus
from saqshy.incidents.models import Incident, IncidentType, Unit
from saqshy.ingest.choices import DeviceKind, DeviceStatus
from saqshy.ingest.models import Device

TARGETS = {
    "venues": 7000,
    "events": 1000,
    "sensors": 36000,
    "units": 5000,
    "personnel": 20000,
    "incidents": 200000,
}
"""Full-scale counts: the brief's figures (7,000+ crowded facilities, 1,000+ events, 36,000
sensors) and a national force of 5,000 units, 20,000 people and three seasons of calls."""

MARK = "NAT-"
BATCH = 2000
SEASONS_BACK = 3

# Crowded venues by kind (share). Assumption: malls, markets and sports venues dominate.
VENUE_KINDS = {
    FacilityKind.MALL: 0.24,
    FacilityKind.MARKET: 0.14,
    FacilityKind.SPORTS_CENTRE: 0.16,
    FacilityKind.THEATRE_CINEMA: 0.12,
    FacilityKind.RELIGIOUS_SITE: 0.14,
    FacilityKind.STATION: 0.10,
    FacilityKind.STADIUM: 0.04,
    FacilityKind.OTHER: 0.06,
}
VENUE_CAPACITY = {
    FacilityKind.MALL: (800, 6000),
    FacilityKind.MARKET: (300, 3000),
    FacilityKind.SPORTS_CENTRE: (150, 2500),
    FacilityKind.THEATRE_CINEMA: (150, 1500),
    FacilityKind.RELIGIOUS_SITE: (100, 3000),
    FacilityKind.STATION: (300, 4000),
    FacilityKind.STADIUM: (3000, 30000),
    FacilityKind.OTHER: (100, 1000),
}
EVENT_KINDS = {
    GatheringKind.NEW_YEAR_TREE: 0.25,
    GatheringKind.CONCERT: 0.2,
    GatheringKind.FAIR: 0.15,
    GatheringKind.SPORTS: 0.1,
    GatheringKind.FESTIVAL: 0.1,
    GatheringKind.FIREWORKS: 0.08,
    GatheringKind.RELIGIOUS: 0.04,
    GatheringKind.OTHER: 0.08,
}
EVENT_STATUSES = {
    GatheringStatus.APPROVED: 0.7,
    GatheringStatus.SUBMITTED: 0.2,
    GatheringStatus.DRAFT: 0.1,
}
# (agency key, unit kind, share of the fleet, call-sign prefix)
FLEET = [
    ("police", UnitKind.PATROL_CAR, 0.34, "P"),
    ("police", UnitKind.FOOT_PATROL, 0.12, "F"),
    ("police", UnitKind.TRAFFIC_POLICE, 0.10, "T"),
    ("des", UnitKind.FIRE_ENGINE, 0.14, "E"),
    ("des", UnitKind.LADDER, 0.03, "L"),
    ("des", UnitKind.RESCUE, 0.04, "R"),
    ("des", UnitKind.SPECIAL, 0.03, "S"),
    ("health", UnitKind.AMBULANCE, 0.20, "A"),
]
STAFF = {"police": 0.55, "des": 0.25, "health": 0.20}
POSITIONS = {
    "police": ("patrol officer", "sergeant", "lieutenant", "traffic officer"),
    "des": ("firefighter", "rescuer", "driver", "crew commander"),
    "health": ("paramedic", "doctor", "driver", "nurse"),
}
SKILLS = {
    "police": (["traffic"], ["escort"], ["driver"], []),
    "des": (["driver"], ["rescue"], []),
    "health": (["driver"], ["first_aid"], []),
}
TYPE_AGENCY = {
    "fire": "des",
    "fire_alarm": "des",
    "utility_outage": "des",
    "stranded": "des",
    "suspicious_object": "police",
    "medical": "health",
}
TYPE_SOURCE = {
    "fire": IncidentSource.CALL_101,
    "fire_alarm": IncidentSource.SENSOR,
    "medical": IncidentSource.CALL_103,
    "crime": IncidentSource.CALL_102,
    "crowd_density": IncidentSource.CAMERA,
}
FIRST_NAMES = (
    "Aibek", "Arman", "Askar", "Daniyar", "Yerlan", "Nurlan", "Marat", "Timur", "Serik",
    "Aigerim", "Aizhan", "Dana", "Madina", "Gulnar", "Saule", "Zhanar", "Asel", "Dinara",
)  # fmt: skip
LAST_NAMES = (
    "Abenov", "Bekov", "Iskakov", "Omarov", "Sarsenov", "Tulegenov", "Zhunusov", "Nurlanov",
    "Kassymov", "Akhmetov", "Seitkali", "Mukanov", "Ospanov", "Ermekov", "Baimukhanov",
)  # fmt: skip


class AlreadyGenerated(RuntimeError):
    pass


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    regions: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass
class RegionPlan:
    region: Region
    population: int
    areas: list[Area]
    district_ids: list[int | None]
    agencies: dict[str, Agency] = field(default_factory=dict)

    def points(self, rng: random.Random, n: int) -> list[tuple[float, float, int | None]]:
        """``n`` points spread over the region's districts (each district equally likely, so
        the small urban districts are dense), each inside its district's boundary."""
        picks = [rng.randrange(len(self.areas)) for _ in range(n)]
        counts = [picks.count(i) for i in range(len(self.areas))] if n else []
        found: list[tuple[float, float, int | None]] = []
        for index, count in enumerate(counts):
            for lat, lon in self.areas[index].points(rng, count):
                found.append((lat, lon, self.district_ids[index]))
        rng.shuffle(found)
        return found


def population_table() -> dict[str, int]:
    """Population by ISO 3166-2 code, from ``data/regions_population.csv``."""
    path = loader.bundle_path("regions_population.csv")
    with path.open(encoding="utf-8") as handle:
        return {row["iso_code"]: int(row["population"]) for row in csv.DictReader(handle)}


def already_generated() -> int:
    return int(Device.objects.filter(serial__startswith=MARK).count())


def _season(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The season starting on 15 December of ``year``: [15.12 00:00, 16.01 00:00) local."""
    zone = timezone.get_default_timezone()
    return (
        dt.datetime(year, 12, 15, tzinfo=zone),
        dt.datetime(year + 1, 1, 16, tzinfo=zone),
    )


def coming_season(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The season under way, or the next one."""
    return _season(today.year - 1 if today <= dt.date(today.year, 1, 15) else today.year)


def past_seasons(
    today: dt.date, count: int = SEASONS_BACK
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The ``count`` seasons that ended before ``today``, oldest first."""
    last = today.year - 1 if today > dt.date(today.year, 1, 15) else today.year - 2
    return [_season(year) for year in range(last - count + 1, last + 1)]


def _pick(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def _batched(rows: list[Any], model: type[models.Model]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH):
        created.extend(model._default_manager.bulk_create(rows[start : start + BATCH]))
    return created


class Generator:
    def __init__(self, scale: float, seed: int, say: Callable[[str], None]) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.say = say
        self.result = Result()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.plans: list[RegionPlan] = []
        self.venues: dict[int, list[Facility]] = {}
        self.history: list[audit.HistoryEntry] = []

    def step(self, name: str, run: Callable[[], int]) -> None:
        started = time.perf_counter()
        count = run()
        elapsed = time.perf_counter() - started
        self.result.counts[name] = count
        self.result.seconds[name] = elapsed
        self.say(f"{name}: {count} in {elapsed:.1f} s")

    def share(self, target: str) -> dict[int, int]:
        total = scaled(TARGETS[target], self.scale)
        weights = {str(p.region.pk): float(p.population) for p in self.plans}
        return {int(k): v for k, v in allocate(total, weights).items()}

    # --- Steps ---

    def regions(self) -> int:
        if Region.objects.count() < 20:
            loader.load_regions()
            loader.load_districts()
        population = population_table()
        districts: dict[int, list[District]] = {}
        for district in District.objects.with_outlines().exclude(boundary=None).order_by("pk"):
            districts.setdefault(district.region_id, []).append(district)
        for region in Region.objects.with_outlines().order_by("iso_code"):
            if region.iso_code not in population:
                continue
            if not region.boundary:
                continue
            outline = Area(region.boundary).geometry
            areas: list[Area] = []
            ids: list[int | None] = []
            for district in districts.get(region.pk, []):
                # Region and district outlines are simplified apart: keep to both.
                inside = Area(district.boundary).geometry.intersection(outline)
                if inside.area > 0:
                    areas.append(Area(inside))
                    ids.append(district.pk)
            if not areas:
                areas, ids = [Area(outline)], [None]
            self.plans.append(RegionPlan(region, population[region.iso_code], areas, ids))
        self.result.regions = len(self.plans)
        return len(self.plans)

    def agencies(self) -> int:
        kinds = {"police": "police", "des": "emergency", "health": "health"}
        names = {
            "police": ("Police Department of {}", "Департамент полиции: {}", "{} полиция"),
            "des": ("Emergency Department of {}", "Департамент по ЧС: {}", "{} ТЖД"),
            "health": ("Health Department of {}", "Управление здравоохранения: {}", "{} ДСБ"),
        }
        for plan in self.plans:
            region = plan.region
            for key, kind in kinds.items():
                existing = Agency.objects.filter(code=f"{key}-{region.slug}").first()
                en, ru, kk = names[key]
                plan.agencies[key] = existing or accounts.upsert_agency(
                    acting_user=None,
                    code=f"{key}-{region.slug}",
                    kind=kind,
                    region=region,
                    name_en=en.format(region.name_en),
                    name_ru=ru.format(region.name_ru),
                    name_kk=kk.format(region.name_kk),
                )
        return sum(len(p.agencies) for p in self.plans)

    def facilities(self) -> int:
        rows = []
        for plan in self.plans:
            for n, (lat, lon, district_id) in enumerate(
                plan.points(self.rng, self.share("venues")[plan.region.pk]), start=1
            ):
                kind = _pick(self.rng, VENUE_KINDS)
                low, high = VENUE_CAPACITY[kind]
                label = FacilityKind.label(kind)
                rows.append(
                    Facility(
                        kind=kind,
                        name=f"Demo {label} {plan.region.slug}-{n}",
                        name_en=f"Demo {label} {plan.region.slug}-{n}",
                        lat=lat,
                        lon=lon,
                        region=plan.region,
                        district_id=district_id,
                        capacity=self.rng.randint(low, high),
                        capacity_source=CapacitySource.ESTIMATED,
                        has_fire_alarm=self.rng.random() < 0.9,
                        has_sprinklers=self.rng.random() < 0.6,
                        exits=self.rng.randint(2, 8),
                        storeys=self.rng.randint(1, 5),
                    )
                )
        created = _batched(rows, Facility)
        for facility in created:
            self.venues.setdefault(facility.region_id, []).append(facility)
        self._created(created)
        return len(created)

    def gatherings(self) -> int:
        start, end = coming_season(self.today)
        days = (end - start).days
        day_weights = [
            3.0 if (start + dt.timedelta(d)).day in (30, 31) else 1.0 for d in range(days)
        ]
        rows = []
        for plan in self.plans:
            region, venues = plan.region, self.venues.get(plan.region.pk, [])
            count = self.share("events")[region.pk]
            outdoor = plan.points(self.rng, count)
            for n in range(count):
                kind = _pick(self.rng, EVENT_KINDS)
                venue = self.rng.choice(venues) if venues and self.rng.random() < 0.6 else None
                lat, lon = (venue.lat, venue.lon) if venue else outdoor[n][:2]
                day = self.rng.choices(range(days), weights=day_weights, k=1)[0]
                hour = 23 if kind == GatheringKind.FIREWORKS else self.rng.randint(10, 20)
                starts = start + dt.timedelta(days=day, hours=hour)
                attendance = (
                    min(venue.capacity or 500, self.rng.randint(100, 5000))
                    if venue
                    else self.rng.randint(300, 20000)
                )
                children = self.rng.random() < 0.3
                rows.append(
                    Gathering(
                        name=f"Demo {GatheringKind.label(kind)} {region.slug}-{n + 1}",
                        kind=kind,
                        venue=venue,
                        lat=lat,
                        lon=lon,
                        region=region,
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=self.rng.randint(2, 6)),
                        expected_attendance=attendance,
                        children_involved=children,
                        children_count=self.rng.randint(20, 300) if children else 0,
                        organiser=f"Demo organiser {region.slug}-{n % 50 + 1}",
                        organiser_ref=f"{MARK}{region.iso_code}-{n + 1}",
                        fire_standby_planned=self.rng.random() < 0.8,
                        medical_presence_planned=self.rng.random() < 0.8,
                        access_route_clear=self.rng.random() < 0.85,
                        status=_pick(self.rng, EVENT_STATUSES),
                    )
                )
        created = _batched(rows, Gathering)
        self._created(created)
        return len(created)

    def sensors(self) -> int:
        rows = []
        for plan in self.plans:
            for n, (lat, lon, district_id) in enumerate(
                plan.points(self.rng, self.share("sensors")[plan.region.pk]), start=1
            ):
                roll = self.rng.random()
                if roll < 0.94:
                    status = DeviceStatus.ONLINE
                    heard = self.now - dt.timedelta(minutes=self.rng.uniform(0, 60))
                elif roll < 0.98:
                    status = DeviceStatus.OFFLINE
                    heard = self.now - dt.timedelta(hours=self.rng.uniform(3, 240))
                else:
                    status, heard = DeviceStatus.NEW, None
                rows.append(
                    Device(
                        serial=f"{MARK}{plan.region.iso_code}-{n:06d}",
                        kind=DeviceKind.FIRE_ALARM,
                        region=plan.region,
                        district_id=district_id,
                        model="Demo smoke alarm",
                        firmware="1.0",
                        lat=lat,
                        lon=lon,
                        status=status,
                        last_heartbeat=heard,
                        last_message_at=heard,
                        battery_low=self.rng.random() < 0.03,
                    )
                )
        created = _batched(rows, Device)
        self._created(created)
        return len(created)

    def units(self) -> int:
        shares = {f"{key}:{kind}:{prefix}": share for key, kind, share, prefix in FLEET}
        rows = []
        for plan in self.plans:
            fleet = allocate(self.share("units")[plan.region.pk], shares, floor=0)
            points = iter(plan.points(self.rng, sum(fleet.values())))
            for line, count in sorted(fleet.items()):
                key, kind, prefix = line.split(":")
                for n in range(1, count + 1):
                    lat, lon, _district = next(points)
                    busy = self.rng.random() < 0.1
                    rows.append(
                        Unit(
                            call_sign=f"N-{prefix}{n:04d}",
                            kind=kind,
                            agency=plan.agencies[key],
                            region=plan.region,
                            crew="demo crew",
                            status=UnitStatus.OUT_OF_SERVICE if busy else UnitStatus.AVAILABLE,
                            status_reason="demo: maintenance" if busy else "",
                            lat=lat,
                            lon=lon,
                            position_at=self.now - dt.timedelta(seconds=self.rng.randint(0, 600)),
                        )
                    )
        created = _batched(rows, Unit)
        self._created(created)
        return len(created)

    def personnel(self) -> int:
        rows = []
        for plan in self.plans:
            staff = allocate(self.share("personnel")[plan.region.pk], STAFF, floor=0)
            for key, count in sorted(staff.items()):
                for n in range(1, count + 1):
                    rows.append(
                        Person(
                            agency=plan.agencies[key],
                            region=plan.region,
                            district_id=self.rng.choice(plan.district_ids),
                            personnel_number=f"{MARK}{n:06d}",
                            first_name=self.rng.choice(FIRST_NAMES),
                            last_name=self.rng.choice(LAST_NAMES),
                            position=self.rng.choice(POSITIONS[key]),
                            skills=self.rng.choice(SKILLS[key]),
                        )
                    )
        created = _batched(rows, Person)
        self._created(created)
        return len(created)

    def incidents(self) -> int:
        types = {t.code: t for t in IncidentType.objects.all()}
        shares = {code: share for code, share in TYPE_SHARES.items() if code in types}
        seasons = past_seasons(self.today)
        total = 0
        for index, (start, end) in enumerate(seasons):
            last_season = index == len(seasons) - 1
            for plan in self.plans:
                count = self.share("incidents")[plan.region.pk]
                count = count // len(seasons) + (1 if index < count % len(seasons) else 0)
                rows = list(self._incidents(plan, start, end, count, types, shares))
                created = _batched(rows, Incident)
                total += len(created)
                if last_season:
                    self.history.extend(_incident_history(created))
        return total

    def _incidents(
        self,
        plan: RegionPlan,
        start: dt.datetime,
        end: dt.datetime,
        count: int,
        types: dict[str, IncidentType],
        shares: dict[str, float],
    ) -> Iterator[Incident]:
        days = (end - start).days
        day_weights = []
        for d in range(days):
            date = (start + dt.timedelta(days=d)).date()
            day_weights.append(
                2.5 if (date.month, date.day) == (1, 1) else 2.0 if date.day == 31 else 1.0
            )
        codes = sorted(shares)
        code_cum = list(itertools.accumulate(shares[c] for c in codes))
        day_cum = list(itertools.accumulate(day_weights))
        hour_cum = {
            code: list(
                itertools.accumulate(
                    a * b for a, b in zip(NYE_SHAPE, TYPE_SHAPES.get(code, NYE_SHAPE), strict=True)
                )
            )
            for code in codes
        }
        hours = range(24)
        for lat, lon, _district in plan.points(self.rng, count):
            code = self.rng.choices(codes, cum_weights=code_cum)[0]
            day = self.rng.choices(range(days), cum_weights=day_cum)[0]
            hour = self.rng.choices(hours, cum_weights=hour_cum[code])[0]
            reported = (start + dt.timedelta(days=day)).replace(hour=hour) + dt.timedelta(
                seconds=self.rng.randint(0, 3599)
            )
            cancelled = self.rng.random() < 0.06
            dispatched = reported + dt.timedelta(seconds=self.rng.randint(40, 300))
            on_scene = dispatched + dt.timedelta(seconds=self.rng.randint(240, 1500))
            median, spread = ON_SCENE_MINUTES.get(code, (20.0, 1.5))
            minutes = median * math.exp(self.rng.gauss(0, math.log(spread)))
            closed = on_scene + dt.timedelta(minutes=minutes)
            kind = types[code]
            yield Incident(
                type=kind,
                priority=kind.default_priority,
                source=TYPE_SOURCE.get(code, IncidentSource.CALL_112),
                lat=lat,
                lon=lon,
                region=plan.region,
                status=IncidentStatus.CANCELLED if cancelled else IncidentStatus.CLOSED,
                reported_at=reported,
                dispatched_at=None if cancelled else dispatched,
                on_scene_at=None if cancelled else on_scene,
                closed_at=dispatched if cancelled else closed,
                agency=plan.agencies[TYPE_AGENCY.get(code, "police")],
            )

    def audit_trail(self) -> int:
        """The last season's history in time order, then the generation's own entries."""
        self.history.sort(key=lambda e: (e.at, e.object_id))
        return audit.append_history(self.history, request_id=current_request_id())

    def _created(self, instances: list[Any]) -> None:
        if not instances:
            return
        model = type(instances[0])
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        path = getattr(model, "scope_agency_field", None)
        for instance in instances:
            self.history.append(
                audit.HistoryEntry(
                    at=self.now,
                    action="create",
                    object_type=label,
                    object_id=str(instance.pk),
                    object_repr=str(instance)[:200],
                    region_id=instance.region_id,
                    agency_id=getattr(instance, "agency_id", None) if path == "agency" else None,
                    actor_repr="generate_national",
                    after=audit.snapshot(instance),
                )
            )


def _incident_history(incidents: list[Incident]) -> Iterator[audit.HistoryEntry]:
    """Each incident's recording and its closing (or cancelling), when they happened."""
    for incident in incidents:
        common: dict[str, Any] = {
            "object_type": "incidents.incident",
            "object_id": str(incident.pk),
            "object_repr": f"#{incident.pk}",
            "region_id": incident.region_id,
            "actor_repr": "generate_national",
        }
        yield audit.HistoryEntry(
            at=incident.reported_at,
            action="create",
            after={
                "type_id": incident.type_id,
                "status": IncidentStatus.NEW,
                "priority": incident.priority,
                "lat": incident.lat,
                "lon": incident.lon,
            },
            **common,
        )
        assert incident.closed_at is not None
        yield audit.HistoryEntry(
            at=incident.closed_at,
            action="update",
            before={"status": IncidentStatus.ON_SCENE if incident.on_scene_at else "new"},
            after={"status": incident.status},
            **common,
        )


def generate(
    scale: float = 1.0, seed: int = 2026, say: Callable[[str], None] = lambda _line: None
) -> Result:
    """Write the national volumes at ``scale`` (1.0 = full size); refuses a second run."""
    if scale <= 0 or scale > 10:
        raise ValueError("scale must be above 0 and at most 10")
    found = already_generated()
    if found:
        raise AlreadyGenerated(
            f"national demo data is already here ({found} sensors with serials {MARK}…); "
            "generate into a fresh database"
        )
    generator = Generator(scale, seed, say)
    with transaction.atomic():
        generator.step("regions", generator.regions)
        if not generator.plans:
            raise ValueError("no region with a population and a boundary: run load_regions")
        generator.step("agencies", generator.agencies)
        generator.step("venues", generator.facilities)
        generator.step("events", generator.gatherings)
        generator.step("sensors", generator.sensors)
        generator.step("units", generator.units)
        generator.step("personnel", generator.personnel)
        generator.step("incidents", generator.incidents)
        generator.step("audit entries", generator.audit_trail)
    return generator.result
