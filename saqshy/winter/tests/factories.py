"""Warming points, stranded reports and standby units for tests, on the roads test network
(``saqshy.roads.tests.factories``: Astana 1, south 2, east 3, Karaganda 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saqshy.accounts.models import Agency, Region
from saqshy.core.testing.geography import box
from saqshy.incidents.choices import UnitKind
from saqshy.incidents.models import Unit
from saqshy.winter.choices import EquipmentType, Readiness
from saqshy.winter.models import Standby, WarmingPoint


def make_akmola() -> Region:
    """A region box around Astana, the roads to Karaganda and Karaganda itself."""
    region, _ = Region.objects.get_or_create(
        iso_code="KZ-11",
        defaults={
            "slug": "akmola",
            "kind": "oblast",
            "name_en": "Akmola region",
            "name_ru": "Акмолинская область",
            "name_kk": "Ақмола облысы",
            "boundary": box(70.0, 49.0, 74.0, 52.5),
            "centre_lat": 51.0,
            "centre_lon": 72.0,
            "bbox": [70.0, 49.0, 74.0, 52.5],
        },
    )
    return region


def make_point(region: Region, name: str, lat: float, lon: float, **fields: Any) -> WarmingPoint:
    defaults: dict[str, Any] = {
        "address": f"{name}, school",
        "region": region,
        "lat": lat,
        "lon": lon,
        "capacity": 50,
        "occupancy": 0,
        "phone": "+7 7162 00 00 00",
    }
    defaults.update(fields)
    point, _ = WarmingPoint.objects.get_or_create(name=name, defaults=defaults)
    return point


def make_unit(region: Region, call_sign: str, kind: str = UnitKind.SPECIAL) -> Unit:
    agency, _ = Agency.objects.get_or_create(
        code=f"des-{region.slug}",
        defaults={"kind": "emergency", "region": region, "name_en": "DES"},
    )
    unit, _ = Unit.objects.get_or_create(
        agency=agency, call_sign=call_sign, defaults={"kind": kind, "region": region}
    )
    return unit


def make_standby(
    region: Region, call_sign: str, equipment_type: str, segment: Any = None, **fields: Any
) -> Standby:
    kind = UnitKind.HELICOPTER if equipment_type == EquipmentType.HELICOPTER else UnitKind.SPECIAL
    now = timezone.now()
    defaults: dict[str, Any] = {
        "unit": make_unit(region, call_sign, kind),
        "equipment_type": equipment_type,
        "region": region,
        "segment": segment,
        "readiness": Readiness.IMMEDIATE,
        "base_name": "Base",
        "lat": 51.1,
        "lon": 71.5,
        "starts_at": now - dt.timedelta(hours=1),
        "ends_at": now + dt.timedelta(hours=12),
    }
    defaults.update(fields)
    return Standby.objects.create(**defaults)
