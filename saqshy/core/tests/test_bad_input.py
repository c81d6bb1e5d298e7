"""Bad input answers 4xx naming the field and changes nothing (each case was a 500 before).

The NUL cases matter on PostgreSQL, which cannot compare or store text with NUL (CI runs this
module on SQLite and on PostgreSQL); on SQLite they show the same refusal.
"""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from saqshy.core.audit_models import AuditEntry
from saqshy.core.importing import ImportFileError, read_rows
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty.tests.factories import PersonFactory, ShiftFactory
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.importer import import_gatherings
from saqshy.gatherings.models import Gathering


class NullCharacterTests(PersonaTestCase):
    def setUp(self) -> None:
        self.login(self.personas.admin)

    def test_nul_in_a_url_lookup_is_refused(self) -> None:
        response = self.client.get("/api/regions/ast%00ana/")
        self.assertEqual(response.status_code, 400)

    def test_nul_in_a_query_parameter_is_refused_naming_it(self) -> None:
        response = self.client.get("/api/facilities/", {"name": "a\x00"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())

    def test_nul_in_a_json_body_is_refused_naming_the_field(self) -> None:
        before = Facility.objects.count()
        response = self.client.post(
            "/api/facilities/",
            {"kind": "school", "name": "ok", "region": "ast\x00ana", "lat": 51.1, "lon": 71.4},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("region", response.json())
        self.assertEqual(Facility.objects.count(), before)

    def test_nul_in_a_page_form_is_refused(self) -> None:
        browser = Client()
        browser.force_login(self.personas.admin)
        response = browser.get(reverse("facilities:list"), {"q": "x\x00"})
        self.assertEqual(response.status_code, 400)

    def test_nul_in_a_csv_cell_names_the_line(self) -> None:
        data = io.BytesIO(b"name,kind\nA,fair\nB\x00,fair\n")
        with self.assertRaisesMessage(ImportFileError, "Line 3"):
            list(read_rows("e.csv", data, required=["name"]))

    def test_nul_in_an_imported_venue_changes_nothing(self) -> None:
        FacilityFactory(region=self.personas.almaty, osm_ref="way/1")
        text = (
            "name,kind,venue,starts_at,ends_at,expected_attendance,organiser\n"
            "Fair,fair,way/1\x00,2027-01-02 10:00,2027-01-02 12:00,100,Akimat\n"
        )
        with self.assertRaises(ImportFileError):
            import_gatherings(
                acting_user=self.personas.planner_almaty,
                name="e.csv",
                data=io.BytesIO(text.encode()),
            )
        self.assertEqual(Gathering.objects.count(), 0)


class MalformedInputTests(PersonaTestCase):
    def setUp(self) -> None:
        self.login(self.personas.admin)

    def test_deeply_nested_json_is_a_400(self) -> None:
        before = AuditEntry.objects.count()
        body = "[" * 50_000 + "]" * 50_000
        response = self.client.post("/api/facilities/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_moderately_nested_json_is_a_400(self) -> None:
        body = '{"name": ' + "[" * 500 + "]" * 500 + "}"
        response = self.client.post("/api/facilities/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)

    def test_a_period_to_year_9999_names_the_field(self) -> None:
        response = self.client.get(
            "/api/indicators/response/", {"date_from": "2026-01-01", "date_to": "9999-12-31"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("date_to", response.json())
        page = Client()
        page.force_login(self.personas.admin)
        response = page.get(reverse("incidents:indicators"), {"date_to": "9999-12-31"})
        self.assertLess(response.status_code, 500)

    def test_readiness_now_with_an_impossible_moment_names_it(self) -> None:
        response = self.client.get(
            "/api/duty/readiness/now/", {"region": "astana", "at": "2026-13-45T18:00"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("at", response.json())

    def test_roster_calendar_for_a_name_with_a_line_break(self) -> None:
        person = PersonFactory(
            region=self.personas.astana, first_name="Aliya\r\nB", last_name="C\nD"
        )
        ShiftFactory(person=person)
        page = Client()
        page.force_login(self.personas.admin)
        response = page.get(reverse("duty:person-ics", args=[person.pk]))
        self.assertEqual(response.status_code, 200)
        from icalendar import Calendar

        calendar = Calendar.from_ical(response.content)
        self.assertIn("Aliya B C D", str(calendar["x-wr-calname"]))

    def test_impossible_date_in_an_event_list_names_the_row(self) -> None:
        FacilityFactory(region=self.personas.almaty, osm_ref="way/1")
        text = (
            "name,kind,venue,starts_at,ends_at,expected_attendance,organiser\n"
            "Fair,fair,way/1,2027-01-02 10:00,2027-01-02 12:00,100,Akimat\n"
            "Gala,fair,way/1,2026-13-45 18:00,2027-01-02 12:00,100,Akimat\n"
        )
        result = import_gatherings(
            acting_user=self.personas.planner_almaty, name="e.csv", data=io.BytesIO(text.encode())
        )
        self.assertEqual([(e.line, e.column) for e in result.errors], [(3, "starts_at")])
        self.assertEqual(Gathering.objects.count(), 0)


class UnitPositionTests(PersonaTestCase):
    def test_a_position_outside_every_region_is_refused(self) -> None:
        from saqshy.incidents.tests.factories import UnitFactory

        unit = UnitFactory(region=self.personas.astana)
        self.login(self.personas.admin)
        client: APIClient = self.client
        response = client.post(
            f"/api/units/{unit.pk}/position/", {"lat": 10.0, "lon": 10.0}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue({"lat", "lon"} & set(response.json()))
        unit.refresh_from_db()
        self.assertIsNone(unit.lat)


class OffsetTests(PersonaTestCase):
    """Python accepts UTC offsets up to ±24:00; PostgreSQL refuses beyond ±15:59 (a 500)."""

    def setUp(self) -> None:
        self.login(self.personas.admin)

    def test_an_impossible_offset_in_a_filter_names_it(self) -> None:
        response = self.client.get("/api/audit/", {"since": "0887-07-13T16:19:11.184+19:42"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("since", response.json())

    def test_an_impossible_offset_in_a_body_names_the_field(self) -> None:
        response = self.client.post(
            "/api/duty/readiness/",
            {"region": "astana", "level": "enhanced", "reason": "x",
             "starts_at": "2026-12-01T10:00:00+19:42"},
            format="json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 400)
        self.assertIn("starts_at", response.json())

    def test_real_offsets_and_free_text_pass(self) -> None:
        response = self.client.get("/api/audit/", {"since": "2026-01-01T10:00:00-12:00"})
        self.assertEqual(response.status_code, 200)
        response = self.client.get("/api/facilities/", {"q": "Open 10:00-15:00"})
        self.assertEqual(response.status_code, 200)
