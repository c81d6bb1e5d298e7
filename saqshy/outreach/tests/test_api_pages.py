"""API and pages: scope in lists, exports and the API; If-Match and Idempotency-Key; kk pages."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.outreach.models import Campaign, ParentMeeting
from saqshy.outreach.tests import factories as f

EVIL = '=HYPERLINK("http://x")'


class OutreachApiPagesTests(TestCase):
    p: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = p = make_personas()
        cls.esil = f.district(p.astana, "esil")
        cls.school = f.school(
            p.astana, district=cls.esil, name="Мектеп-лицей №1", address="Сарайшық 7"
        )
        cls.mine = f.campaign(p.astana, title=EVIL, title_kk="Отшашу ойыншық емес")
        cls.theirs = f.campaign(p.almaty, title="Almaty campaign")
        cls.meeting = f.meeting(cls.school, held_by=EVIL)
        cls.their_meeting = f.meeting(f.school(p.almaty))

    def api(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def test_api_lists_only_the_callers_region(self) -> None:
        client = self.api(self.p.planner_astana)
        campaigns = client.get("/api/outreach/campaigns/").json()
        ids = {row["id"] for row in campaigns["results"]}
        assert ids == {self.mine.pk}
        meetings = client.get("/api/outreach/meetings/").json()
        assert {row["id"] for row in meetings["results"]} == {self.meeting.pk}
        assert client.get(f"/api/outreach/campaigns/{self.theirs.pk}/").status_code == 404

    def test_api_create_names_bad_fields_and_is_idempotent(self) -> None:
        client = self.api(self.p.planner_astana)
        bad = client.post(
            "/api/outreach/campaigns/",
            {
                "title": "x",
                "topic": "snow",
                "region": "astana",
                "starts_on": "2026-12-20",
                "ends_on": "2026-12-01",
                "owner": "akimat-astana",
                "channel": "tv",
                "audience": "parents",
            },
            format="json",
        )
        assert bad.status_code == 400
        assert "topic" in bad.json()
        body = {
            "title": "Қыс қауіпсіздігі",
            "topic": "cold",
            "channel": "radio",
            "audience": "public",
            "region": "astana",
            "districts": [self.esil.pk],
            "starts_on": "2026-12-20",
            "ends_on": "2027-01-10",
            "planned_reach": 300,
            "owner": "akimat-astana",
            "materials": ["https://example.kz/poster.pdf"],
        }
        first = client.post(
            "/api/outreach/campaigns/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        assert first.status_code == 201, first.content
        again = client.post(
            "/api/outreach/campaigns/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        assert again.json()["id"] == first.json()["id"]
        assert Campaign.objects.filter(region=self.p.astana).count() == 2
        nul = client.post("/api/outreach/campaigns/", {**body, "title": "a\x00b"}, format="json")
        assert nul.status_code == 400 and "title" in nul.json()
        elsewhere = client.post(
            "/api/outreach/campaigns/",
            {**body, "region": "almaty", "districts": []},
            format="json",
        )
        assert elsewhere.status_code == 403

    def test_api_patch_with_if_match(self) -> None:
        client = self.api(self.p.planner_astana)
        url = f"/api/outreach/campaigns/{self.mine.pk}/"
        etag = client.get(url)["ETag"]
        ok = client.patch(url, {"reached": 400}, format="json", HTTP_IF_MATCH=etag)
        assert ok.status_code == 200 and ok.json()["reached"] == 400
        stale = client.patch(url, {"reached": 500}, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        assert Campaign.objects.get(pk=self.mine.pk).reached == 400
        murl = f"/api/outreach/meetings/{self.meeting.pk}/"
        bad = client.patch(murl, {"topics": ["snow"], "attendees": -1}, format="json")
        assert bad.status_code == 400 and {"topics", "attendees"} <= set(bad.json())
        other = client.patch(murl, {"school": self.their_meeting.school_id}, format="json")
        assert other.status_code == 400 and "school" in other.json()

    def test_api_meeting_create_follows_the_school(self) -> None:
        client = self.api(self.p.planner_astana)
        made = client.post(
            "/api/outreach/meetings/",
            {
                "school": self.school.pk,
                "held_on": "2026-12-19",
                "attendees": 40,
                "topics": ["ice", "cold"],
                "held_by": "Police inspector A. Seitkali",
            },
            format="json",
        )
        assert made.status_code == 201, made.content
        row = ParentMeeting.objects.get(pk=made.json()["id"])
        assert (row.region_id, row.district_id) == (self.p.astana.pk, self.esil.pk)

    def test_exports_are_scoped_and_neutralised(self) -> None:
        self.client.force_login(self.p.planner_astana)
        for name in ("outreach:campaigns", "outreach:meetings"):
            for query in ({}, {"region": "almaty"}):
                response = self.client.get(reverse(name), {**query, "format": "xlsx"})
                sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
                assert sheet is not None
                rows = [list(r) for r in sheet.iter_rows(values_only=True)]
                region = rows[0].index("Region")
                assert {row[region] for row in rows[1:]} <= {"Astana"}, (name, query)
                if not query:
                    assert len(rows) == 2
                    assert "'" + EVIL in rows[1]
                    assert EVIL not in rows[1]

    def test_pages_render_in_kazakh(self) -> None:
        self.client.force_login(self.p.planner_astana)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
        pages = [
            reverse("outreach:campaigns"),
            reverse("outreach:campaign", args=[self.mine.pk]),
            reverse("outreach:campaign-edit", args=[self.mine.pk]),
            reverse("outreach:campaign-create"),
            reverse("outreach:meetings"),
            reverse("outreach:meeting-create") + "?school_q=Сарайшық",
            reverse("outreach:meeting", args=[self.meeting.pk]),
            reverse("outreach:progress"),
        ]
        for url in pages:
            response = self.client.get(url)
            assert response.status_code == 200, url
        listing = self.client.get(reverse("outreach:campaigns")).content.decode()
        assert "Отшашу ойыншық емес" in listing and "Almaty campaign" not in listing
        assert "Ақпараттық науқандар" in listing
        picker = self.client.get(reverse("outreach:meeting-create") + "?school_q=Сарайшық")
        assert "Мектеп-лицей №1 — Сарайшық 7" in picker.content.decode()
        progress = self.client.get(reverse("outreach:progress")).content.decode()
        assert "Аудандар бойынша барысы" in progress
        other = self.client.get(reverse("outreach:campaign", args=[self.theirs.pk]))
        assert other.status_code == 404

    def test_progress_counts_per_district(self) -> None:
        self.client.force_login(self.p.planner_astana)
        f.school(self.p.astana, district=self.esil)
        f.meeting(self.school, held_on=dt.date(2026, 12, 21), attendees=10, topics=["trips"])
        response = self.client.get(
            reverse("outreach:progress"), {"from": "2026-12-01", "to": "2027-01-15"}
        )
        rows = response.context["rows"]
        esil = next(row for row in rows if row.district == self.esil)
        assert (esil.schools, esil.schools_met, esil.meetings, esil.attendees) == (2, 1, 2, 35)
        assert esil.share == 50 and esil.campaigns_running == 1
        assert esil.topics == {"fireworks": 1, "ice": 1, "trips": 1}
        total = response.context["total"]
        assert total.campaigns_running == 1 and total.planned_reach == 1000

    def test_forms_save_through_the_services(self) -> None:
        self.client.force_login(self.p.planner_astana)
        response = self.client.post(
            reverse("outreach:meeting-create"),
            {
                "school": self.school.pk,
                "held_on": "2026-12-22",
                "attendees": "18",
                "topics": ["ice", "supervision"],
                "grade": "5 «Ә»",
            },
        )
        assert response.status_code == 302
        made = ParentMeeting.objects.latest("pk")
        assert made.region_id == self.p.astana.pk and made.grade == "5 «Ә»"
        response = self.client.post(
            reverse("outreach:campaign-reach", args=[self.mine.pk]), {"reached": "777"}
        )
        assert Campaign.objects.get(pk=self.mine.pk).reached == 777
        response = self.client.post(
            reverse("outreach:campaign-move", args=[self.mine.pk, "finish"])
        )
        assert Campaign.objects.get(pk=self.mine.pk).status == "finished"
