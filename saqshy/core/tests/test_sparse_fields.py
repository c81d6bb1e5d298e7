"""``?fields=`` on API reads, and joined rows' JSON columns (a region's outline) left unread."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.facilities.tests.factories import FacilityFactory


class SparseFieldsTests(PersonaTestCase):
    def setUp(self) -> None:
        self.facility = FacilityFactory(
            region=self.personas.astana,
            footprint={"type": "Polygon", "coordinates": [[[71, 51], [71.1, 51], [71, 51.1]]]},
        )
        self.login(self.personas.analyst_national)

    def test_only_the_named_fields_come_back_and_the_footprint_is_not_read(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/api/facilities/", {"fields": "id,kind,lat,lon"})
        self.assertEqual(response.status_code, 200)
        row = next(r for r in response.json()["results"] if r["id"] == self.facility.pk)
        self.assertEqual(set(row), {"id", "kind", "lat", "lon"})
        listing = next(
            q["sql"]
            for q in queries.captured_queries
            if "facilities_facility" in q["sql"] and "LIMIT" in q["sql"]
        )
        self.assertNotIn("footprint", listing)

    def test_geojson_with_fields_keeps_the_geometry(self) -> None:
        response = self.client.get(
            "/api/facilities/", {"format": "geojson", "fields": "id,kind,display_name,lat,lon"}
        )
        feature = next(f for f in response.json()["features"] if f["id"] == self.facility.pk)
        self.assertEqual(set(feature["properties"]), {"id", "kind", "display_name"})
        self.assertEqual(feature["geometry"]["type"], "Point")

    def test_an_unknown_field_is_a_400_naming_fields(self) -> None:
        response = self.client.get("/api/facilities/", {"fields": "id,nonsense"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("nonsense", response.json()["fields"][0])

    def test_without_fields_everything_comes_back(self) -> None:
        row = self.client.get(f"/api/facilities/{self.facility.pk}/").json()
        self.assertEqual(row["footprint"]["type"], "Polygon")
        self.assertEqual(row["region"], "astana")

    def test_a_joined_region_is_read_without_its_outline(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/api/facilities/")
        self.assertEqual(response.status_code, 200)
        listing = [q["sql"] for q in queries.captured_queries if "facilities_facility" in q["sql"]]
        self.assertTrue(listing)
        for sql in listing:
            self.assertNotIn('"accounts_region"."boundary"', sql)

    def test_only_the_joins_the_named_fields_read_are_made(self) -> None:
        """The map's units layer asks for the unit's own columns: no agency, region or
        tracker is joined; asking for the agency joins it again (and no query per row)."""

        def listing(fields: str) -> tuple[str, list[dict[str, object]]]:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get("/api/units/", {"fields": fields})
            self.assertEqual(response.status_code, 200, response.content)
            sql = [q["sql"] for q in queries.captured_queries if "incidents_unit" in q["sql"]]
            return sql[-1], response.json()["results"]

        from saqshy.incidents.models import Unit
        from saqshy.incidents.tests.factories import agency

        police = agency("police-astana", region=self.personas.astana)
        for n in range(3):
            Unit.objects.create(
                call_sign=f"S-{n}", kind="patrol_car", agency=police, region=self.personas.astana
            )
        bare, rows = listing("id,call_sign,status")
        self.assertNotIn("JOIN", bare)
        self.assertEqual(len(rows), 3)
        joined, rows = listing("id,agency")
        self.assertIn('"accounts_agency"', joined)
        self.assertEqual({row["agency"] for row in rows}, {"police-astana"})
