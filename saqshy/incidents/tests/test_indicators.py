"""Response-time indicators: figures recomputed by hand (numpy) from a few made-up incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.urls import reverse

from saqshy.accounts.models import Norm
from saqshy.incidents.models import Incident, IncidentUnit, Unit
from saqshy.incidents.tests.factories import IncidentFactory, UnitFactory, agency, incident_type
from saqshy.incidents.tests.test_api import _WithAlmatyDispatcher

ZONE = ZoneInfo(settings.TIME_ZONE)
DAY = dt.date(2025, 12, 31)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def s(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=seconds)


class ResponseIndicatorTests(_WithAlmatyDispatcher):
    units: ClassVar[dict[str, Unit]]
    # (type, call hour, call → dispatch s, dispatch → on scene s or None, agencies of its units)
    ALMATY = [
        ("fire", 22, 30, 300, ["des-almaty"]),
        ("fire", 22, 45, 500, ["des-almaty", "police-almaty"]),
        ("fire", 23, 90, 700, ["des-almaty"]),
        ("fire", 23, 50, 650, ["des-almaty"]),
        ("fire", 1, 200, None, ["des-almaty"]),
        ("medical", 22, 20, 400, ["police-almaty"]),
        ("medical", 3, 75, 1000, ["police-almaty"]),
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        almaty, astana = cls.personas.almaty, cls.personas.astana
        cls.units = {
            code: Unit.objects.get(
                pk=UnitFactory(region=almaty, agency=agency(code, region=almaty)).pk
            )
            for code in ("des-almaty", "police-almaty")
        }
        for type_code, hour, to_dispatch, to_scene, agencies in cls.ALMATY:
            cls.make(almaty, type_code, at(hour), to_dispatch, to_scene, agencies)
        # Left out: a merged duplicate, one never dispatched, one outside the dates.
        merged = cls.make(almaty, "fire", at(22), 5, 5, [])
        Incident.objects.filter(pk=merged.pk).update(merged_at=at(22, 30), status="cancelled")
        cls.make(almaty, "fire", at(22), None, None, [])
        cls.make(almaty, "fire", at(22, day=dt.date(2025, 12, 29)), 10, 10, [])
        # Another region: only the national analyst sees it.
        cls.make(astana, "fire", at(21), 1000, 100, [])

    @classmethod
    def make(
        cls,
        region: Any,
        type_code: str,
        reported: dt.datetime,
        to_dispatch: float | None,
        to_scene: float | None,
        agencies: list[str],
    ) -> Incident:
        dispatched = reported + s(to_dispatch) if to_dispatch is not None else None
        on_scene = dispatched + s(to_scene) if dispatched and to_scene is not None else None
        incident: Incident = IncidentFactory(
            region=region,
            type=incident_type(type_code),
            reported_at=reported,
            dispatched_at=dispatched,
            on_scene_at=on_scene,
            status="closed" if dispatched else "new",
            closed_at=(on_scene or dispatched),
        )
        for code in agencies:
            IncidentUnit.objects.create(
                incident=incident,
                unit=cls.units[code],
                assigned_at=dispatched or reported,
                released_at=on_scene or dispatched,
            )
        return incident

    def fetch(self, **params: Any) -> dict[str, Any]:
        query = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), **params}
        response = self.client.get(reverse("api:indicators-response"), query)
        self.assertEqual(response.status_code, 200, response.content)
        body: dict[str, Any] = response.json()
        return body

    def measure(self, body: dict[str, Any], code: str) -> dict[str, Any]:
        found: dict[str, Any] = next(m for m in body["measures"] if m["code"] == code)
        return found

    def assert_row(self, row: dict[str, Any], values: list[float], norms: list[float | None]):
        self.assertEqual(row["count"], len(values))
        self.assertAlmostEqual(row["median_seconds"], float(np.percentile(values, 50)))
        self.assertAlmostEqual(row["p90_seconds"], float(np.percentile(values, 90)))
        judged = [(v, n) for v, n in zip(values, norms, strict=True) if n is not None]
        self.assertEqual(row["with_norm"], len(judged))
        within = sum(v <= n for v, n in judged)
        self.assertEqual(row["within_norm"], within)
        if judged:
            self.assertAlmostEqual(row["share_within_norm"], within / len(judged), places=4)
        else:
            self.assertIsNone(row["share_within_norm"])
            self.assertIsNone(row["norm_seconds"])

    def test_call_to_dispatch_against_the_60_second_norm(self) -> None:
        self.login(self.dispatcher_almaty)
        measure = self.measure(self.fetch(), "call_to_dispatch")
        values = [row[2] for row in self.ALMATY]
        self.assert_row(measure["overall"], values, [60.0] * len(values))
        self.assertEqual(measure["overall"]["norm_seconds"], 60.0)
        # 30, 45, 50, 20 of 7 are within a minute.
        self.assertEqual(measure["overall"]["within_norm"], 4)
        by_type = {row["key"]: row for row in measure["by_type"]}
        fire = [row[2] for row in self.ALMATY if row[0] == "fire"]
        self.assert_row(by_type["fire"], fire, [60.0] * len(fire))
        by_agency = {row["key"]: row for row in measure["by_agency"]}
        police = [row[2] for row in self.ALMATY if "police-almaty" in row[4]]
        self.assert_row(by_agency["police-almaty"], police, [60.0] * len(police))
        self.assertEqual(by_agency["des-almaty"]["count"], 5)
        by_hour = measure["by_hour"]
        self.assertEqual([row["key"] for row in by_hour], list(range(24)))
        at_22 = [row[2] for row in self.ALMATY if row[1] == 22]
        self.assert_row(by_hour[22], at_22, [60.0] * len(at_22))
        self.assertEqual(by_hour[12]["count"], 0)
        self.assertEqual([row["key"] for row in measure["by_region"]], ["almaty"])

    def test_arrival_uses_the_fire_norm_and_none_for_medical(self) -> None:
        self.login(self.dispatcher_almaty)
        measure = self.measure(self.fetch(), "dispatch_to_on_scene")
        arrived = [row for row in self.ALMATY if row[3] is not None]
        values = [row[3] for row in arrived]
        norms = [600.0 if row[0] == "fire" else None for row in arrived]
        self.assert_row(measure["overall"], values, norms)
        by_type = {row["key"]: row for row in measure["by_type"]}
        self.assertEqual(by_type["fire"]["norm_seconds"], 600.0)
        # 300 and 500 of 700, 650, 500, 300: half the fires were reached within 10 minutes.
        self.assertEqual(by_type["fire"]["share_within_norm"], 0.5)
        medical = [row[3] for row in self.ALMATY if row[0] == "medical"]
        self.assert_row(by_type["medical"], medical, [None] * len(medical))

    def test_a_norm_set_for_a_type_or_a_region_is_used(self) -> None:
        Norm.objects.create(code="response_arrival_medical_seconds", region=None, value=900)
        Norm.objects.create(code="response_dispatch_seconds", region=self.personas.almaty, value=40)
        self.login(self.analyst_national())
        body = self.fetch()
        arrival = self.measure(body, "dispatch_to_on_scene")
        by_type = {row["key"]: row for row in arrival["by_type"]}
        self.assertEqual(by_type["medical"]["norm_seconds"], 900.0)
        self.assertEqual(by_type["medical"]["share_within_norm"], 0.5)  # 400 yes, 1000 no
        dispatch = self.measure(body, "call_to_dispatch")
        by_region = {row["key"]: row for row in dispatch["by_region"]}
        self.assertEqual(by_region["almaty"]["norm_seconds"], 40.0)
        self.assertEqual(by_region["almaty"]["within_norm"], 2)  # 30 and 20
        self.assertEqual(by_region["astana"]["norm_seconds"], 60.0)
        self.assertEqual(by_region["astana"]["within_norm"], 0)
        # The whole country mixes a regional 40 s and the national 60 s.
        self.assertIsNone(dispatch["overall"]["norm_seconds"])
        self.assertTrue(dispatch["overall"]["norms_vary"])
        self.assertEqual(dispatch["overall"]["count"], 8)
        codes = {n["code"] for n in body["norms"]}
        self.assertLessEqual(
            {
                "response_dispatch_seconds",
                "response_arrival_fire_city_seconds",
                "response_arrival_medical_seconds",
            },
            codes,
        )

    def analyst_national(self) -> Any:
        return self.personas.analyst_national

    def test_filters_and_scope(self) -> None:
        self.login(self.personas.analyst_national)
        self.assertEqual(self.fetch()["measures"][0]["overall"]["count"], 8)
        self.assertEqual(self.fetch(region="astana")["measures"][0]["overall"]["count"], 1)
        self.assertEqual(self.fetch(type="medical")["measures"][0]["overall"]["count"], 2)
        wider = self.fetch(date_from="2025-12-29")
        self.assertEqual(wider["measures"][0]["overall"]["count"], 9)
        url = reverse("api:indicators-response")
        for bad, field in (
            ({"region": "atlantis"}, "region"),
            ({"type": "alien_landing"}, "type"),
            ({"date_from": "2026-01-02", "date_to": "2026-01-01"}, "date_to"),
            ({"date_from": "yesterday"}, "date_from"),
        ):
            response = self.client.get(url, bad)
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn(field, response.json())
        # Almaty's dispatcher neither sees Astana nor may ask for it.
        self.login(self.dispatcher_almaty)
        self.assertEqual(self.client.get(url, {"region": "astana"}).status_code, 400)
        self.assertEqual(self.fetch()["measures"][0]["overall"]["count"], 7)
        self.client.logout()
        self.login(None)
        self.assertEqual(self.client.get(url).status_code, 401)

    def test_page_shows_the_tables(self) -> None:
        self.client.force_login(self.dispatcher_almaty)
        url = reverse("incidents:indicators")
        response = self.client.get(url, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Call → dispatch")
        self.assertContains(response, "response_arrival_fire_city_seconds")
        self.assertContains(response, 'id="chart-data"')
        self.assertContains(response, "57 %")  # 4 of 7 within the dispatch norm
        response = self.client.get(url, {"date_from": "2026-01-02", "date_to": "2026-01-01"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The end is before the start.")
