from __future__ import annotations

from django.urls import reverse

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase, ReferenceAPITests
from saqshy.facilities import services
from saqshy.facilities.tests.factories import FacilityFactory


class RegionAPITests(ReferenceAPITests):
    basename = "region"

    def test_detail_by_slug_includes_the_boundary(self) -> None:
        self.login(self.personas.dispatcher_astana)
        body = self.client.get(reverse("api:region-detail", args=["almaty"])).json()
        self.assertEqual((body["iso_code"], body["slug"]), ("KZ-75", "almaty"))
        self.assertEqual(body["boundary"]["type"], "Polygon")
        listed = self.client.get(self.list_url()).json()["results"][0]
        self.assertNotIn("boundary", listed)

    def test_names_follow_the_language(self) -> None:
        self.login(self.personas.dispatcher_astana)
        url = reverse("api:region-detail", args=["almaty"])
        self.assertEqual(
            self.client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["display_name"], "Алматы"
        )


class AgencyAPITests(ReferenceAPITests):
    basename = "agency"

    def test_national_agencies_have_no_region(self) -> None:
        self.login(self.personas.dispatcher_astana)
        results = self.client.get(self.list_url(), {"page_size": 100}).json()["results"]
        by_code = {item["code"]: item for item in results}
        self.assertIsNone(by_code["commission"]["region"])
        self.assertEqual(by_code["police-astana"]["region"], "astana")


class NormAPITests(ReferenceAPITests):
    basename = "norm"

    def test_defaults_are_listed_with_their_source(self) -> None:
        self.login(self.personas.dispatcher_astana)
        rows = self.client.get(self.list_url(), {"code": "inspection_validity_days"}).json()
        self.assertEqual(rows["results"][0]["value"], 30)
        self.assertIsNone(rows["results"][0]["region"])


class AuditAPITests(PersonaTestCase):
    """The audit list follows the same grants as the records it describes."""

    def setUp(self) -> None:
        p = self.personas
        astana = FacilityFactory(region=p.astana)
        almaty = FacilityFactory(region=p.almaty)
        services.update_facility(acting_user=p.admin, facility=astana, capacity=10)
        services.update_facility(acting_user=p.admin, facility=almaty, capacity=20)
        self.astana_pk, self.almaty_pk = str(astana.pk), str(almaty.pk)
        self.url = reverse("api:auditentry-list")

    def object_ids(self) -> set[str]:
        response = self.client.get(self.url, {"page_size": 1000})
        self.assertEqual(response.status_code, 200, response.content)
        return {entry["object_id"] for entry in response.json()["results"]}

    def test_regional_user_sees_only_their_region(self) -> None:
        self.login(self.personas.planner_almaty)
        ids = self.object_ids()
        self.assertIn(self.almaty_pk, ids)
        self.assertNotIn(self.astana_pk, ids)

    def test_national_analyst_sees_all(self) -> None:
        self.login(self.personas.analyst_national)
        self.assertTrue({self.astana_pk, self.almaty_pk} <= self.object_ids())

    def test_viewer_role_has_no_audit_access(self) -> None:
        self.login(self.personas.viewer_other_region)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_entries_are_read_only(self) -> None:
        self.login(self.personas.admin)
        entry = AuditEntry.objects.first()
        self.assertEqual(self.client.post(self.url, {}).status_code, 405)
        detail = reverse("api:auditentry-detail", args=[entry.pk])
        self.assertEqual(self.client.delete(detail).status_code, 405)

    def test_filter_by_object(self) -> None:
        self.login(self.personas.analyst_national)
        response = self.client.get(
            self.url, {"object_type": "facilities.facility", "object_id": self.astana_pk}
        )
        self.assertEqual(response.json()["count"], 1)


class OpenAPITests(PersonaTestCase):
    def test_schema_and_docs_are_served(self) -> None:
        response = self.client.get(reverse("api:schema"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in (
            "/api/facilities/",
            "/api/regions/",
            "/api/agencies/",
            "/api/audit/",
            "/api/auth/token/",
        ):
            self.assertIn(path, paths)
        docs = self.client.get(reverse("api:docs"))
        self.assertEqual(docs.status_code, 200)
        self.assertNotContains(docs, "cdn.jsdelivr")
