from __future__ import annotations

from rest_framework.test import APIClient

from saqshy.core.versioning import etag
from saqshy.reports import services
from saqshy.reports.tests.base import DAY, ReportTestCase


class ApiTests(ReportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = services.open_report(
            acting_user=self.user("coordinator_astana"), region=self.p.astana, day=DAY
        )
        self.api = APIClient()

    def as_(self, name: str) -> APIClient:
        self.api.force_authenticate(self.people.get(name) or getattr(self.p, name))
        return self.api

    def test_list_is_scoped(self) -> None:
        ids = [
            r["id"] for r in self.as_("coordinator_almaty").get("/api/reports/").json()["results"]
        ]
        self.assertNotIn(self.report.pk, ids)
        response = self.as_("coordinator_almaty").post(f"/api/reports/{self.report.pk}/submit/")
        self.assertEqual(response.status_code, 404)
        ids = [r["id"] for r in self.as_("analyst_national").get("/api/reports/").json()["results"]]
        self.assertIn(self.report.pk, ids)

    def test_workflow_with_if_match_and_separation(self) -> None:
        url = f"/api/reports/{self.report.pk}/"
        stale = etag(self.report)
        api = self.as_("coordinator_astana")
        self.assertEqual(api.post(url + "fill/").status_code, 200)
        self.assertEqual(api.post(url + "submit/", HTTP_IF_MATCH=stale).status_code, 412)
        current = api.get(url)["ETag"]
        self.assertEqual(api.post(url + "submit/", HTTP_IF_MATCH=current).status_code, 200)
        # The coordinator has no approval right: 403.
        self.assertEqual(api.post(url + "approve/").status_code, 403)
        self.assertEqual(self.as_("head_almaty").post(url + "approve/").status_code, 404)
        head = self.as_("head_astana")
        self.assertEqual(head.post(url + "return/", {"reason": ""}).status_code, 400)
        self.assertEqual(head.post(url + "approve/").status_code, 200)
        self.assertEqual(head.post(url + "approve/").status_code, 409)
        response = self.as_("secretary").post(url + "publish/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "published")
