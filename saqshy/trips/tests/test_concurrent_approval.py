"""Two planners approve two trips that hold one escort at the same moment: exactly one wins.

The escort's row is locked (``SELECT … FOR UPDATE``) by every approval, so the second one
re-validates after the first commits and finds the escort taken. Real concurrency needs
row-level locking across connections, so this runs on PostgreSQL (CI's second pass); SQLite
serialises whole transactions and is covered by the sequential service tests.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from saqshy.core.exceptions import Conflict
from saqshy.core.testing.personas import make_personas
from saqshy.trips import services
from saqshy.trips.models import Trip
from saqshy.trips.tests.factories import PersonFactory, TripFactory, escort

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_cannot_both_take_one_escort() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    personas = make_personas()
    officer = PersonFactory(region=personas.almaty)
    # Both trips hold the officer over the same hours, as after an edit of one trip's times.
    trips = [TripFactory(region=personas.almaty, status="submitted") for _ in range(2)]
    for trip in trips:
        escort(trip, person=officer)
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def race(trip: Trip) -> None:
        try:
            start.wait(timeout=10)
            services.approve_trip(acting_user=personas.planner_almaty, trip=trip)
            outcomes[trip.pk] = "won"
        except Conflict as refusal:
            outcomes[trip.pk] = refusal.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(trip,)) for trip in trips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["escort_busy", "won"], outcomes
    statuses = sorted(
        Trip.objects.filter(pk__in=[t.pk for t in trips]).values_list("status", flat=True)
    )
    assert statuses == ["approved", "submitted"]
