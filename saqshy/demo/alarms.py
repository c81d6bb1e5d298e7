"""The demo's home fire alarms: the brief's 36,000 sensors in Astana's residential buildings.

Homes are the basemap's buildings that ``saqshy.algorithms.homes.likely_home`` takes for
homes (tagged residential, or a plain addressed building of house size that holds no
facility), inside one of the city's districts. Sensors are shared among them in proportion
to floor area (storeys × footprint) by largest remainder, so a sixteen-storey block gets
many and a cottage one or none. Each sensor is one household (plainly fake demo data: category
mix, "+7 700 000 …" numbers, a consent date), one ``ingest.Device`` and one ``Installation``,
written with ``bulk_create`` (36,000 rows through the audited services would take minutes
and audit nothing a person did). One installation campaign per city, with a target per
district. Everything follows from ``seed``; loading twice creates nothing the second time.

A small share of sensors (``SILENT_SHARE``, chosen by ``is_silent``) never sends a heartbeat
in the demo: they start with a heartbeat older than the offline norm, so the first health
sweep fills the offline list and the visit tasks, and ``alarm_streams`` leaves them silent.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from saqshy.accounts.models import Region
from saqshy.accounts.queries import district_locator, norm
from saqshy.alarms.models import (
    CampaignTarget,
    Household,
    HouseholdCategory,
    Installation,
    InstallationCampaign,
)
from saqshy.algorithms.homes import BuildingWeight, allocate, likely_home, weight_of
from saqshy.demo.loader import bundle_path
from saqshy.ingest.choices import DeviceKind, DeviceStatus
from saqshy.ingest.models import Device

TOTAL_SENSORS = 36_000
"""The brief: 36,000 fire-alarm sensors in the homes of socially vulnerable people."""
SEED = 11
SERIAL_PREFIX = "HA-"
SILENT_SHARE = 0.005
"""Share of demo sensors that never send a heartbeat (a dead battery, a router unplugged)."""
BATCH = 2000

MODELS: list[tuple[str, str, float]] = [
    ("Demo HA-100 smoke", "1.4.2", 0.55),
    ("Demo HA-200 smoke+heat", "2.0.1", 0.30),
    ("Demo HA-300 heat", "2.1.0", 0.15),
]
"""Made-up device models: (model, firmware, share)."""

CATEGORY_SHARES: dict[str, float] = {
    "pensioner_alone": 0.42,
    "disability": 0.20,
    "large_family": 0.18,
    "low_income": 0.12,
    "single_parent": 0.08,
}
"""Demo mix of household categories (codes of ``alarms.defaults.CATEGORIES``)."""

ROOMS = ("kitchen", "hallway", "living room", "bedroom")
INSTALLERS = tuple(f"Demo installer team {n}" for n in range(1, 9))
CAMPAIGN_NAME = "Home fire alarms for vulnerable households (demo)"
CAMPAIGN_DAYS = 420
M2_PER_FLAT = 70.0
"""Gross floor area per flat, for numbering flats in a block (demo only)."""


@dataclass(frozen=True)
class HomeBuilding:
    """A basemap building taken for a home, with its district and weight."""

    ref: str
    lat: float
    lon: float
    address: str
    levels: int | None
    district_id: int
    weight: float


@dataclass(frozen=True)
class HomesResult:
    buildings: int
    homes: int
    silent: int
    skipped: bool


def serial(number: int) -> str:
    return f"{SERIAL_PREFIX}{number:06d}"


def demo_phone(number: int) -> str:
    """A plainly fake number: ``+7 700 000 01 23`` for household 123."""
    return f"+7 700 {number // 10_000:03d} {number // 100 % 100:02d} {number % 100:02d}"


def is_silent(device_serial: str, seed: int = SEED) -> bool:
    """Whether a demo sensor never sends heartbeats (a fixed hash of serial and seed)."""
    digest = hashlib.sha256(f"{seed}:{device_serial}".encode()).digest()
    return int.from_bytes(digest[:4], "big") < SILENT_SHARE * 2**32


def _area_m2(geom: shapely.Geometry, lat: float) -> float:
    """Footprint area from degrees² (a building is small enough for a local scale)."""
    return float(geom.area) * 111_320.0**2 * math.cos(math.radians(lat))


def home_buildings(region: Region) -> list[HomeBuilding]:
    """The region's basemap buildings that are homes, in file order, with their weights."""
    raw = gzip.decompress(bundle_path("basemap", f"{region.slug}.geojson.gz").read_bytes())
    features = [f for f in json.loads(raw)["features"] if f["properties"]["layer"] == "building"]
    geoms = [shape(f["geometry"]) for f in features]
    facilities = json.loads(bundle_path("facilities", f"{region.slug}.geojson").read_text("utf-8"))
    points = [Point(f["geometry"]["coordinates"]) for f in facilities["features"]]
    tree = shapely.STRtree(geoms)
    holds_facility = {int(i) for i in tree.query(points, predicate="within")[1]}
    locate = district_locator(region.pk)
    homes: list[HomeBuilding] = []
    for index, (feature, geom) in enumerate(zip(features, geoms, strict=True)):
        props = feature["properties"]
        anchor = geom.representative_point()
        area = _area_m2(geom, anchor.y)
        use = props.get("use", "")
        if not likely_home(
            use=use,
            housenumber=props.get("housenumber", ""),
            name=props.get("name", ""),
            area_m2=area,
        ) or (not use and index in holds_facility):
            continue
        district_id = locate(anchor.y, anchor.x)
        if district_id is None:
            continue
        street, number = props.get("street", ""), props.get("housenumber", "")
        address = ", ".join(part for part in (street, number) if part)
        homes.append(
            HomeBuilding(
                ref=f"building/{index}",
                lat=round(anchor.y, 6),
                lon=round(anchor.x, 6),
                address=address,
                levels=props.get("levels"),
                district_id=district_id,
                weight=weight_of(area, props.get("levels")),
            )
        )
    return homes


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _flat_numbers(rng: random.Random, building: HomeBuilding, count: int) -> Sequence[int | None]:
    flats = int(building.weight // M2_PER_FLAT)
    if count == 1 and flats <= 2:
        return [None]
    return [*sorted(rng.sample(range(1, max(flats, count) + 1), count))]


def load_homes(
    slug: str = "astana",
    *,
    total: int = TOTAL_SENSORS,
    seed: int = SEED,
    progress: Callable[[int, int], None] | None = None,
) -> HomesResult:
    """Install ``total`` demo sensors in the homes of region ``slug``; idempotent.

    ``progress(done, total)`` is called as households are written.
    """
    region = Region.objects.get(slug=slug)
    if Device.objects.filter(serial=serial(1)).exists():
        return HomesResult(0, 0, 0, skipped=True)
    buildings = home_buildings(region)
    shares = allocate(total, [BuildingWeight(b.ref, b.weight) for b in buildings])
    categories = dict(HouseholdCategory.objects.values_list("code", "id"))
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    starts_on = today - dt.timedelta(days=CAMPAIGN_DAYS)
    offline_after = dt.timedelta(hours=norm("home_alarm_heartbeat_hours", region.pk))
    report = progress or (lambda _done, _total: None)
    per_district: Counter[int] = Counter()
    households: list[Household] = []
    devices: list[Device] = []
    details: list[tuple[int, str, str, dt.date]] = []
    for building, share in zip(buildings, shares, strict=True):
        for flat in _flat_numbers(rng, building, share.count) if share.count else []:
            number = len(households) + 1
            consent = starts_on + dt.timedelta(days=rng.randrange(CAMPAIGN_DAYS - 30))
            installed = consent + dt.timedelta(days=rng.randrange(3, 28))
            address = building.address or f"{building.lat:.5f}, {building.lon:.5f}"
            households.append(
                Household(
                    category_id=categories[_pick(rng, CATEGORY_SHARES)],
                    address=f"{address}, кв. {flat}" if flat else address,
                    lat=building.lat,
                    lon=building.lon,
                    region=region,
                    district_id=building.district_id,
                    contact_name=f"Demo resident {number:06d}",
                    contact_phone=demo_phone(number),
                    language=rng.choices(("kk", "ru"), weights=(0.6, 0.4))[0],
                    consent_given=True,
                    consent_date=consent,
                )
            )
            model, firmware, _share = rng.choices(MODELS, weights=[m[2] for m in MODELS])[0]
            code = serial(number)
            heard = now - (
                offline_after + dt.timedelta(hours=rng.randrange(1, 48))
                if is_silent(code)
                else dt.timedelta(minutes=rng.randrange(60))
            )
            devices.append(
                Device(
                    serial=code,
                    kind=DeviceKind.FIRE_ALARM,
                    region=region,
                    district_id=building.district_id,
                    model=model,
                    firmware=firmware,
                    lat=building.lat,
                    lon=building.lon,
                    status=DeviceStatus.ONLINE,
                    last_heartbeat=heard,
                    last_message_at=heard,
                )
            )
            room = rng.choice(ROOMS)
            details.append((building.district_id, room, rng.choice(INSTALLERS), installed))
            per_district[building.district_id] += 1
    with transaction.atomic():
        campaign = InstallationCampaign.objects.create(
            name=CAMPAIGN_NAME,
            region=region,
            starts_on=starts_on,
            ends_on=today,
            target_count=total,
        )
        CampaignTarget.objects.bulk_create(
            CampaignTarget(campaign=campaign, district_id=district_id, target=count)
            for district_id, count in sorted(per_district.items())
        )
        for start in range(0, len(households), BATCH):
            chunk = slice(start, start + BATCH)
            Household.objects.bulk_create(households[chunk])
            Device.objects.bulk_create(devices[chunk])
            Installation.objects.bulk_create(
                Installation(
                    household=household,
                    device=device,
                    region=region,
                    district_id=district_id,
                    room=room,
                    installer_name=installer,
                    installed_on=min(installed, today),
                    campaign=campaign,
                )
                for household, device, (district_id, room, installer, installed) in zip(
                    households[chunk], devices[chunk], details[chunk], strict=True
                )
            )
            report(min(start + BATCH, len(households)), len(households))
    silent = sum(1 for d in devices if is_silent(d.serial))
    built = sum(1 for s in shares if s.count)
    return HomesResult(buildings=built, homes=len(households), silent=silent, skipped=False)
