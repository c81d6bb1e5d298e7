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
