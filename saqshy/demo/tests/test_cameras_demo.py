"""The demo's cameras: calibrated over the season's squares, three hours of counts, one at the
warning norm and none critical; a second run adds no camera and no count twice."""

from __future__ import annotations

import pytest

from saqshy.cameras.choices import DensityLevel
from saqshy.cameras.models import Camera, DensityReading
from saqshy.cameras.queries import cameras_near, with_latest
from saqshy.core.testing.personas import make_personas
from saqshy.demo.cameras import CAMERAS, load_cameras
from saqshy.demo.season import SQUARES
from saqshy.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_load_cameras_is_idempotent_with_one_camera_at_warning() -> None:
    make_personas()
    first = load_cameras("astana")
    assert first.created == len(CAMERAS) and first.readings >= len(CAMERAS) * 36
    assert first.warning == "Тәуелсіздік алаңы, шырша"
    cameras = list(with_latest(Camera.objects.all()))
    for camera in cameras:
        assert camera.calibration and 400 <= (camera.watched_area_m2 or 0) <= 1300, camera
        assert camera.address
    levels = {c.name: c.latest_level for c in cameras}
    assert levels.pop("Тәуелсіздік алаңы, шырша") == DensityLevel.WARNING
    assert set(levels.values()) == {DensityLevel.NORMAL}
    assert not Incident.objects.filter(type__code="crowd_density").exists()
    # Every outdoor event of the season has a camera within 500 m.
    for name, _kind, lat, lon, _people in SQUARES:
        assert cameras_near(lat, lon, 500), name
    readings = DensityReading.objects.count()
    second = load_cameras("astana")
    assert second.created == 0 and second.readings <= len(CAMERAS)
    assert Camera.objects.count() == len(CAMERAS)
    assert DensityReading.objects.count() == readings + second.readings
