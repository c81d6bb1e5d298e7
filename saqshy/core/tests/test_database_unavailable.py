"""A request that loses its database connection is a 503 with Retry-After, not a 500."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from saqshy.core.testing.personas import Personas, make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas() -> Personas:
    return make_personas()


def test_a_broken_connection_mid_request_asks_the_client_to_retry(personas: Personas) -> None:
    client = APIClient()
    client.force_authenticate(personas.planner_astana)
    broken = OperationalError("server closed the connection unexpectedly")
    with mock.patch("saqshy.facilities.api.views.FacilityViewSet.list", side_effect=broken):
        response = client.get("/api/facilities/")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == "unavailable"


def test_a_write_that_gets_no_connection_for_its_transaction_asks_the_client_to_retry(
    personas: Personas,
) -> None:
    """The write's transaction is opened before the view's own error handling: no pool
    connection in time (after a PostgreSQL restart) was a 500 there."""
    from saqshy.facilities.models import Facility

    client = APIClient()
    client.force_authenticate(personas.planner_astana)
    no_connection = OperationalError("couldn't get a connection after 10.00 sec")
    before = Facility.objects.count()
    with mock.patch("saqshy.core.api.viewsets.transaction.atomic", side_effect=no_connection):
        response = client.post(
            "/api/facilities/",
            {"kind": "mall", "name": "Keruen", "lat": 51.13, "lon": 71.43},
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == "unavailable"
    assert Facility.objects.count() == before
