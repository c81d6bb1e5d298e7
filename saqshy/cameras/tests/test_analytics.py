"""The analytics worker on the real PETS 2009 crowd video (``<repo>/../shared/data/vision``,
skipped when absent): it counts the frames it is given within the counter's reported error,
and a density over the critical norm on a calibrated camera opens one incident that stays one
while the density lasts."""

from __future__ import annotations

import csv
import math
import shutil
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from saqshy.cameras.analytics import analyse, watched_mask
from saqshy.cameras.models import Camera, CameraSnapshot, CrowdEpisode, DensityReading
from saqshy.cameras.tests.factories import make_camera, square, venue
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.incidents.models import Incident

VISION = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "vision"
VIDEO = VISION / "pets2009_s2l1_480x360.avi"
COUNTS = VISION / "pets2009_s2l1_counts_frames_1_400.csv"
# The whole 480 × 360 picture, bottom-left corner first, matched to a square on the ground.
FRAME = [[0, 359], [479, 359], [479, 0], [0, 0]]
# docs/benchmarks.md, "People counting": 0.88 people per frame over frames 1-400.
REPORTED_MAE = 0.88


def _pets() -> None:
    for path in (VIDEO, COUNTS):
        if not path.exists():
            pytest.skip(reason=f"PETS 2009 data absent: {path.resolve()} not found")


class AnalyticsTests(PersonaTestCase):
    def camera(self, side_m: float, name: str) -> Camera:
        astana = self.personas.astana
        field = venue(astana, "Independence Square")
        camera = make_camera(astana, name, side_m=side_m, facility=field)
        ring = square(camera.lat, camera.lon, side_m)["coordinates"][0][:4]
        camera.calibration = {"image": FRAME, "ground": ring}
        camera.stream_url = str(VIDEO)
        camera.save()
        return camera

    def test_the_worker_counts_the_frames_it_is_given_within_the_reported_error(self) -> None:
        _pets()
        camera = self.camera(200, "Plaza overview")
        # The watched area is the whole picture: the mask covers every pixel.
        assert watched_mask(camera, (360, 480)).mean() > 0.99 * 255
        done = analyse(camera, frames=(1, 400), every=10)
        truth = {int(r["frame"]): int(r["count"]) for r in csv.DictReader(COUNTS.open())}
        assert [f.frame for f in done.frames] == list(range(1, 401))
        errors = np.array([f.count - truth[f.frame] for f in done.frames])
        assert np.abs(errors).mean() <= REPORTED_MAE + 0.05
        # A reading per 10 s of video (the last one shorter); about 6 people in 40,000 m².
        capture = cv2.VideoCapture(str(VIDEO))
        per_reading = round(10 * capture.get(cv2.CAP_PROP_FPS))
        capture.release()
        assert DensityReading.objects.filter(camera=camera).count() == math.ceil(400 / per_reading)
        assert all(r.density is not None and r.density < 0.01 for r in done.readings)
        assert not Incident.objects.filter(type__code="crowd_density").exists()

    def test_a_critical_density_opens_one_incident_that_stays_one(self) -> None:
        _pets()
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        # The same picture said to show 1 m²: the 4-8 walkers make 4-8 persons per m².
        camera = self.camera(1, "Gate close-up")
        camera.snapshots_allowed = True
        camera.save()
        with override_settings(MEDIA_ROOT=media):
            done = analyse(camera, frames=(201, 400), every=2)
        critical = [r for r in done.readings if r.level == "critical"]
        assert len(done.readings) >= 10 and len(critical) >= 5
        incidents = Incident.objects.filter(type__code="crowd_density")
        assert incidents.count() == 1
        episode = CrowdEpisode.objects.get()
        assert episode.incident == incidents.get()
        first = next(i for i, r in enumerate(done.readings) if r.level == "critical")
        assert all(r.episode_id == episode.pk for r in done.readings[first:])
        # The owner allows it: the frame that opened the incident is kept with it, once.
        [snapshot] = CameraSnapshot.objects.all()
        assert snapshot.incident == episode.incident and snapshot.camera == camera
        assert AuditEntry.objects.filter(object_type="cameras.camerasnapshot").count() == 1

    def test_no_picture_is_kept_when_the_owner_does_not_allow_it(self) -> None:
        _pets()
        camera = self.camera(1, "Private close-up")
        analyse(camera, frames=(201, 260), every=2)
        assert Incident.objects.filter(type__code="crowd_density").count() == 1
        assert not CameraSnapshot.objects.exists()

    def test_a_camera_that_cannot_be_analysed_is_refused_with_the_reason(self) -> None:
        camera = make_camera(self.personas.astana, "No stream")
        with pytest.raises(ValueError, match="no stream"):
            analyse(camera)
        with pytest.raises(CommandError, match="no stream"):
            call_command("analyse_camera", camera.pk)
        with pytest.raises(CommandError, match="does not exist"):
            call_command("analyse_camera", 999999)
        assert not DensityReading.objects.exists()
