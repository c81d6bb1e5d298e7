"""Households, devices and installations for the programme's tests, and the people who look."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from saqshy.accounts.models import Grant, Region, Role, User
from saqshy.alarms.models import Household, HouseholdCategory, Installation
from saqshy.core.testing.geography import CENTRES
from saqshy.incidents.tests.factories import agency
from saqshy.ingest.handlers import Received
from saqshy.ingest.models import Device

_serials = itertools.count(1)
_messages = itertools.count(1)


def person(username: str, role: str, agency_code: str, kind: str, region: Region | None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    Grant.objects.create(
        user=user,
        agency=agency(agency_code, kind, region),
        role=Role.objects.get(slug=role),
        region=region,
    )
    return user


def staff(p: Any) -> dict[str, User]:
    """Social services of Astana and Almaty and Astana's fire dispatcher (``make_personas``)."""
    return {
        "social": person("social_astana", "social-services", "akimat-astana", "akimat", p.astana),
        "social_almaty": person(
            "social_almaty", "social-services", "akimat-almaty", "akimat", p.almaty
        ),
        "fire": person("fire_astana", "dispatcher", "des-astana", "emergency", p.astana),
    }


def household(region: Region, at: tuple[float, float] | None = None, **extra: Any) -> Household:
    lat, lon = at or CENTRES[region.slug]
    fields: dict[str, Any] = {
        "category": HouseholdCategory.objects.get(code="pensioner_alone"),
        "address": "Kabanbay batyr 53, apt 12",
        "lat": lat,
        "lon": lon,
        "region": region,
        "contact_name": "Aigerim Sadykova",
        "contact_phone": "+77010000001",
        "language": "ru",
        "consent_given": True,
        "consent_date": dt.date(2026, 10, 1),
        **extra,
    }
    found: Household = Household.objects.create(**fields)
    return found


def installed(home: Household, model: str = "FA-100") -> Installation:
    device = Device.objects.create(
        serial=f"alarm-{next(_serials):05d}",
        kind="fire_alarm",
        region=home.region,
        model=model,
        lat=home.lat,
        lon=home.lon,
    )
    found: Installation = Installation.objects.create(
        household=home,
        device=device,
        region=home.region,
        district=home.district,
        room="kitchen",
        installer_name="Installer",
        installed_on=dt.date(2026, 11, 1),
    )
    return found


def received(
    device: Device, kind: str = "alarm", at: dt.datetime | None = None, **payload: Any
) -> Received:
    when = at or timezone.now()
    number = next(_messages)
    return Received(
        row_id=number,
        device_id=device.pk,
        serial=device.serial,
        kind=kind,
        message_id=f"m-{number}",
        device_time=when,
        received_at=when,
        payload={"id": f"m-{number}", "time": when.isoformat(), **payload},
    )
