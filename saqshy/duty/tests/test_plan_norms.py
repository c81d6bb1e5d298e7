"""Patrol plans: foot patrols walk at the region's speed norm, and stops carry addresses from
the ``DUTY_DESCRIBE_POINT`` hook (empty, shown as coordinates, without one). Rosters: the
region's minimum stint at a post reaches the optimiser."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.test import Client, override_settings
from django.urls import reverse

from saqshy.accounts.models import Agency, Norm, Region
from saqshy.algorithms import optimise as opt
from saqshy.algorithms.geo import haversine_m
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty.models import PatrolPlan
from saqshy.duty.patrols import services as patrols
from saqshy.duty.rosters import planning
from saqshy.duty.tests.factories import hour
from saqshy.duty.tests.test_plan_pages import make_forecast, make_units
from saqshy.duty.tests.test_plans import make_region_staff
from saqshy.incidents.models import Unit

CALLS: list[tuple[float, float]] = []


def describe(lat: float, lon: float) -> str:
    """A stand-in geocoder: an address for points north of the region's centre row."""
    CALLS.append((lat, lon))
    return f"Abay Ave {round(lat * 1000) % 100}" if round(lat * 1000) % 8 else ""


def broken(lat: float, lon: float) -> str:
    raise RuntimeError("the geocoder is down")


def _plan(region: Region, hours: int = 2) -> PatrolPlan:
    start = hour(30)
    return patrols.create_patrol_plan(
        acting_user=None,
        region=region,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        seed=7,
    )


class PatrolStopAddressTests(PersonaTestCase):
    def login(self, user: Any) -> None:
        self.client = Client()
        self.client.force_login(user)

    def setUp(self) -> None:
        super().setUp()
        CALLS.clear()
        make_forecast(self.personas.almaty)
        make_units(self.personas.almaty)

    @override_settings(DUTY_DESCRIBE_POINT="saqshy.duty.tests.test_plan_norms.describe")
    def test_stops_store_the_providers_address_and_pages_show_it(self) -> None:
        plan = _plan(self.personas.almaty)
        stops = list(plan.stops.all())
        self.assertTrue(stops)
        for stop in stops:
            self.assertEqual(stop.address, describe(stop.lat, stop.lon))
        # Once per distinct point when the plan is made, never again by the pages.
        points = {(s.lat, s.lon) for s in stops}
        self.assertEqual(len(CALLS) - len(stops), len(set(CALLS)))
        self.assertTrue(points <= set(CALLS))
        named = next(s for s in stops if s.address)
        bare = next((s for s in stops if not s.address), None)
        CALLS.clear()
        self.login(self.personas.planner_almaty)
        page = self.client.get(reverse("duty:patrol-plan", args=[plan.pk]))
        self.assertContains(page, named.address)
        self.assertContains(page, f'"address": "{named.address}"')  # the map's tooltip data
        sheet = self.client.get(reverse("duty:patrol-sheet", args=[plan.pk]))
        self.assertContains(sheet, named.address)
        if bare is not None:  # no address: the coordinates stand in
            self.assertContains(sheet, f"{bare.lat:.5f}, {bare.lon:.5f}")
        api = self.client.get(reverse("api:duty-patrol-plan-stops", args=[plan.pk])).json()
        rows = api["results"] if isinstance(api, dict) and "results" in api else api
        if isinstance(rows, dict) and "features" in rows:
            rows = [f["properties"] for f in rows["features"]]
        self.assertIn(named.address, {row["address"] for row in rows})
        self.assertEqual(CALLS, [])

    def test_the_configured_geocoder_names_the_stops(self) -> None:
        make_forecast(self.personas.astana)
        make_units(self.personas.astana)
        plan = _plan(self.personas.astana)
        addresses = [stop.address for stop in plan.stops.all()]
        self.assertTrue(addresses)
        self.assertTrue(all(addresses), addresses)

    @override_settings(DUTY_DESCRIBE_POINT="")
    def test_without_a_provider_stops_have_no_address_and_show_coordinates(self) -> None:
        plan = _plan(self.personas.almaty)
        stop = plan.stops.first()
        self.assertEqual(stop.address, "")
        self.login(self.personas.planner_almaty)
        page = self.client.get(reverse("duty:patrol-plan", args=[plan.pk]))
        self.assertContains(page, f"{stop.lat:.5f}, {stop.lon:.5f}")

    @override_settings(DUTY_DESCRIBE_POINT="saqshy.duty.tests.test_plan_norms.broken")
    def test_a_failing_geocoder_does_not_lose_the_plan(self) -> None:
        with self.assertLogs("saqshy.duty.addresses", "ERROR"):
            plan = _plan(self.personas.almaty)
        self.assertTrue(plan.stops.exists())
        self.assertEqual(set(plan.stops.values_list("address", flat=True)), {""})


class FootPatrolSpeedTests(PersonaTestCase):
    def _foot_plan(self, hours: int) -> PatrolPlan:
        region = self.personas.almaty
        make_forecast(region, cells=20)
        police = Agency.objects.get(code=f"police-{region.slug}")
        for n in range(2):
            Unit.objects.create(
                call_sign=f"Foot 0{n + 1}", kind="foot_patrol", agency=police, region=region
            )
        return _plan(region, hours)

    def _fastest_leg_kmh(self, plan: PatrolPlan) -> float:
        fastest = 0.0
        for _crew, stops in patrols.crew_stops(plan).items():
            for a, b in itertools.pairwise(stops):
                metres = haversine_m(a.lat, a.lon, b.lat, b.lon) * 1.3
                minutes = (b.arrive_at - a.leave_at).total_seconds() / 60
                self.assertGreaterEqual(minutes, 0)
                if metres:
                    self.assertGreater(minutes, 0)
                    fastest = max(fastest, metres / 1000 / (minutes / 60))
        return fastest

    def test_no_foot_leg_is_faster_than_the_walking_norm(self) -> None:
        plan = self._foot_plan(hours=4)
        self.assertTrue(plan.stops.exists())
        self.assertLessEqual(self._fastest_leg_kmh(plan), 4.5 + 1e-9)

    def test_a_regions_own_walking_norm_is_used(self) -> None:
        Norm.objects.create(code="patrol_foot_speed_kmh", region=self.personas.almaty, value=3.0)
        plan = self._foot_plan(hours=4)
        self.assertLessEqual(self._fastest_leg_kmh(plan), 3.0 + 1e-9)


class MinimumStintNormTests(PersonaTestCase):
    def test_the_roster_problem_takes_the_regions_minimum_stint(self) -> None:
        region = self.personas.almaty
        staff = make_region_staff(region)
        data = planning.load_region(region, staff["start"], staff["end"])
        staffing = opt.solve_staffing(data.staffing_problem(5))
        district = data.district_keys()[0]
        problem = data.roster_problem(district, staffing, time_limit_s=5)
        self.assertEqual(problem.rules.min_stint_hours, 2)  # the national default
        Norm.objects.create(code="duty_min_post_stint_hours", region=region, value=3)
        problem = data.roster_problem(district, staffing, time_limit_s=5)
        self.assertEqual(problem.rules.min_stint_hours, 3)
