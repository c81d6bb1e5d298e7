from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering


def soon(days: int = 10, hour: int = 18) -> dt.datetime:
    start = timezone.localtime() + dt.timedelta(days=days)
    return start.replace(hour=hour, minute=0, second=0, microsecond=0)


class GatheringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gathering

    name = factory.Sequence(lambda n: f"New Year matinee {n}")
    kind = "new_year_tree"
    venue = factory.SubFactory(FacilityFactory)
    region = factory.LazyAttribute(lambda o: o.venue.region)
    lat = factory.LazyAttribute(lambda o: o.venue.lat)
    lon = factory.LazyAttribute(lambda o: o.venue.lon)
    starts_at = factory.LazyFunction(soon)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    # Below the standard tier of crowded places (200 people): the protective-security gate
    # asks nothing of a default event; tests of that gate set the attendance themselves.
    expected_attendance = 150
    organiser = "School No. 12"
