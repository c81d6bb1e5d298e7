"""Trips, police escorts and the roster records that keep an escort busy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from saqshy.accounts.models import Agency, Region
from saqshy.core.testing.geography import CENTRES
from saqshy.duty.models import Absence, Person, Post, Shift
from saqshy.incidents.models import Unit
from saqshy.trips.models import Trip, TripEscort


def at(days: int = 10, hour: int = 8) -> dt.datetime:
    """A local time ``days`` from today at ``hour`` o'clock."""
    start = timezone.localtime() + dt.timedelta(days=days)
    return start.replace(hour=hour, minute=0, second=0, microsecond=0)


def agency(region: Region, kind: str = "police") -> Agency:
    found, _ = Agency.objects.get_or_create(
        code=f"{kind}-{region.slug}", defaults={"kind": kind, "region": region, "name_en": kind}
    )
    return found


class PersonFactory(factory.django.DjangoModelFactory):
    """A police officer of the region's police (pass ``agency`` for another agency)."""

    class Meta:
        model = Person

    region: Any = None
    agency = factory.LazyAttribute(lambda o: agency(o.region))
    personnel_number = factory.Sequence(lambda n: f"T-{n:05d}")
    first_name = "Daniyar"
    last_name = factory.Sequence(lambda n: f"Seitkali{n}")
    position = "Sergeant"
    skills = factory.LazyFunction(lambda: ["escort"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    call_sign = factory.Sequence(lambda n: f"ESC-{n}")
    kind = "patrol_car"
    region: Any = None
    agency = factory.LazyAttribute(lambda o: agency(o.region))


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    person = factory.SubFactory(PersonFactory)
    kind = "sick"
    starts_at = factory.LazyFunction(lambda: at(9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=3))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    kind = "strategic"
    name = factory.Sequence(lambda n: f"Railway station gate {n}")
    region: Any = None
    lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])
    starts_at = factory.LazyFunction(lambda: at(0, 0))


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    person: Any = None
    post = factory.LazyAttribute(lambda o: PostFactory(region=o.person.region))
    starts_at = factory.LazyFunction(lambda: at(10, 6))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=12))


class TripFactory(factory.django.DjangoModelFactory):
    """A complete trip leaving from the centre of ``region`` (written straight to the table)."""

    class Meta:
        model = Trip

    region: Any = None
    organiser = factory.Sequence(lambda n: f"School No. {n}")
    children_count = 30
    adults_count = 3
    departs_at = factory.LazyFunction(lambda: at(10, 8))
    returns_at = factory.LazyAttribute(lambda o: o.departs_at + dt.timedelta(hours=10))
    departure_name = "School yard"
    departure_lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    departure_lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])
    destination_name = "Burabay national park"
    destination_lat = 53.08
    destination_lon = 70.31
    vehicles = factory.LazyFunction(lambda: [{"plate": "123ABC01", "kind": "bus", "seats": 45}])
    drivers = factory.LazyFunction(lambda: [{"name": "Aibek Sadykov", "licence": "KZ0012345"}])
    contact_name = "Gulnara Akhmetova"
    contact_phone = "+7 701 555 12 34"


def escort(trip: Trip, *, person: Person | None = None, unit: Unit | None = None) -> TripEscort:
    """An assignment written straight to the table, as if made before anything changed."""
    made: TripEscort = TripEscort.objects.create(trip=trip, person=person, unit=unit)
    return made
