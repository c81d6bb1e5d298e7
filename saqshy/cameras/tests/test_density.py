"""Crowd density: readings against the norms, one incident per episode, the hold time, the
readings' retention, snapshots only where allowed, calibration checks."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from saqshy.accounts.models import Norm
from saqshy.cameras import services
from saqshy.cameras.choices import DensityLevel
from saqshy.cameras.models import CameraSnapshot, CrowdEpisode, DensityReading
from saqshy.cameras.tests.factories import make_camera, venue
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.incidents import services as incident_services
from saqshy.incidents.models import Incident, JournalEntry

# New Year's Eve just passed, 23:00 in Astana (the services refuse a count from the future).
T0 = dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


class DensityTests(PersonaTestCase):
    def setUp(self) -> None:
        astana = self.personas.astana
        self.square = venue(astana, "Independence Square")
        # 10 m × 10 m watched: about 100 m², so 510 people are over 5 persons/m².
        self.camera = make_camera(astana, "Square north", facility=self.square)

    def at(self, minutes: float) -> dt.datetime:
        return T0 + dt.timedelta(minutes=minutes)

    def count(self, minutes: float, people: int) -> DensityReading:
        return services.record_count(
            acting_user=None, camera=self.camera, at=self.at(minutes), count=people
        )

    def crowd_incidents(self) -> list[Incident]:
        return list(Incident.objects.filter(type__code="crowd_density").order_by("id"))

    def test_levels_against_the_norms_and_the_watched_area(self) -> None:
        assert self.camera.watched_area_m2 is not None
        assert abs(self.camera.watched_area_m2 - 100) < 1
        calm, busy, packed = self.count(0, 120), self.count(1, 410), self.count(2, 520)
        assert (calm.density, calm.level) == (1.2, DensityLevel.NORMAL)
        assert busy.level == DensityLevel.WARNING
        assert packed.level == DensityLevel.CRITICAL
        assert packed.density == round(520 / self.camera.watched_area_m2, 2)
        assert len(self.crowd_incidents()) == 1  # the warning opened nothing

    def test_one_incident_while_dense_and_a_second_after_the_hold_time(self) -> None:
        opened = self.count(0, 510)
        incidents = self.crowd_incidents()
        assert len(incidents) == 1
        incident = incidents[0]
        assert (incident.lat, incident.lon) == (self.square.lat, self.square.lon)
        assert incident.address == "Independence Square street 1"
        assert incident.source == "camera" and incident.reported_at == self.at(0)
        assert opened.episode is not None and opened.episode.incident == incident
        lines = JournalEntry.objects.filter(incident=incident, code="cameras.density_opened")
        assert f"{opened.density:.2f} persons/m²" in lines.get().text
        assert AuditEntry.objects.filter(object_type="cameras.crowdepisode").count() == 1

        for minute, people in ((1, 560), (2, 430), (3, 520), (4, 300), (6, 510)):
            self.count(minute, people)
        assert self.crowd_incidents() == [incident]
        episode = CrowdEpisode.objects.get()
        assert (episode.peak_count, episode.peak_at) == (560, self.at(1))
        assert JournalEntry.objects.filter(incident=incident, code="cameras.density_peak").exists()
        assert JournalEntry.objects.filter(incident=incident, code="cameras.density_again").exists()

        # Below the warning norm from minute 7, but the incident is open: still one.
        self.count(7, 100)
        self.count(30, 520)
        assert self.crowd_incidents() == [incident]
        incident_services.close(acting_user=None, incident=incident, resolution="dispersed")
        # Closed, but below the norm for less than the hold time (10 min): still the same.
        self.count(31, 100)
        self.count(35, 530)
        assert self.crowd_incidents() == [incident]
        # Below for the hold time: the episode is over, the next crossing opens a new one.
        self.count(36, 100)
        self.count(50, 90)
        again = self.count(52, 540)
        incidents = self.crowd_incidents()
        assert len(incidents) == 2 and incidents[0] == incident
        first = CrowdEpisode.objects.get(incident=incident)
        assert first.ended_at == self.at(46)
        assert again.episode is not None and again.episode.incident == incidents[1]

    def test_the_norms_are_the_regions(self) -> None:
        Norm.objects.create(
            code="crowd_density_critical", region=self.personas.astana, value=6, unit="persons/m²"
        )
        assert self.count(0, 550).level == DensityLevel.WARNING
        assert self.crowd_incidents() == []

    def test_camera_without_watched_area_stores_the_count_and_opens_nothing(self) -> None:
        self.camera.watched_area = None
        self.camera.save()
        reading = self.count(0, 5000)
        assert (reading.density, reading.level) == (None, DensityLevel.UNKNOWN)
        assert self.crowd_incidents() == []

    def test_bad_counts_are_refused_naming_the_field(self) -> None:
        for at, people, field in (
            (self.at(0), -1, "count"),
            (self.at(0), "many", "count"),
            (self.at(0), 2.5, "count"),
            (self.at(0), True, "count"),
            (dt.datetime(2026, 12, 31, 23, 0), 10, "at"),
            (timezone.now() + dt.timedelta(hours=1), 10, "at"),
            ("2026-12-31", 10, "at"),
        ):
            with self.assertRaises(ValidationError) as refused:
                services.record_count(acting_user=None, camera=self.camera, at=at, count=people)
            assert field in refused.exception.message_dict, (at, people)
        self.camera.is_active = False
        self.camera.save()
        with self.assertRaises(ValidationError) as refused:
            self.count(0, 10)
        assert "camera" in refused.exception.message_dict
        assert DensityReading.objects.count() == 0

    def test_a_user_of_another_region_may_not_record(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.record_count(
                acting_user=self.personas.planner_almaty, camera=self.camera, at=self.at(0), count=1
            )

    def test_retention_thins_old_readings_to_the_densest_per_quarter_hour(self) -> None:
        now = T0 + dt.timedelta(days=3)
        for minute, people in ((0, 100), (2, 300), (4, 200), (16, 50)):
            self.count(minute, people)
        old = DensityReading.objects.create(
            camera=self.camera, at=now - dt.timedelta(days=91), count=1
        )
        recent = self.camera.readings.count()
        result = services.prune_readings(now=now)
        assert result == {"thinned": 2, "expired": 1}
        assert sorted(self.camera.readings.values_list("count", flat=True)) == [50, 300]
        assert not DensityReading.objects.filter(pk=old.pk).exists() and recent == 5


class SnapshotTests(PersonaTestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.camera = make_camera(self.personas.astana, "Square south")
        services.record_count(acting_user=None, camera=self.camera, at=T0, count=600)
        self.incident = Incident.objects.get(type__code="crowd_density")

    def test_refused_unless_the_owner_allows_and_nothing_is_stored(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.attach_snapshot(
                acting_user=None, camera=self.camera, incident=self.incident, image_bytes=jpeg()
            )
        assert CameraSnapshot.objects.count() == 0
        assert list(_files(self.media)) == []

    def test_stored_audited_and_noted_when_allowed(self) -> None:
        self.camera.snapshots_allowed = True
        self.camera.save()
        with self.assertRaises(ValidationError) as refused:
            services.attach_snapshot(
                acting_user=None, camera=self.camera, incident=self.incident, image_bytes=b"GIF89a"
            )
        assert "image" in refused.exception.message_dict
        kept = services.attach_snapshot(
            acting_user=None, camera=self.camera, incident=self.incident, image_bytes=jpeg()
        )
        assert (kept.width, kept.height) == (32, 24)
        assert kept.image.name.startswith(f"camera-snapshots/{self.incident.pk}/")
        assert len(list(_files(self.media))) == 1
        entry = AuditEntry.objects.get(object_type="cameras.camerasnapshot")
        assert entry.region_id == self.personas.astana.pk
        assert JournalEntry.objects.filter(incident=self.incident, code="cameras.snapshot").exists()


def _files(root: str) -> list[str]:
    import os

    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


class CalibrationTests(PersonaTestCase):
    def test_four_distinct_points_no_three_on_a_line(self) -> None:
        camera = make_camera(self.personas.astana, "Calibrated")
        camera.full_clean()
        good = dict(camera.calibration)
        cases = [
            ({**good, "image": good["image"][:3]}, "four image points"),
            ({**good, "image": [[0, 0], [0, 0], [5, 9], [9, 1]]}, "image points are the same"),
            (
                {**good, "image": [[0, 0], [10, 10], [20, 20], [0, 30]]},
                "image points lie on one line",
            ),
            ({**good, "image": [[-1, 0], [10, 10], [20, 0], [0, 30]]}, "cannot be negative"),
            ({**good, "ground": [good["ground"][0]] * 4}, "ground points are the same"),
            (
                {**good, "ground": [[71.40, 51.1], [71.41, 51.1], [71.42, 51.1], [71.4, 51.2]]},
                "ground points lie on one line",
            ),
            ({**good, "ground": [[200, 51], *good["ground"][1:]]}, "outside the globe"),
            ("not a calibration", "four image points"),
        ]
        for value, words in cases:
            camera.calibration = value
            with self.assertRaises(ValidationError) as refused:
                camera.full_clean()
            messages = refused.exception.message_dict["calibration"]
            assert any(words in m for m in messages), (value, messages)
