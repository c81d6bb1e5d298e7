"""The demo's children's trips: twelve, most approved with an escort, one refused without."""

from __future__ import annotations

from collections import Counter

import pytest

from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.demo.duty import load_duty
from saqshy.demo.season import load_season
from saqshy.demo.trips import PLAN, load_trips
from saqshy.trips.models import Trip, TripEscort

pytestmark = pytest.mark.django_db


def test_demo_trips_are_escorted_but_one_and_load_once() -> None:
    loader.load_regions()
    loader.load_people()
    loader.load_facilities("astana")
    load_season(say=lambda _line: None)
    load_duty("astana")

    result = load_trips("astana")

    assert (result.created, result.approved, result.blocked) == (len(PLAN), 7, 1)
    statuses = Counter(Trip.objects.values_list("status", flat=True))
    assert statuses == {"approved": 7, "submitted": 3, "draft": 2}
    escorted = set(TripEscort.objects.values_list("trip_id", flat=True))
    # Every approved trip has its police escort; the blocked one has none.
    for trip in Trip.objects.filter(status="approved"):
        assert trip.pk in escorted
        assert trip.region.slug == "astana"
    blocked = Trip.objects.filter(status="submitted").exclude(pk__in=escorted)
    assert blocked.count() == 1
    entries = AuditEntry.objects.count()
    assert load_trips("astana").created == 0
    assert AuditEntry.objects.count() == entries
