"""``describe_point`` names incidents recorded without an address (service, API, simulator)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Incident
from saqshy.incidents.tests.factories import incident_type

pytestmark = pytest.mark.django_db

NU = (51.0905, 71.3987)


@pytest.fixture
def people(settings, tmp_path) -> Personas:
    settings.VAR_DIR = tmp_path
    return make_personas()


def test_an_incident_without_an_address_gets_the_nearest_one(people: Personas) -> None:
    with translation.override("ru"):
        incident = services.report_incident(
            acting_user=people.dispatcher_astana, type=incident_type("fire"), lat=NU[0], lon=NU[1]
        )
    assert incident.address == "проспект Кабанбай Батыра, 53"
    assert Incident.objects.get(pk=incident.pk).address == "проспект Кабанбай Батыра, 53"


def test_a_given_address_is_kept(people: Personas) -> None:
    incident = services.report_incident(
        acting_user=people.dispatcher_astana,
        type=incident_type("fire"),
        lat=NU[0],
        lon=NU[1],
        address="Nazarbayev University, block 7",
    )
    assert incident.address == "Nazarbayev University, block 7"


def test_nothing_near_leaves_it_empty(people: Personas) -> None:
    # Inside the Astana test region's box, but kilometres from any mapped street.
    incident = services.report_incident(
        acting_user=people.dispatcher_astana, type=incident_type("fire"), lat=51.33, lon=71.72
    )
    assert incident.address == ""


def test_api_intake_without_an_address(people: Personas) -> None:
    """The simulator's accidents come through this API without an address."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="dispatcher_astana", password="pw-dispatcher_astana")
    answer = client.post(
        reverse("api:incident-list"),
        {"type": "traffic_accident", "lat": NU[0], "lon": NU[1], "source": "call_102"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["address"] == "Kabanbay Batyr Avenue 53"


def test_trip_page_names_its_departure_and_keeps_coordinates_where_nothing_is_near(
    people: Personas,
) -> None:
    from saqshy.trips.tests.factories import TripFactory

    trip = TripFactory(region=people.astana, departure_lat=NU[0], departure_lon=NU[1])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="admin", password="pw-admin")
    page = client.get(reverse("trips:detail", args=[trip.pk])).content.decode()
    assert "(Kabanbay Batyr Avenue 53)" in page
    # Burabay is outside every indexed region: its coordinates stay.
    assert "(53.08000, 70.31000)" in page
