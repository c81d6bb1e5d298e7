"""Households for the ingest benchmark's fire alarms, and a dispatcher of their region.

Run inside Django (``manage.py shell -c`` with the benchmark's settings, so it works on any
database the benchmark prepares): :func:`install` gives the benchmark region a square boundary
far from every real region (an incident's region follows its location), fits every
``BENCH-`` fire alarm in a household of its own on a grid inside it (farther apart than the
alarm incident type's de-duplication radius, so each home's alarm opens its own incident),
and creates a fire dispatcher of the region (``DISPATCHER``) whose desk the storm times.
Written with ``bulk_create`` like the demo (``saqshy/demo/alarms.py``): 36,000 homes in
seconds. Loading twice creates nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.alarms.choices import ContactLanguage
from saqshy.alarms.models import Household, HouseholdCategory, Installation
from saqshy.ingest.choices import DeviceKind
from saqshy.ingest.models import Device

SOUTH, WEST = 10.0, 10.0
"""The benchmark region's south-west corner: a square of one degree, outside Kazakhstan."""
STEP = 0.001
"""Grid step between homes in degrees (≈ 110 m, more than the 30 m de-duplication radius)."""
COLUMNS = 500
DISPATCHER = "bench-dispatcher"
AGENCY = "bench-fire"
BATCH = 2000


def home_position(number: int) -> tuple[float, float]:
    """(lat, lon) of the home of device ``BENCH-<number>``."""
    return SOUTH + 0.01 + (number // COLUMNS) * STEP, WEST + 0.01 + (number % COLUMNS) * STEP


def install(region_id: int) -> None:
    region = Region.objects.get(pk=region_id)
    ring = [[WEST, SOUTH], [WEST + 1, SOUTH], [WEST + 1, SOUTH + 1], [WEST, SOUTH + 1]]
    Region.objects.filter(pk=region_id).update(
        boundary={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        centre_lat=SOUTH + 0.5,
        centre_lon=WEST + 0.5,
        bbox=[WEST, SOUTH, WEST + 1, SOUTH + 1],
        updated_at=timezone.now(),
    )
    categories = list(HouseholdCategory.objects.order_by("order", "code"))
    today = timezone.localdate()
    devices = list(
        Device.objects.filter(
            region_id=region_id,
            kind=DeviceKind.FIRE_ALARM,
            serial__startswith="BENCH-",
            installation__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "serial")
    )
    for first in range(0, len(devices), BATCH):
        chunk = devices[first : first + BATCH]
        homes = []
        for _pk, serial in chunk:
            number = int(serial.removeprefix("BENCH-"))
            lat, lon = home_position(number)
            homes.append(
                Household(
                    category=categories[number % len(categories)],
                    address=f"Bench street {number // 100}, flat {number % 100 + 1}",
                    lat=lat,
                    lon=lon,
                    region=region,
                    contact_name=f"Bench household {number}",
                    contact_phone=f"+7 700 {number // 10_000:03d} {number % 10_000:04d}",
                    language=ContactLanguage.KK,
                    consent_given=True,
                    consent_date=today - dt.timedelta(days=30),
                )
            )
        with transaction.atomic():
            Household.objects.bulk_create(homes)
            Installation.objects.bulk_create(
                Installation(
                    household=home,
                    device_id=pk,
                    region=region,
                    room="kitchen",
                    installer_name="Bench installer",
                    installed_on=today,
                )
                for home, (pk, _serial) in zip(homes, chunk, strict=True)
            )
    user, _created = User.objects.get_or_create(username=DISPATCHER)
    agency, _created = Agency.objects.get_or_create(
        code=AGENCY, defaults={"kind": AgencyKind.EMERGENCY, "region": region, "name_en": AGENCY}
    )
    Grant.objects.get_or_create(
        user=user, agency=agency, region=region, role=Role.objects.get(slug="dispatcher")
    )
