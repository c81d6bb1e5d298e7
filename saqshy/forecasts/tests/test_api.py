from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.forecasts import queries, services
from saqshy.forecasts.models import HotspotCell, HotspotForecast
from saqshy.forecasts.tests.factories import incidents_near_centre, stored_forecast


class HotspotForecastAPITests(RegionScopedAPITests):
    basename = "hotspotforecast"
    model = HotspotForecast
    writer = "planner_almaty"
    reader = "dispatcher_astana"
    supports = frozenset({"create", "delete"})

    def make_object(self, region: Region) -> HotspotForecast:
        return stored_forecast(region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        incidents_near_centre(region)
        return {"region": region.slug, "model_name": "counts", "cell_m": 250}

    def update_payload(self) -> dict[str, Any]:
        return {"model_name": "kde"}

    def test_cells_are_geojson_squares_highest_first_and_scoped(self) -> None:
        self.login(self.p.planner_almaty)
        url = reverse("api:hotspotforecast-cells", args=[self.in_almaty.pk])
        body = self.client.get(url, {"top": 2}).json()
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual([f["properties"]["rank"] for f in body["features"]], [1, 2])
        scores = [f["properties"]["score"] for f in body["features"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        ring = body["features"][0]["geometry"]["coordinates"][0]
        self.assertEqual(len(ring), 5)
        self.assertEqual(ring[0], ring[-1])
        other = reverse("api:hotspotforecast-cells", args=[self.in_astana.pk])
        self.assertEqual(self.client.get(other).status_code, 404)
        self.assertEqual(self.client.get(url, {"top": 0}).status_code, 400)

    def test_list_filters_by_region(self) -> None:
        self.login(self.p.analyst_national)
        response = self.client.get(self.list_url(), {"region": "almaty"})
        self.assertEqual({r["id"] for r in response.json()["results"]}, {self.in_almaty.pk})

    def test_computed_forecast_puts_the_busiest_place_first(self) -> None:
        self.login(self.p.planner_almaty)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.status_code, 201, response.content)
        forecast = HotspotForecast.objects.get(pk=response.json()["id"])
        cells = list(forecast.cells.order_by("-score"))
        self.assertEqual(len(cells), 2)
        self.assertAlmostEqual(cells[0].score, 5 / 7)
        self.assertAlmostEqual(sum(c.score for c in cells), 1.0)
        self.assertAlmostEqual(cells[0].lat, 43.238, places=2)

    def test_bad_model_is_400_and_stores_nothing(self) -> None:
        self.login(self.p.planner_almaty)
        count, audits = HotspotForecast.objects.count(), AuditEntry.objects.count()
        response = self.client.post(
            self.list_url(), {"region": "almaty", "model_name": "crystal_ball"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("model_name", response.json())
        response = self.client.post(self.list_url(), {"region": "shymkent", "model_name": "kde"})
        self.assertEqual(response.status_code, 403)  # planner_almaty may not add there
        self.assertEqual(HotspotForecast.objects.count(), count)
        self.assertEqual(AuditEntry.objects.count(), audits)


class NoHistoryTests(PersonaTestCase):
    def test_region_without_incidents_is_a_validation_error(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.compute_forecast(
                acting_user=None, region=self.personas.shymkent, include_shipped=False
            )
        self.assertFalse(HotspotForecast.objects.exists())


class TopCellsTests(PersonaTestCase):
    def test_top_cells_by_window_prefer_the_cell_busy_at_that_hour(self) -> None:
        region = self.personas.almaty
        forecast = stored_forecast(region, cells=2)
        night, noon = forecast.cells.order_by("cell")
        night.score, noon.score = 0.5, 0.5
        night.slot_shares = [0.9, 0.02, 0.02, 0.02, 0.02, 0.02]
        noon.slot_shares = [0.02, 0.02, 0.02, 0.9, 0.02, 0.02]
        HotspotCell.objects.bulk_update([night, noon], ["score", "slot_shares"])
        local = timezone.localtime().replace(hour=1, minute=0, second=0, microsecond=0)
        top = queries.top_cells(region, start=local, end=local + dt.timedelta(hours=2), limit=1)
        self.assertEqual([c.cell for c in top], [night.cell])
        noon_start = local.replace(hour=12)
        top = queries.top_cells(region, start=noon_start, end=noon_start + dt.timedelta(hours=3))
        self.assertEqual([c.cell for c in top], [noon.cell, night.cell])
        self.assertEqual(top[0].cell_m, 250.0)
        # Scoped when a user is given; no forecast at all gives nothing.
        self.assertEqual(queries.top_cells(region, user=self.personas.viewer_other_region), [])
        self.assertEqual(queries.top_cells(self.personas.shymkent), [])


class ShippedHistoryTests(PersonaTestCase):
    def test_astana_forecast_uses_the_shipped_accident_cards(self) -> None:
        from django.conf import settings

        path = settings.DATA_DIR / services.SHIPPED_HISTORY["astana"][0]
        if not path.exists():
            self.skipTest(f"demo bundle absent: {path}")
        forecast = services.compute_forecast(
            acting_user=None,
            region=self.personas.astana,
            model_name="counts",
            trained_until=dt.date(2025, 6, 30),
        )
        self.assertGreater(forecast.events, 10_000)
        top = queries.top_cells(self.personas.astana, limit=5)
        self.assertEqual(len(top), 5)
        self.assertTrue(all(51.0 < c.lat < 51.3 and 71.2 < c.lon < 71.7 for c in top))
