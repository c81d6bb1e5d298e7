"""The demo's response units: realistic kinds per agency, at stations inside Astana, once."""

from __future__ import annotations

from collections import Counter

import pytest

from saqshy.accounts.queries import region_id_at
from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.demo.units import FLEET, load_units
from saqshy.incidents.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def astana() -> None:
    loader.load_regions()
    loader.load_people()
    loader.load_facilities("astana")


def test_units_at_their_stations_by_agency_and_kind(astana: None) -> None:
    created = load_units("astana")
    units = list(Unit.objects.select_related("agency", "home_station", "region"))
    assert sum(created.values()) == len(units) == sum(line.count for line in FLEET)
    assert 60 <= len(units) <= 100
    by_agency_kind = Counter((u.agency.code, u.kind) for u in units)
    assert by_agency_kind[("police-astana", "patrol_car")] == 24
    assert by_agency_kind[("police-astana", "traffic_police")] == 10
    assert by_agency_kind[("des-astana", "fire_engine")] == 12
    assert by_agency_kind[("health-astana", "ambulance")] == 22
    station_of = {"police-astana": "police_station", "des-astana": "fire_station"}
    station_of["health-astana"] = "hospital"
    for unit in units:
        assert unit.status == "available"
        assert unit.region.slug == "astana"
        assert unit.home_station is not None
        assert unit.home_station.kind == station_of[unit.agency.code]
        assert (unit.lat, unit.lon) == (unit.home_station.lat, unit.home_station.lon)
        assert region_id_at(unit.lat, unit.lon) == unit.region_id
    # Spread over several stations, not piled on one.
    assert len({u.home_station_id for u in units if u.kind == "patrol_car"}) >= 8
    assert len({u.home_station_id for u in units if u.kind == "ambulance"}) >= 5
    assert len({u.home_station_id for u in units if u.kind == "fire_engine"}) >= 3


def test_loading_units_again_changes_nothing(astana: None) -> None:
    load_units("astana")
    before = (Unit.objects.count(), AuditEntry.objects.count())
    assert sum(load_units("astana").values()) == 0
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before
