from __future__ import annotations

import datetime as dt
import io
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from saqshy.actionplan import evidence
from saqshy.actionplan.models import Measure
from saqshy.actionplan.tests import helpers
from saqshy.core import versioning
from saqshy.core.models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="actionplan-test-"))
class ActionPlanPageTests(PersonaTestCase):
    client_class = Client

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.secretary = helpers.secretary()
        today = timezone.localdate()
        cls.current = helpers.measure(
            "6.1", starts_on=today - dt.timedelta(days=5), deadline=today + dt.timedelta(days=20)
        )
        cls.late = helpers.measure(
            "9.1",
            indicator_code="",
            national_target=None,
            starts_on=today - dt.timedelta(days=20),
            deadline=today - dt.timedelta(days=2),
            status="in_progress",
        )

    def setUp(self) -> None:
        self.page = helpers.fake_indicators()
        self.page.__enter__()
        self.addCleanup(self.page.__exit__, None, None, None)

    def _web(self, user: Any) -> None:
        self.client.force_login(user)

    def test_the_plan_shows_overdue_first_and_filters(self) -> None:
        self._web(self.personas.analyst_national)
        response = self.client.get(reverse("actionplan:list"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertLess(html.index('data-code="9.1"'), html.index('data-code="6.1"'))
        self.assertIn('data-overdue="1"', html)
        only = self.client.get(reverse("actionplan:list"), {"overdue": "1"}).content.decode()
        self.assertNotIn('data-code="6.1"', only)
        region = self.client.get(reverse("actionplan:list"), {"region": self.personas.astana.pk})
        self.assertEqual(region.status_code, 200)

    def test_the_plan_exports_as_filtered_with_overdue_first(self) -> None:
        self._web(self.personas.analyst_national)
        response = self.client.get(reverse("actionplan:list"), {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, *lines = list(sheet.iter_rows(values_only=True))
        self.assertEqual(header[:2], ("No.", "Measure"))
        self.assertEqual([line[0] for line in lines], ["9.1", "6.1"])
        self.assertEqual(lines[0][header.index("Overdue")], "yes")
        only = self.client.get(reverse("actionplan:list"), {"overdue": "1", "format": "csv"})
        self.assertEqual(only.content.decode("utf-8-sig").count("6.1"), 0)
        entry = AuditEntry.objects.filter(action="export").latest("id")
        self.assertEqual(entry.object_type, "actionplan.measure")
        self.assertEqual(entry.after["filters"], {"overdue": "1"})

    def test_pages_render_in_kazakh_and_russian(self) -> None:
        self._web(self.personas.analyst_national)
        for language, word in (("kk", "Іс-шаралар жоспары"), ("ru", "План мероприятий")):
            self.client.cookies["django_language"] = language
            for url in (
                reverse("actionplan:list"),
                reverse("actionplan:detail", args=[self.current.pk]),
                reverse("actionplan:detail", args=[self.late.pk]),
            ):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertIn(word, response.content.decode())
            self.assertIn(
                self.current.title_ru if language == "ru" else self.current.title_kk,
                self.client.get(reverse("actionplan:list")).content.decode(),
            )

    def test_an_analyst_cannot_edit(self) -> None:
        self._web(self.personas.analyst_national)
        url = reverse("actionplan:edit", args=[self.current.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"status": "done"}).status_code, 403)
        evidence_url = reverse("actionplan:evidence", args=[self.current.pk])
        self.assertEqual(self.client.post(evidence_url, {"evidence_link": "/x/"}).status_code, 403)

    def _form(self, measure: Measure, **changes: Any) -> dict[str, Any]:
        data = {
            "title_kk": measure.title_kk,
            "title_ru": measure.title_ru,
            "title_en": measure.title_en,
            "brief_line": measure.brief_line,
            "owner": measure.owner_id,
            "starts_on": measure.starts_on.isoformat(),
            "deadline": measure.deadline.isoformat(),
            "indicator_code": measure.indicator_code,
            "national_target": measure.national_target or "",
            "status": measure.status,
            "evidence_link": measure.evidence_link,
            "notes": measure.notes,
            "version": versioning.version_of(measure),
        }
        data.update(changes)
        return data

    def test_the_secretary_edits_and_a_stale_form_is_refused(self) -> None:
        self._web(self.secretary)
        url = reverse("actionplan:edit", args=[self.current.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        stale = self._form(self.current)
        response = self.client.post(url, self._form(self.current, status="in_progress"))
        self.assertEqual(response.status_code, 302)
        self.current.refresh_from_db()
        self.assertEqual(self.current.status, "in_progress")
        response = self.client.post(url, {**stale, "notes": "late edit"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("changed by someone else", response.content.decode())
        self.current.refresh_from_db()
        self.assertEqual(self.current.notes, "")

    def test_the_secretary_sets_and_removes_regional_targets(self) -> None:
        self._web(self.secretary)
        url = reverse("actionplan:edit", args=[self.current.pk])
        astana = f"targets-region_{self.personas.astana.pk}"
        response = self.client.post(url, {**self._form(self.current), astana: "600"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.current.targets.get().target, 600)
        self.current.refresh_from_db()
        response = self.client.post(url, {**self._form(self.current), astana: ""})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.current.targets.exists())

    def test_an_unknown_indicator_cannot_be_chosen(self) -> None:
        self._web(self.secretary)
        url = reverse("actionplan:edit", args=[self.current.pk])
        response = self.client.post(url, self._form(self.current, indicator_code="made_up"))
        self.assertEqual(response.status_code, 200)
        self.current.refresh_from_db()
        self.assertEqual(self.current.indicator_code, "venues_inspected")

    def _upload(self, name: str, content: bytes) -> Any:
        return self.client.post(
            reverse("actionplan:evidence", args=[self.current.pk]),
            {
                "evidence_file": SimpleUploadedFile(name, content),
                "evidence_link": "/inspections/",
                "version": versioning.version_of(Measure.objects.get(pk=self.current.pk)),
            },
        )

    def test_evidence_upload_and_download(self) -> None:
        self._web(self.secretary)
        self.assertEqual(self._upload("report.pdf", PDF).status_code, 302)
        self.current.refresh_from_db()
        self.assertEqual(self.current.evidence_name, "report.pdf")
        self.assertEqual(self.current.evidence_link, "/inspections/")
        self._web(self.personas.viewer_other_region)
        response = self.client.get(reverse("actionplan:evidence-file", args=[self.current.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_evidence_limits(self) -> None:
        self._web(self.secretary)
        for name, content in (
            ("tool.exe", b"MZ\x90\x00"),
            ("report.pdf", b"MZ\x90\x00 not a pdf"),
            ("notes.txt", b"hello"),
        ):
            self._upload(name, content)
            self.current.refresh_from_db()
            self.assertFalse(self.current.evidence_file, name)
        original = evidence.MAX_BYTES
        evidence.MAX_BYTES = 16
        try:
            self._upload("big.pdf", PDF)
        finally:
            evidence.MAX_BYTES = original
        self.current.refresh_from_db()
        self.assertFalse(self.current.evidence_file)

    def test_a_bad_link_is_refused(self) -> None:
        self._web(self.secretary)
        self.client.post(
            reverse("actionplan:evidence", args=[self.current.pk]),
            {"evidence_link": "javascript:alert(1)"},
        )
        self.current.refresh_from_db()
        self.assertEqual(self.current.evidence_link, "")


class ActionPlanAPITests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.secretary = helpers.secretary()
        cls.current = helpers.measure()

    def setUp(self) -> None:
        patch = helpers.fake_indicators()
        patch.__enter__()
        self.addCleanup(patch.__exit__, None, None, None)

    def test_list_and_detail_carry_progress(self) -> None:
        self.login(self.personas.analyst_national)
        listed = self.client.get(reverse("api:measure-list"))
        self.assertEqual(listed.status_code, 200)
        first = listed.json()["results"][0] if "results" in listed.json() else listed.json()[0]
        self.assertEqual(first["code"], "6.1")
        self.assertIn("progress", first)
        detail = self.client.get(reverse("api:measure-detail", args=[self.current.pk]))
        self.assertTrue(detail.has_header("ETag"))

    def test_analyst_cannot_change(self) -> None:
        self.login(self.personas.analyst_national)
        url = reverse("api:measure-detail", args=[self.current.pk])
        self.assertEqual(self.client.patch(url, {"status": "done"}).status_code, 403)

    def test_secretary_changes_with_if_match_and_stale_is_412(self) -> None:
        self.login(self.secretary)
        url = reverse("api:measure-detail", args=[self.current.pk])
        etag = self.client.get(url)["ETag"]
        response = self.client.patch(url, {"status": "in_progress"}, HTTP_IF_MATCH=etag)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "in_progress")
        stale = self.client.patch(url, {"status": "done"}, HTTP_IF_MATCH=etag)
        self.assertEqual(stale.status_code, 412)
        self.current.refresh_from_db()
        self.assertEqual(self.current.status, "in_progress")

    def test_bad_changes_are_refused_naming_the_field(self) -> None:
        self.login(self.secretary)
        url = reverse("api:measure-detail", args=[self.current.pk])
        for body, field in (
            ({"deadline": "2026-12-01"}, "deadline"),
            ({"indicator_code": "made_up"}, "indicator_code"),
            ({"evidence_link": "javascript:alert(1)"}, "evidence_link"),
            ({"national_target": -5}, "national_target"),
        ):
            response = self.client.patch(url, body)
            self.assertEqual(response.status_code, 400, body)
            self.assertIn(field, response.content.decode(), body)
        self.current.refresh_from_db()
        self.assertEqual(self.current.indicator_code, "venues_inspected")
