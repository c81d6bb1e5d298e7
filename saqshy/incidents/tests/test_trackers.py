"""Vehicle trackers move their units: fixes over MQTT or HTTPS, stored once, newest wins."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saqshy.accounts.models import Agency
from saqshy.algorithms.ingest import Incoming, parse
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Unit
from saqshy.ingest import services as ingest
from saqshy.ingest.api.views import signature
from saqshy.ingest.models import Device, DeviceMessage
from saqshy.ingest.tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db

KEY = "tracker-key"


@pytest.fixture
def personas() -> Personas:
    return make_personas()


@pytest.fixture
def car(personas: Personas) -> Unit:
    police = Agency.objects.get(grants__user=personas.dispatcher_astana)
    tracker = DeviceFactory(serial="AVL-1", kind="tracker", region=personas.astana, hmac_key=KEY)
    unit = services.create_unit(
        acting_user=None, call_sign="P-1", kind="patrol_car", agency=police, region=personas.astana
    )
    Unit.objects.filter(pk=unit.pk).update(tracker=tracker)
    unit.refresh_from_db()
    return unit


def _fix(serial: str, ident: str, at: dt.datetime, lat: float, lon: float = 71.43) -> Incoming:
    body = json.dumps({"id": ident, "time": at.isoformat(), "lat": lat, "lon": lon})
    message = parse(f"saqshy/positions/{serial}/fix", body, timezone.now())
    assert isinstance(message, Incoming), message
    return message


def test_the_newest_fix_of_a_batch_moves_the_unit_and_older_ones_never_move_it_back(
    car: Unit,
) -> None:
    now = timezone.now().replace(microsecond=0)
    later = now + dt.timedelta(seconds=10)
    ingest.ingest(
        [
            _fix("AVL-1", "1", now, 51.10),
            _fix("AVL-1", "3", later, 51.13),
            _fix("AVL-1", "2", now + dt.timedelta(seconds=5), 51.12),
        ]
    )
    car.refresh_from_db()
    assert (car.lat, car.position_at) == (51.13, later)
    # A late fix (older than the stored one) is stored as a message but moves nothing.
    ingest.ingest([_fix("AVL-1", "4", now + dt.timedelta(seconds=7), 51.20)])
    car.refresh_from_db()
    assert car.lat == 51.13
    # The same fix delivered again is stored once.
    again = ingest.ingest([_fix("AVL-1", "3", later, 51.13)])
    assert again.messages == 0
    assert DeviceMessage.objects.filter(device__serial="AVL-1").count() == 4
    assert not DeviceMessage.objects.filter(handled_at__isnull=True).exists()


def test_a_fix_outside_every_region_or_from_a_spare_tracker_moves_nothing(car: Unit) -> None:
    DeviceFactory(serial="AVL-SPARE", kind="tracker")
    now = timezone.now()
    ingest.ingest([_fix("AVL-1", "1", now, lat=0.0, lon=0.0), _fix("AVL-SPARE", "1", now, 51.1)])
    car.refresh_from_db()
    assert car.lat is None
    assert DeviceMessage.objects.filter(handled_at__isnull=False).count() == 2


def test_a_signed_fix_over_https_moves_the_unit(car: Unit) -> None:
    body = json.dumps({"id": "h-1", "time": timezone.now().isoformat(), "lat": 51.14, "lon": 71.44})
    client = Client()

    def post(data: str, key: str = KEY) -> Any:
        return client.generic(
            "POST", "/api/ingest/positions/AVL-1/", data.encode(),
            content_type="application/json",
            HTTP_X_SAQSHY_SIGNATURE=signature(key, data.encode()),
        )  # fmt: skip

    answer = post(body)
    assert answer.status_code == 202, answer.content
    car.refresh_from_db()
    assert (car.lat, car.lon) == (51.14, 71.44)
    bad = json.dumps({"id": "h-2", "time": timezone.now().isoformat(), "lat": 91, "lon": 71})
    refused = post(bad)
    assert refused.status_code == 400
    assert "lat" in refused.json()
    assert post(body, key="wrong").status_code == 401
    assert Device.objects.get(serial="AVL-1").status == "online"


def test_a_tracker_is_fitted_through_the_api_by_its_device_id(
    car: Unit, personas: Personas
) -> None:
    """``tracker`` names the device; one the caller may not see is refused like a missing one."""
    from knox.models import AuthToken

    DeviceFactory(serial="AVL-2", kind="tracker", region=personas.astana)
    DeviceFactory(serial="AVL-ALMATY", kind="tracker", region=personas.almaty)
    DeviceFactory(serial="FA-1", kind="fire_alarm", region=personas.astana)
    token = AuthToken.objects.create(personas.admin)[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/units/{car.pk}/"
    assert client.get(url).json()["tracker"] == "AVL-1"
    for serial in ("FA-1", "NOPE"):
        refused = client.patch(url, {"tracker": serial}, content_type="application/json")
        assert refused.status_code == 400 and "tracker" in refused.json(), refused.content
    moved = client.patch(url, {"tracker": "AVL-2"}, content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert Unit.objects.get(pk=car.pk).tracker.serial == "AVL-2"
    planner = AuthToken.objects.create(personas.dispatcher_astana)[1]
    theirs = Client(HTTP_AUTHORIZATION=f"Token {planner}")
    answer = theirs.patch(url, {"tracker": "AVL-ALMATY"}, content_type="application/json")
    assert answer.status_code in (400, 403), answer.content
    assert Unit.objects.get(pk=car.pk).tracker.serial == "AVL-2"


def test_a_batch_moves_its_units_in_key_order(personas: Personas) -> None:
    # Dispatches and closes take units in key order; a batch in call-sign order could hold
    # one unit while waiting for another that a dispatch holds while waiting for the first.
    police = Agency.objects.get(grants__user=personas.dispatcher_astana)
    units = []
    for n, call_sign in enumerate(["Z-9", "M-5", "A-1"]):
        tracker = DeviceFactory(serial=f"AVL-K{n}", kind="tracker", region=personas.astana)
        unit = services.create_unit(
            acting_user=None, call_sign=call_sign, kind="patrol_car", agency=police,
            region=personas.astana,
        )  # fmt: skip
        Unit.objects.filter(pk=unit.pk).update(tracker=tracker)
        units.append(unit.pk)
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        ingest.ingest([_fix(f"AVL-K{n}", "1", now, 51.10 + n / 100) for n in range(3)])
    moved = [
        int(found.group(1))
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "incidents_unit" SET "lat"')
        and (found := re.search(r'"incidents_unit"\."id" = (\d+)', q["sql"]))
    ]
    assert moved == sorted(units), (moved, units)
