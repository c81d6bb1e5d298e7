from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.core.testing.geography import CENTRES
from saqshy.incidents import defaults
from saqshy.incidents.models import Incident, IncidentType, Unit


def incident_type(code: str = "fire") -> IncidentType:
    """A default type (installed by migration 0002; installed here too if it is missing)."""
    if not IncidentType.objects.filter(code=code).exists():
        defaults.install(IncidentType)
    type_: IncidentType = IncidentType.objects.get(code=code)
    return type_


def agency(code: str, kind: str = "police", region: Region | None = None) -> Agency:
    found, _ = Agency.objects.get_or_create(
        code=code, defaults={"kind": kind, "region": region, "name_en": code}
    )
    return found


def dispatcher(username: str, agency_code: str, region: Region) -> User:
    """A dispatcher of ``agency_code`` in ``region`` (the personas have none in Almaty)."""
    user = User.objects.create_user(username=username, password="pw-" + username)
    Grant.objects.create(
        user=user,
        agency=agency(agency_code, region=region),
        role=Role.objects.get(slug="dispatcher"),
        region=region,
    )
    return user


class IncidentFactory(factory.django.DjangoModelFactory):
    """Written straight to the table (no de-duplication, no journal) for access tests."""

    class Meta:
        model = Incident

    type = factory.LazyFunction(lambda: incident_type("fire"))
    region: Any = None
    lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])
    priority = 1
    source = "call_101"
    description = "Smoke from a window"
    reported_at = factory.LazyFunction(timezone.now)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    call_sign = factory.Sequence(lambda n: f"UNIT-{n}")
    kind = "patrol_car"
    region: Any = None
    agency = factory.LazyAttribute(lambda o: agency(f"police-{o.region.slug}", region=o.region))
    status = "available"
