"""Lists of places for a national map: ``?bbox=`` and ``…/clusters/`` (core.api.places)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.algorithms.map_grid import Box, cell_size
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.incidents.tests.factories import UnitFactory

ASTANA_BOX = "71.0,50.9,72.0,51.4"


class FacilityClusterTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.astana = [
            FacilityFactory(region=p.astana, kind="school", lat=51.128, lon=71.430),
            FacilityFactory(region=p.astana, kind="mall", lat=51.132, lon=71.404),
        ]
        self.almaty = FacilityFactory(region=p.almaty, kind="mall", lat=43.238, lon=76.945)
        self.url = reverse("api:facility-clusters")

    def clusters(self, **params: Any) -> dict[str, Any]:
        response = self.client.get(self.url, params)
        self.assertEqual(response.status_code, 200, response.content)
        body: dict[str, Any] = response.json()
        return body

    def test_counts_per_cell_with_the_cells_box_and_mean(self) -> None:
        self.login(self.personas.analyst_national)
        body = self.clusters(zoom=5)
        self.assertEqual(body["count"], 3)
        self.assertEqual(body["cell"], cell_size(5))
        by_count = sorted(body["results"], key=lambda c: c["count"])
        self.assertEqual([c["count"] for c in by_count], [1, 2])
        astana = by_count[1]
        self.assertAlmostEqual(astana["lat"], 51.13, places=5)
        self.assertAlmostEqual(astana["lon"], 71.417, places=5)
        self.assertEqual(astana["bbox"], [71.404, 51.128, 71.43, 51.132])
        # Close enough, the two venues of Astana are cells of their own (a whole world at that
        # zoom would be coarsened: see below).
        self.assertEqual(len(self.clusters(zoom=16, bbox=ASTANA_BOX)["results"]), 2)

    def test_the_lists_filters_and_the_box_apply(self) -> None:
        self.login(self.personas.analyst_national)
        self.assertEqual(self.clusters(zoom=5, kind="mall")["count"], 2)
        self.assertEqual(self.clusters(zoom=5, region="almaty")["count"], 1)
        boxed = self.clusters(zoom=8, bbox=ASTANA_BOX)
        self.assertEqual(boxed["count"], 2)
        self.assertEqual(boxed["cell"], cell_size(8, Box(71.0, 50.9, 72.0, 51.4)))
        self.assertEqual(boxed["cell"], 360 / 2**8 / 4)
        listed = self.client.get(reverse("api:facility-list"), {"bbox": ASTANA_BOX}).json()
        self.assertEqual({f["id"] for f in listed["results"]}, {f.pk for f in self.astana})

    def test_counts_stay_within_the_users_scope(self) -> None:
        self.login(self.personas.planner_almaty)
        body = self.clusters(zoom=5)
        self.assertEqual(body["count"], 1)
        self.assertEqual(self.clusters(zoom=5, bbox=ASTANA_BOX)["count"], 0)

    def test_anonymous_and_ungranted_users_get_nothing(self) -> None:
        self.assertEqual(self.client.get(self.url, {"zoom": 5}).status_code, 401)
        self.login(self.personas.no_grants)
        self.assertEqual(self.client.get(self.url, {"zoom": 5}).status_code, 403)

    def test_bad_parameters_name_the_field(self) -> None:
        self.login(self.personas.analyst_national)
        for params, field in [
            ({}, "zoom"),
            ({"zoom": "five"}, "zoom"),
            ({"zoom": 23}, "zoom"),
            ({"zoom": "5\x00"}, "zoom"),
            ({"zoom": 5, "bbox": "1,2,3"}, "bbox"),
            ({"zoom": 5, "bbox": "nan,0,1,1"}, "bbox"),
        ]:
            with self.subTest(params=params):
                response = self.client.get(self.url, params)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())

    def test_the_answer_is_bounded_and_its_queries_constant(self) -> None:
        self.login(self.personas.analyst_national)
        self.clusters(zoom=22)
        with self.assertNumQueries(self._queries(zoom=22)):
            self.clusters(zoom=22)
        for k in range(30):
            FacilityFactory(region=self.personas.astana, lat=51.0 + k / 100, lon=71.0 + k / 50)
        with self.assertNumQueries(self._queries(zoom=22)):
            body = self.clusters(zoom=22)
        # The whole world at zoom 22 would be trillions of cells: the grid is coarsened.
        self.assertLessEqual(len(body["results"]), 1024)
        self.assertEqual(body["count"], 33)

    def _queries(self, **params: Any) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.url, params)
        return len(captured)


class UnitAndEventClusterTests(PersonaTestCase):
    def test_units_without_a_position_are_not_counted(self) -> None:
        p = self.personas
        UnitFactory(region=p.astana, lat=51.13, lon=71.43)
        UnitFactory(region=p.astana, lat=None, lon=None)
        self.login(p.analyst_national)
        body = self.client.get(reverse("api:unit-clusters"), {"zoom": 6}).json()
        self.assertEqual(body["count"], 1)
        listed = self.client.get(reverse("api:unit-list"), {"bbox": ASTANA_BOX}).json()
        self.assertEqual(listed["count"], 1)

    def test_events_keep_their_date_filter(self) -> None:
        p = self.personas
        event = GatheringFactory(venue=FacilityFactory(region=p.astana))
        self.login(p.analyst_national)
        url = reverse("api:gathering-clusters")
        start = event.starts_at.date()
        self.assertEqual(self.client.get(url, {"zoom": 6, "date_from": start}).json()["count"], 1)
        later = (event.starts_at.date().replace(year=start.year + 1)).isoformat()
        self.assertEqual(self.client.get(url, {"zoom": 6, "date_from": later}).json()["count"], 0)
        listed = self.client.get(reverse("api:gathering-list"), {"bbox": "0,0,1,1"}).json()
        self.assertEqual(listed["count"], 0)
