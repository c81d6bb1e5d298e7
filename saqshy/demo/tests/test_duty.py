"""The demo's duty data: districts, ~2,000 personnel, absences, posts, readiness; once."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from saqshy.accounts.models import District
from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.demo.duty import STAFF, load_duty
from saqshy.demo.season import load_season, new_year
from saqshy.duty.models import Absence, Person, Post, Readiness
from saqshy.duty.readiness import queries
from saqshy.facilities.models import Facility
from saqshy.gatherings.models import Gathering

pytestmark = pytest.mark.django_db


def test_demo_duty_counts_and_idempotency() -> None:
    loader.load_regions()
    loader.load_districts()
    loader.load_people()
    loader.load_facilities("astana")
    load_season(say=lambda _line: None)
    first = load_duty("astana")

    assert District.objects.filter(region__slug="astana").count() == 5
    # The real districts (with boundaries) are used, so facilities and their posts have one.
    assert not District.objects.filter(region__slug="astana", boundary=None).exists()
    located = Post.objects.filter(kind="strategic").exclude(district=None).count()
    assert located > 0.9 * Post.objects.filter(kind="strategic").count()
    people = Counter(Person.objects.values_list("agency__code", flat=True))
    assert sum(people.values()) == sum(s.count for s in STAFF) == first.personnel
    assert 1900 <= sum(people.values()) <= 2100
    assert people.most_common(1)[0][0] == "police-astana"
    assert set(people) == {"police-astana", "des-astana", "health-astana", "energy-astana"}
    assert Person.objects.filter(district=None).count() == 0
    assert 0 < Absence.objects.count() < 0.1 * sum(people.values())

    strategic_kinds = ["station", "airport", "energy_site", "heating_plant", "water_utility"]
    utility_kinds = ["energy_site", "heating_plant", "water_utility"]
    posts = Counter(Post.objects.values_list("kind", flat=True))
    assert (
        posts["strategic"]
        == Facility.objects.filter(region__slug="astana", kind__in=strategic_kinds).count()
    )
    assert (
        posts["utility"]
        == Facility.objects.filter(region__slug="astana", kind__in=utility_kinds).count()
    )
    live_events = Gathering.objects.exclude(status__in=["rejected", "cancelled"])
    assert posts["event"] == live_events.count() > 100
    assert (
        not Post.objects.filter(kind="event").exclude(needs__agency__code="police-astana").exists()
    )

    readiness = Readiness.objects.get()
    eve = new_year(timezone.localdate()) - dt.timedelta(days=1)
    assert (readiness.level, readiness.agency) == ("enhanced", None)
    assert timezone.localtime(readiness.starts_at).date() == eve - dt.timedelta(days=1)
    midnight = timezone.make_aware(dt.datetime.combine(eve, dt.time(23, 30)))
    assert queries.readiness_at(readiness.region, None, midnight).level == "enhanced"

    audits = AuditEntry.objects.count()
    again = load_duty("astana")
    assert (again.personnel, again.absences, again.readiness) == (0, 0, 0)
    assert (again.posts.created, again.posts.updated, again.posts.removed) == (0, 0, 0)
    assert AuditEntry.objects.count() == audits
