"""Travel on the highway network from the database: closures and restrictions apply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saqshy.accounts.models import User
from saqshy.roads import network
from saqshy.roads.choices import ClosureReason, Restriction, SegmentStatus, VehicleClass
from saqshy.roads.models import Closure
from saqshy.roads.tests.factories import JUNCTIONS, make_network

pytestmark = pytest.mark.django_db


def _close(segment, status=SegmentStatus.CLOSED, restriction=""):
    Closure.objects.create(
        segment=segment,
        status=status,
        restriction=restriction,
        reason=ClosureReason.BLIZZARD,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        decided_by=User.objects.create_user(username=f"road-{segment.pk}-{status}"),
    )
    segment.status = status
    segment.save(update_fields=["status", "updated_at"])


def test_the_direct_road_is_taken_while_open_and_avoided_when_closed() -> None:
    roads = make_network()
    direct = network.plan_route(JUNCTIONS[1], JUNCTIONS[4])
    assert direct.edges == (roads["1-2"].pk, roads["2-4"].pk)
    _close(roads["2-4"])
    around = network.plan_route(JUNCTIONS[1], JUNCTIONS[4])
    assert around.edges == (roads["1-3"].pk, roads["3-4"].pk)
    assert around.meters > direct.meters
    # Emergency vehicles still drive the closed road.
    assert network.plan_route(JUNCTIONS[1], JUNCTIONS[4], VehicleClass.EMERGENCY).edges == (
        direct.edges
    )


def test_no_way_round_names_the_closed_segments() -> None:
    roads = make_network()
    _close(roads["2-4"])
    _close(roads["3-4"])
    with pytest.raises(network.NoRoute) as refused:
        network.plan_route(JUNCTIONS[1], JUNCTIONS[4])
    assert refused.value.blocking == (roads["2-4"].pk,)


def test_a_restriction_keeps_off_only_the_vehicles_it_names() -> None:
    roads = make_network()
    _close(roads["2-4"], SegmentStatus.RESTRICTED, Restriction.NO_BUSES)
    assert roads["2-4"].pk in network.plan_route(JUNCTIONS[1], JUNCTIONS[4]).edges
    bus = network.plan_route(JUNCTIONS[1], JUNCTIONS[4], VehicleClass.BUS)
    assert roads["2-4"].pk not in bus.edges


def test_travel_seconds_to_places_off_the_road() -> None:
    make_network()
    near, far = network.travel_seconds((51.12, 71.44), [(51.0, 72.59), (49.82, 73.08)])
    assert 0 < near < far < float("inf")
