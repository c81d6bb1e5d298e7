"""An API list counts its rows only up to ``SAQSHY_API_COUNT_LIMIT`` (or to the end of the page
asked for): past it ``count`` is a lower bound, ``count_exact`` false, and ``next`` still leads
to every row once."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.facilities.tests.factories import FacilityFactory


@override_settings(SAQSHY_API_COUNT_LIMIT=5)
class CappedCountTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.venues = {FacilityFactory(region=p.astana, kind="mall").pk for _ in range(12)}
        self.venues |= {FacilityFactory(region=p.almaty, kind="school").pk for _ in range(2)}
        self.login(p.analyst_national)
        self.url = reverse("api:facility-list")

    def page(self, **params: Any) -> dict[str, Any]:
        response = self.client.get(self.url, {"page_size": 2, **params})
        self.assertEqual(response.status_code, 200, response.content)
        body: dict[str, Any] = response.json()
        return body

    def test_past_the_limit_the_count_is_a_lower_bound_and_next_leads_to_every_row(self) -> None:
        first = self.page()
        self.assertEqual((first["count"], first["count_exact"]), (6, False))
        seen: list[int] = []
        body = first
        while True:
            seen += [item["id"] for item in body["results"]]
            if body["next"] is None:
                break
            response = self.client.get(body["next"])
            self.assertEqual(response.status_code, 200)
            body = response.json()
        self.assertEqual(sorted(seen), sorted(self.venues))
        # The last page counted as far as its own end: by then the count is exact.
        self.assertEqual((body["count"], body["count_exact"]), (14, True))

    def test_a_page_beyond_the_limit_counts_past_its_own_end(self) -> None:
        body = self.page(page=4)  # rows 7-8: counted up to 9, so page 5 exists
        self.assertEqual((body["count"], body["count_exact"]), (9, False))
        self.assertIn("page=5", body["next"])
        self.assertEqual(len(body["results"]), 2)

    def test_the_last_page_counts_every_row(self) -> None:
        body = self.page(page="last")
        self.assertEqual((body["count"], body["count_exact"]), (14, True))
        self.assertIsNone(body["next"])
        self.assertEqual(len(body["results"]), 2)

    def test_under_the_limit_the_count_is_exact(self) -> None:
        body = self.page(kind="school")
        self.assertEqual((body["count"], body["count_exact"]), (2, True))
        with override_settings(SAQSHY_API_COUNT_LIMIT=100):
            body = self.page()
        self.assertEqual((body["count"], body["count_exact"]), (14, True))

    def test_the_count_reads_no_ordering_and_geojson_says_whether_it_is_exact(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            self.page()
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        self.assertEqual(len(counts), 1)
        self.assertNotIn("ORDER BY", counts[0])
        collection = self.page(format="geojson")
        self.assertEqual((collection["count"], collection["count_exact"]), (6, False))

    def test_a_page_that_is_not_a_number_is_still_a_404(self) -> None:
        self.assertEqual(self.client.get(self.url, {"page": "abc"}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"page": "99"}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"page": "1" + "0" * 30}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"page": "nan"}).status_code, 404)
