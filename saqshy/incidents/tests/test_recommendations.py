"""Recommendations on the Astana road network built from the committed bundle."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents.models import Incident
from saqshy.incidents.queries import recommendations
from saqshy.incidents.tests.factories import UnitFactory, agency, dispatcher, incident_type

pytestmark = pytest.mark.django_db

BAITEREK = (51.12825, 71.43053)
NEAR_BAITEREK = (51.12600, 71.43400)
KHAN_SHATYR = (51.13250, 71.40360)
EXPO = (51.08900, 71.41600)


@pytest.fixture
def astana(settings: Any, tmp_path: Any) -> Personas:
    settings.VAR_DIR = tmp_path
    from saqshy.demo import loader

    loader.load_regions()
    return make_personas()


def _unit(
    personas: Personas, call_sign: str, kind: str, at: tuple[float, float] | None, **extra: Any
) -> Any:
    des = agency("des-astana", "emergency", personas.astana)
    position = {"lat": at[0], "lon": at[1], "position_at": timezone.now()} if at else {}
    return UnitFactory(
        region=personas.astana, agency=des, call_sign=call_sign, kind=kind, **position, **extra
    )


def test_fastest_units_first_and_the_others_with_why_not(astana: Personas) -> None:
    p = astana
    near = _unit(p, "FE-NEAR", "fire_engine", NEAR_BAITEREK)
    mid = _unit(p, "FE-MID", "fire_engine", KHAN_SHATYR)
    far = _unit(p, "FE-FAR", "fire_engine", EXPO)
    ambulance = _unit(p, "AMB-1", "ambulance", KHAN_SHATYR)
    busy = _unit(p, "FE-BUSY", "fire_engine", NEAR_BAITEREK, status="dispatched")
    lost = _unit(p, "FE-LOST", "fire_engine", None)
    car = _unit(p, "CAR-1", "patrol_car", NEAR_BAITEREK)
    incident = Incident.objects.create(
        type=incident_type("fire"), region=p.astana, lat=BAITEREK[0], lon=BAITEREK[1]
    )

    result = recommendations(incident, p.analyst_national)

    ranked = [c for c in result["recommended"] if c["kind"] == "fire_engine"]
    assert [c["unit"] for c in ranked] == [near.pk, mid.pk, far.pk]
    etas = [c["eta_seconds"] for c in ranked]
    assert 0 <= etas[0] < etas[1] < etas[2] < 3600
    assert all(c["meters"] and c["meters"] > 0 for c in ranked[1:])
    assert [c["suggested"] for c in ranked] == [True, True, False]
    assert all(c["reason"] for c in result["recommended"])
    assert ambulance.pk in {c["unit"] for c in result["recommended"] if c["suggested"]}
    assert result["missing"] == {"ladder": 1}
    why = {c["unit"]: c["why_not"] for c in result["others"]}
    assert why == {busy.pk: "busy", lost.pk: "no_position", car.pk: "wrong_kind"}
    assert result["incident_snap_meters"] is not None


def test_only_units_in_the_callers_scope_and_the_api(astana: Personas) -> None:
    p = astana
    _unit(p, "FE-1", "fire_engine", NEAR_BAITEREK)
    police_car = UnitFactory(
        region=p.astana, kind="patrol_car", lat=KHAN_SHATYR[0], lon=KHAN_SHATYR[1]
    )
    incident = Incident.objects.create(
        type=incident_type("crime"), region=p.astana, lat=BAITEREK[0], lon=BAITEREK[1]
    )
    client = APIClient()
    client.force_authenticate(p.dispatcher_astana)
    response = client.get(reverse("api:incident-recommendations", args=[incident.pk]))
    assert response.status_code == 200, response.content
    body = response.json()
    # The Astana police dispatcher sees only police units: the fire engine is not listed.
    assert [c["unit"] for c in body["recommended"]] == [police_car.pk]
    assert body["recommended"][0]["suggested"] is True
    assert body["others"] == []


def test_units_already_on_the_incident_count_towards_its_needs(astana: Personas) -> None:
    from saqshy.incidents import services

    p = astana
    first = _unit(p, "FE-A", "fire_engine", NEAR_BAITEREK)
    second = _unit(p, "FE-B", "fire_engine", KHAN_SHATYR)
    third = _unit(p, "FE-C", "fire_engine", EXPO)
    incident = Incident.objects.create(
        type=incident_type("fire"), region=p.astana, lat=BAITEREK[0], lon=BAITEREK[1]
    )
    des_dispatcher = dispatcher("dispatcher_des", "des-astana", p.astana)
    services.dispatch(acting_user=des_dispatcher, incident=incident, units=[first])

    result = recommendations(incident, p.analyst_national)

    assert result["assigned"] == {"fire_engine": 1}
    ranked = [c for c in result["recommended"] if c["kind"] == "fire_engine"]
    # The type needs two engines; one is there, so only the faster of the other two is suggested.
    assert [(c["unit"], c["suggested"]) for c in ranked] == [(second.pk, True), (third.pk, False)]
    assert "fire_engine" not in result["missing"]


def test_a_nearby_unit_of_another_region_is_listed_as_out_of_region(astana: Personas) -> None:
    from saqshy.accounts.models import Region

    p = astana
    akmola = Region.objects.get(slug="akmola")
    across = UnitFactory(region=akmola, kind="fire_engine", call_sign="AKM-1", lat=51.03, lon=71.45)
    far_away = UnitFactory(
        region=akmola, kind="fire_engine", call_sign="AKM-2", lat=52.30, lon=70.00
    )
    incident = Incident.objects.create(
        type=incident_type("fire"), region=p.astana, lat=BAITEREK[0], lon=BAITEREK[1]
    )

    result = recommendations(incident, p.analyst_national)

    why = {c["unit"]: c["why_not"] for c in result["others"]}
    assert why.get(across.pk) == "out_of_region"
    assert far_away.pk not in why
    assert across.pk not in {c["unit"] for c in result["recommended"]}
