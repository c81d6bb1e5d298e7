"""The device-health page and the map's home-alarm layers: scoped, no personal data, task done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saqshy.accounts.models import District
from saqshy.alarms import health
from saqshy.alarms.health_choices import TaskStatus
from saqshy.alarms.map import layer_config
from saqshy.alarms.models import MaintenanceTask
from saqshy.alarms.tests.factories import household, installed, person, received
from saqshy.core.context import exercise
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.ingest import handlers
from saqshy.ingest.choices import DeviceStatus
from saqshy.ingest.models import Device

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_transport")]

BOX = [
    [[71.3, 51.0], [71.6, 51.0], [71.6, 51.3], [71.3, 51.3], [71.3, 51.0]],
]


@pytest.fixture
def p() -> Personas:
    return make_personas()


@pytest.fixture
def offline(p: Personas) -> Device:
    district = District.objects.create(
        region=p.astana,
        slug="esil",
        name_en="Esil",
        boundary={"type": "Polygon", "coordinates": BOX},
    )
    device = installed(household(p.astana, district=district)).device
    old = timezone.now() - dt.timedelta(hours=30)
    Device.objects.filter(pk=device.pk).update(
        status=DeviceStatus.ONLINE, last_heartbeat=old, last_message_at=old, district=district
    )
    health.sweep()
    device.refresh_from_db()
    assert device.status == DeviceStatus.OFFLINE
    return device


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_health_page_shows_the_summary_and_marks_a_task_done(p: Personas, offline: Device) -> None:
    client = _client(p.admin)
    page = client.get("/alarms/health/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Esil" in body and offline.serial in body
    task = MaintenanceTask.objects.get()
    done = client.post(f"/alarms/health/tasks/{task.pk}/done/", {"note": "router replugged"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.note) == (TaskStatus.DONE, "router replugged")


def test_health_page_is_refused_without_grants(p: Personas, offline: Device) -> None:
    assert _client(p.no_grants).get("/alarms/health/").status_code == 403
    task = MaintenanceTask.objects.get()
    other = _client(p.viewer_other_region)
    assert other.post(f"/alarms/health/tasks/{task.pk}/done/").status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_offline_layer_counts_per_district_then_points_and_is_scoped(
    p: Personas, offline: Device
) -> None:
    admin = _client(p.admin)
    low = admin.get("/alarms/health/map/offline/?zoom=11").json()
    assert low["mode"] == "districts"
    assert [(r["district"], r["count"]) for r in low["results"]] == [("Esil", 1)]
    bbox = "71.0,50.9,72.0,51.4"
    high = admin.get(f"/alarms/health/map/offline/?zoom=15&bbox={bbox}").json()
    assert high["mode"] == "points"
    assert [r["serial"] for r in high["results"]] == [offline.serial]
    assert set(high["results"][0]) == {"id", "serial", "lat", "lon", "last_heartbeat"}
    other = _client(p.viewer_other_region)
    assert other.get(f"/alarms/health/map/offline/?zoom=15&bbox={bbox}").json()["results"] == []
    assert other.get("/alarms/health/map/offline/").json()["results"] == []


def test_coverage_layer_is_scoped(p: Personas, offline: Device) -> None:
    data = _client(p.admin).get("/alarms/health/map/coverage/").json()
    [feature] = data["features"]
    assert feature["properties"] == {"name": "Esil", "installed": 1, "offline": 1}
    other = _client(p.viewer_other_region).get("/alarms/health/map/coverage/").json()
    assert other["features"] == []


def test_alarm_homes_layer_shows_the_point_only(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    home = household(p.astana)
    device = installed(home).device
    with django_capture_on_commit_callbacks(execute=True):
        for handler in handlers.event_handlers("alarm"):
            handler([received(device, "alarm")], acting_user=None)
    dispatcher = person("fire_astana", "dispatcher", "des-astana", "emergency", p.astana)
    [row] = _client(dispatcher).get("/alarms/health/map/alarm-homes/").json()["results"]
    assert set(row) == {"id", "lat", "lon", "status", "reported_at", "is_exercise"}
    assert (row["lat"], row["lon"]) == (home.lat, home.lon)
    assert row["is_exercise"] is False
    other = _client(p.viewer_other_region).get("/alarms/health/map/alarm-homes/").json()
    assert other["results"] == []


def test_an_exercise_alarm_is_marked_on_the_layer(
    p: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    device = installed(household(p.astana)).device
    with django_capture_on_commit_callbacks(execute=True), exercise(True):
        for handler in handlers.event_handlers("alarm"):
            handler([received(device, "alarm")], acting_user=None)
    [row] = _client(p.admin).get("/alarms/health/map/alarm-homes/").json()["results"]
    assert row["is_exercise"] is True


def test_layer_config_says_what_the_user_may_see(p: Personas) -> None:
    assert layer_config(p.admin, p.astana)["homeAlarms"]["seeDevices"] is True
    nothing = layer_config(p.no_grants, None)["homeAlarms"]
    assert (nothing["seeDevices"], nothing["seeIncidents"]) == (False, False)


def test_the_situation_map_loads_the_layers(p: Personas) -> None:
    page = _client(p.admin).get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "alarms/map-home-alarms" in body
    for box in ("layer-home-alarms", "layer-offline-devices", "layer-sensor-coverage"):
        assert f'id="{box}"' in body
    hidden = _client(p.no_grants).get("/")
    assert 'id="layer-offline-devices"' not in hidden.content.decode()
