"""The inspector in the field: photo evidence, "all items passed", separation of duties, and
the start page after signing in."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from saqshy.accounts.models import Norm
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.inspections import photos
from saqshy.inspections.models import Inspection, InspectionPhoto, Violation
from saqshy.inspections.tests.factories import (
    InspectionFactory,
    ViolationFactory,
    second_inspector,
)
from saqshy.prevention.models import Campaign


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (3000, 1500)) -> bytes:
    """A phone-like photo: EXIF with a GPS position, a camera model and an orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 7.0, 41.0), 3: "E", 4: (71.0, 25.0, 48.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name: str = "p.jpg", kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


class MediaTestCase(PersonaTestCase, abstract=True):
    def setUp(self) -> None:
        super().setUp()
        self.media = tempfile.mkdtemp()
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, self.media, True)


class PhotoCleaningTests(MediaTestCase):
    def test_exif_and_gps_are_stripped_and_the_photo_shrunk(self) -> None:
        original = jpeg_with_gps()
        self.assertIn(GPS_IFD, Image.open(io.BytesIO(original)).getexif())
        clean = photos.clean(io.BytesIO(original), size=len(original))
        result = Image.open(io.BytesIO(clean.content))
        self.assertEqual(result.format, "JPEG")
        self.assertEqual(dict(result.getexif()), {})
        self.assertNotIn("exif", result.info)
        self.assertEqual((clean.width, clean.height), (2048, 1024))
        self.assertNotIn(b"Phone X", clean.content)

    def test_orientation_is_applied_to_the_pixels(self) -> None:
        image = Image.new("RGB", (400, 200))
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° clockwise to display
        out = io.BytesIO()
        image.save(out, format="JPEG", exif=exif)
        clean = photos.clean(io.BytesIO(out.getvalue()), size=out.tell())
        self.assertEqual((clean.width, clean.height), (200, 400))

    def test_not_a_photo_and_too_large_are_refused(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaisesMessage(ValidationError, "Only JPEG, PNG or WebP"):
            photos.clean(io.BytesIO(b"<svg onload=alert(1)>"), size=22)
        gif = io.BytesIO()
        Image.new("RGB", (10, 10)).save(gif, format="GIF")
        with self.assertRaisesMessage(ValidationError, "Only JPEG, PNG or WebP"):
            photos.clean(gif, size=gif.tell())
        with self.assertRaisesMessage(ValidationError, "at most 8 MB"):
            photos.clean(io.BytesIO(b"x"), size=photos.MAX_UPLOAD_BYTES + 1)


class InspectionFormTests(MediaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.facility: Any = FacilityFactory(region=self.personas.almaty, kind="school")
        self.url = reverse("inspections:record", args=[self.facility.pk])
        self.client.force_login(self.personas.inspector_almaty)

    def _all_passed(self) -> dict[str, Any]:
        from saqshy.inspections.models import ChecklistItem

        return {
            f"item-{item.code}": "pass" for item in ChecklistItem.objects.filter(active=True)
        } | {"on": str(today())}

    def test_page_offers_all_passed_and_a_photo_field(self) -> None:
        response = self.client.get(reverse("inspections:facility", args=[self.facility.pk]))
        self.assertContains(response, "data-all-passed")
        self.assertContains(response, "All items passed")
        self.assertContains(response, 'name="photos"')
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, "inspections/field.js")
        self.assertContains(response, "inspections/field.css")

    def test_photo_is_stored_beside_the_inspection_without_metadata(self) -> None:
        data = self._all_passed() | {"photos": upload(jpeg_with_gps())}
        response = self.client.post(self.url, data, format="multipart", follow=True)
        self.assertContains(response, "Inspection recorded.")
        inspection = Inspection.objects.get(facility=self.facility)
        [photo] = inspection.photos.all()
        self.assertEqual(photo.uploaded_by, self.personas.inspector_almaty)
        self.assertTrue(photo.image.name.startswith(f"inspections/{inspection.pk}/"))
        with photo.image.open("rb") as handle:
            stored = handle.read()
        self.assertNotIn(b"Phone X", stored)
        self.assertEqual(dict(Image.open(io.BytesIO(stored)).getexif()), {})
        self.assertEqual(max(photo.width, photo.height), 2048)
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="inspections.inspectionphoto", action="create"
            ).exists()
        )
        self.assertEqual(Violation.objects.filter(facility=self.facility).count(), 0)
        self.assertContains(response, reverse("inspections:photo", args=[photo.pk]))

    def test_a_bad_photo_changes_nothing(self) -> None:
        data = self._all_passed() | {"photos": upload(b"MZ\x90\x00", "evil.jpg")}
        response = self.client.post(self.url, data, format="multipart", follow=True)
        self.assertContains(response, "Only JPEG, PNG or WebP")
        self.assertFalse(Inspection.objects.filter(facility=self.facility).exists())
        self.assertFalse(InspectionPhoto.objects.exists())


class PhotoAccessTests(MediaTestCase):
    def setUp(self) -> None:
        super().setUp()
        from saqshy.inspections import services

        inspection = InspectionFactory(facility=FacilityFactory(region=self.personas.almaty))
        content = jpeg_with_gps((300, 200))
        [self.photo] = services.attach_photos(
            acting_user=self.personas.inspector_almaty,
            inspection=inspection,
            photos=[services.PhotoUpload(io.BytesIO(content), len(content))],
        )
        self.url = reverse("inspections:photo", args=[self.photo.pk])

    def test_in_scope_user_gets_the_photo_and_the_read_is_audited(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertIn("private", response["Cache-Control"])
        self.assertEqual(b"".join(response.streaming_content)[:2], b"\xff\xd8")
        read = AuditEntry.objects.get(object_type="inspections.inspectionphoto", action="read")
        self.assertEqual(read.object_id, str(self.photo.pk))

    def test_out_of_scope_and_anonymous_get_nothing(self) -> None:
        self.client.force_login(self.personas.viewer_other_region)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.assertFalse(AuditEntry.objects.filter(action="read").exists())


class SeparationOfDutiesTests(MediaTestCase):
    def setUp(self) -> None:
        super().setUp()
        inspection = InspectionFactory(facility=FacilityFactory(region=self.personas.almaty))
        self.violation = ViolationFactory(inspection=inspection)
        self.eliminator = self.personas.inspector_almaty
        self.verifier = second_inspector()
        self.client.force_login(self.eliminator)
        response = self.client.post(
            reverse("inspections:violation", args=[self.violation.pk, "eliminate"]),
            {"on": str(today()), "photos": upload(jpeg_with_gps((400, 300)))},
            format="multipart",
        )
        self.assertEqual(response.status_code, 302)
        self.violation.refresh_from_db()
        self.page = reverse("inspections:facility", args=[self.violation.facility_id])
        self.verify_page = reverse("inspections:violation", args=[self.violation.pk, "verify"])
        self.verify_api = reverse("api:violation-verify", args=[self.violation.pk])

    def test_eliminator_is_recorded(self) -> None:
        self.assertEqual(self.violation.status, "eliminated")
        self.assertEqual(self.violation.eliminated_by, self.eliminator)
        self.assertEqual(self.violation.photos.count(), 1)

    def test_eliminator_cannot_verify_on_the_page(self) -> None:
        response = self.client.get(self.page)
        self.assertContains(response, "another inspector must verify it")
        self.assertNotContains(response, 'class="verify"')
        response = self.client.post(self.verify_page, {"on": str(today())}, format="multipart")
        self.assertContains(response, "another inspector must verify it", status_code=403)
        self.assertEqual(Violation.objects.get(pk=self.violation.pk).status, "eliminated")

    def test_eliminator_cannot_verify_through_the_api(self) -> None:
        self.login(self.eliminator)
        response = self.client.post(self.verify_api, {"inspected_on": str(today())})
        self.assertEqual(response.status_code, 403)
        self.assertIn("separation of duties", response.json()["detail"])
        self.assertEqual(Violation.objects.get(pk=self.violation.pk).status, "eliminated")
        self.assertFalse(Inspection.objects.filter(is_reinspection=True).exists())

    def test_another_inspector_verifies_and_sees_the_photo_of_the_fix(self) -> None:
        self.client.force_login(self.verifier)
        response = self.client.get(self.page)
        [photo] = self.violation.photos.all()
        self.assertContains(response, reverse("inspections:photo", args=[photo.pk]))
        self.assertContains(response, 'class="verify"')
        response = self.client.post(
            self.verify_page, {"on": str(today())}, format="multipart", follow=True
        )
        self.assertContains(response, "Elimination verified")
        self.assertEqual(Violation.objects.get(pk=self.violation.pk).status, "verified")

    def test_a_region_may_switch_the_rule_off_in_its_data(self) -> None:
        Norm.objects.create(
            code="violation_verifier_independent", region=self.personas.almaty, value=0
        )
        self.login(self.eliminator)
        response = self.client.post(self.verify_api, {"inspected_on": str(today())})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "verified")


class StartPageTests(PersonaTestCase):
    def test_inspector_lands_on_the_work_queue(self) -> None:
        Campaign.objects.create(
            name="Schools before September",
            region=self.personas.almaty,
            facility_kinds=["school"],
            starts_on=today() - dt.timedelta(days=3),
            deadline=today() + dt.timedelta(days=30),
        )
        FacilityFactory(region=self.personas.almaty, kind="school", name="School 7")
        response = self.client.post(
            reverse("login"),
            {"username": "inspector_almaty", "password": "pw-inspector_almaty"},
            format="multipart",
            follow=True,
        )
        self.assertEqual(response.redirect_chain[-1][0], reverse("prevention:queue"))
        self.assertContains(response, "Schools before September")
        self.assertContains(response, "School 7")

    def test_other_roles_still_land_on_the_map(self) -> None:
        response = self.client.post(
            reverse("login"),
            {"username": "planner_almaty", "password": "pw-planner_almaty"},
            format="multipart",
            follow=True,
        )
        self.assertEqual(response.redirect_chain[-1][0], reverse("situation:map"))


class PhotoAPITests(MediaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.inspection = InspectionFactory(facility=FacilityFactory(region=self.personas.almaty))
        self.url = reverse("api:inspection-photos", args=[self.inspection.pk])

    def test_upload_then_listed_with_the_inspection(self) -> None:
        self.login(self.personas.inspector_almaty)
        response = self.client.post(
            self.url, {"photos": [upload(jpeg_with_gps((800, 600)))]}, format="multipart"
        )
        self.assertEqual(response.status_code, 201, response.content)
        [photo] = response.json()
        self.assertEqual((photo["width"], photo["height"]), (800, 600))
        stored = InspectionPhoto.objects.get(pk=photo["id"])
        with stored.image.open("rb") as handle:
            self.assertNotIn(b"Phone X", handle.read())
        detail = self.client.get(reverse("api:inspection-detail", args=[self.inspection.pk]))
        self.assertEqual([p["url"] for p in detail.json()["photos"]], [photo["url"]])

    def test_bad_file_is_a_400_naming_the_field_and_stores_nothing(self) -> None:
        self.login(self.personas.inspector_almaty)
        good, bad = upload(jpeg_with_gps((80, 60))), upload(b"not an image", "x.jpg")
        response = self.client.post(self.url, {"photos": [good, bad]}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("photos", response.json())
        self.assertFalse(InspectionPhoto.objects.exists())

    def test_readers_and_other_regions_may_not_upload(self) -> None:
        self.login(self.personas.analyst_national)
        response = self.client.post(
            self.url, {"photos": [upload(jpeg_with_gps((80, 60)))]}, format="multipart"
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.personas.viewer_other_region)
        response = self.client.post(
            self.url, {"photos": [upload(jpeg_with_gps((80, 60)))]}, format="multipart"
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertFalse(InspectionPhoto.objects.exists())


class BackfillTests(PersonaTestCase):
    def test_the_eliminating_user_is_read_back_from_the_audit_trail(self) -> None:
        import importlib

        from django.apps import apps

        from saqshy.inspections import services

        migration = importlib.import_module(
            "saqshy.inspections.migrations.0004_backfill_eliminated_by"
        )
        inspection = InspectionFactory(facility=FacilityFactory(region=self.personas.almaty))
        by_person, by_system = (
            ViolationFactory(inspection=inspection),
            ViolationFactory(inspection=inspection),
        )
        services.mark_eliminated(
            acting_user=self.personas.inspector_almaty, violation=by_person, eliminated_on=today()
        )
        services.mark_eliminated(acting_user=None, violation=by_system, eliminated_on=today())
        # As the rows stood before the column existed.
        Violation.objects.update(eliminated_by=None)
        migration.backfill(apps, None)
        self.assertEqual(
            Violation.objects.get(pk=by_person.pk).eliminated_by, self.personas.inspector_almaty
        )
        self.assertIsNone(Violation.objects.get(pk=by_system.pk).eliminated_by)
