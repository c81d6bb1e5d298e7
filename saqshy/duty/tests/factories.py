from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from saqshy.accounts.models import Agency
from saqshy.duty.models import Absence, Person, Post, PostNeed, Readiness, Shift


def hour(hours: int = 0) -> dt.datetime:
    """The start of the clock hour ``hours`` from now."""
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    return base + dt.timedelta(hours=hours)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.LazyFunction(lambda: Agency.objects.get(code="police-almaty"))
    region = factory.LazyAttribute(lambda o: o.agency.region)
    personnel_number = factory.Sequence(lambda n: f"P-{n:05d}")
    first_name = "Aliya"
    last_name = factory.Sequence(lambda n: f"Nurlanova{n}")
    skills = factory.LazyFunction(lambda: ["patrol"])


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    person = factory.SubFactory(PersonFactory)
    kind = "leave"
    starts_at = factory.LazyFunction(lambda: hour(1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=3))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    kind = "other"
    name = factory.Sequence(lambda n: f"Post {n}")
    region = factory.LazyFunction(lambda: Agency.objects.get(code="police-almaty").region)
    lat = 43.238
    lon = 76.945
    starts_at = factory.LazyFunction(lambda: hour(-1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=8))


class PostNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostNeed

    post = factory.SubFactory(PostFactory)
    agency = factory.LazyFunction(lambda: Agency.objects.get(code="police-almaty"))
    people = 2


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    person = factory.SubFactory(PersonFactory)
    post = factory.SubFactory(PostFactory)
    starts_at = factory.LazyAttribute(lambda o: o.post.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=8))


class ReadinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Readiness

    region = factory.LazyFunction(lambda: Agency.objects.get(code="police-almaty").region)
    level = "enhanced"
    starts_at = factory.LazyFunction(lambda: hour(-2))
    reason = "Holidays"
