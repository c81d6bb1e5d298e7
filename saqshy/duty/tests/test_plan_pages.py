"""Plan pages, exports (iCalendar, PDF, patrol sheets), the plan-run and patrol-plan API with
its scoping, patrol plans from the forecast, and the real database task queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from icalendar import Calendar

from saqshy.accounts.models import Agency, Region
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.core.testing.personas import make_personas
from saqshy.duty.models import PatrolPlan, PlanRun, Shift
from saqshy.duty.patrols import services as patrols
from saqshy.duty.rosters import plans
from saqshy.duty.tests.factories import ShiftFactory, hour
from saqshy.duty.tests.test_plans import IMMEDIATE, make_region_staff
from saqshy.forecasts.models import HotspotCell, HotspotForecast
from saqshy.incidents.models import Unit

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def make_forecast(region: Region, cells: int = 12) -> HotspotForecast:
    forecast = HotspotForecast.objects.create(
        region=region,
        model_name="counts",
        cell_m=250,
        crs="EPSG:32643",
        trained_until=dt.date(2025, 6, 30),
    )
    lat, lon = region.centre_lat or 43.24, region.centre_lon or 76.95
    for n in range(cells):
        HotspotCell.objects.create(
            forecast=forecast,
            cell=n,
            lat=lat + 0.004 * (n % 4),
            lon=lon + 0.006 * (n // 4),
            score=float(cells - n),
            slot_shares=[],
        )
    return forecast


def make_units(region: Region, count: int = 3) -> list[Unit]:
    police = Agency.objects.get(code=f"police-{region.slug}")
    return [
        Unit.objects.create(
            call_sign=f"PC-{region.slug}-{n}", kind="patrol_car", agency=police, region=region
        )
        for n in range(count)
    ]


def make_plan(region: Region) -> PatrolPlan:
    make_forecast(region)
    make_units(region)
    start = hour(30)
    return patrols.create_patrol_plan(
        acting_user=None, region=region, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )


@override_settings(TASKS=IMMEDIATE)
class PlanPageTests(PersonaTestCase):
    def login(self, user: Any) -> None:
        # Pages take form posts and sessions (the API tests use the API client).
        self.client = Client()
        self.client.force_login(user)

    def setUp(self) -> None:
        self.p = self.personas
        self.s = make_region_staff(self.p.almaty)

    def test_plan_page_replans_after_changes_from_a_moment(self) -> None:
        from django.utils import timezone

        self.login(self.p.planner_almaty)
        fmt = "%Y-%m-%dT%H:%M"
        form = {
            "region": self.p.almaty.pk,
            "starts_at": timezone.localtime(self.s["start"]).strftime(fmt),
            "ends_at": timezone.localtime(self.s["end"]).strftime(fmt),
            "time_limit_s": 5,
        }
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("duty:plan"), {**form, "kind": "roster"})
        at = self.s["start"] + dt.timedelta(hours=12)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("duty:plan"),
                {**form, "kind": "replan", "starts_at": timezone.localtime(at).strftime(fmt)},
            )
        run = PlanRun.objects.order_by("-pk").first()
        assert run is not None
        self.assertRedirects(response, reverse("duty:plan-run", args=[run.pk]))
        self.assertEqual((run.kind, run.status), ("replan", "done"), run.message)
        self.assertEqual(dt.datetime.fromisoformat(run.params["at"]), at)
        # The latest roster's window, not the form's end.
        self.assertEqual((run.starts_at, run.ends_at), (self.s["start"], self.s["end"]))

    def test_plan_page_requests_a_run_and_shows_the_result_and_roster(self) -> None:
        self.login(self.p.planner_almaty)
        page = self.client.get(reverse("duty:plan"))
        self.assertContains(page, 'id="plan-form"')
        fmt = "%Y-%m-%dT%H:%M"
        from django.utils import timezone

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("duty:plan"),
                {
                    "region": self.p.almaty.pk,
                    "kind": "roster",
                    "starts_at": timezone.localtime(self.s["start"]).strftime(fmt),
                    "ends_at": timezone.localtime(self.s["end"]).strftime(fmt),
                    "time_limit_s": 5,
                },
            )
        run = PlanRun.objects.get()
        self.assertRedirects(response, reverse("duty:plan-run", args=[run.pk]))
        page = self.client.get(reverse("duty:plan-run", args=[run.pk]))
        self.assertContains(page, 'id="run-result"')
        self.assertContains(page, 'id="roster-posts"')
        # The utility crews are part of the region's run: their agency's line in the result,
        # and (for a user who sees every agency's shifts) their post in the roster.
        self.assertContains(page, "<td>Energy</td><td>48</td><td>48</td>", html=False)
        self.assertNotContains(page, "Heat plant")  # a police planner sees police shifts only
        self.login(self.p.analyst_national)
        self.assertContains(self.client.get(reverse("duty:plan-run", args=[run.pk])), "Heat plant")
        self.assertContains(page, 'id="roster-people"')
        status = self.client.get(reverse("duty:plan-run-status", args=[run.pk])).json()
        self.assertEqual(
            (status["status"], status["progress"], status["finished"]), ("done", 100, True)
        )

    def test_run_of_another_region_is_404_and_readers_cannot_request(self) -> None:
        run = plans.request_run(
            acting_user=None,
            region=self.p.almaty,
            starts_at=self.s["start"],
            ends_at=self.s["end"],
            queue=False,
        )
        self.login(self.p.planner_astana)
        self.assertEqual(self.client.get(reverse("duty:plan-run", args=[run.pk])).status_code, 404)
        self.login(self.p.dispatcher_astana)
        self.assertEqual(self.client.post(reverse("duty:plan"), {}).status_code, 403)

    def test_report_sick_records_the_sickness_and_replans(self) -> None:
        officer = self.s["officers"][0]
        self.login(self.p.planner_almaty)
        page = self.client.get(reverse("duty:person", args=[officer.pk]))
        self.assertContains(page, 'id="sick-form"')
        from django.utils import timezone

        when = timezone.localtime(self.s["start"] + dt.timedelta(hours=5)).strftime(
            "%Y-%m-%dT%H:%M"
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("duty:report-sick", args=[officer.pk]), {"sick_from": when}
            )
        run = PlanRun.objects.get(kind="replan")
        self.assertRedirects(response, reverse("duty:plan-run", args=[run.pk]))
        run.refresh_from_db()
        self.assertEqual(run.status, "done", run.message)
        self.assertTrue(officer.absences.filter(kind="sick").exists())
        self.assertContains(self.client.get(reverse("duty:plan-run", args=[run.pk])), "run-changes")

    def test_person_calendar_holds_their_shifts(self) -> None:
        officer = self.s["officers"][0]
        shifts = [
            ShiftFactory(person=officer, post=self.s["gate"], starts_at=hour(40 + 24 * n))
            for n in range(3)
        ]
        ShiftFactory(person=self.s["officers"][1], post=self.s["gate"])
        self.login(self.p.planner_almaty)
        response = self.client.get(reverse("duty:person-ics", args=[officer.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/calendar"))
        calendar = Calendar.from_ical(response.content)
        events = list(calendar.walk("VEVENT"))
        self.assertEqual(
            sorted(e.decoded("dtstart") for e in events), [s.starts_at for s in shifts]
        )
        self.assertEqual({str(e["summary"]) for e in events}, {"Duty: Station gate"})
        self.login(self.p.planner_astana)
        self.assertEqual(
            self.client.get(reverse("duty:person-ics", args=[officer.pk])).status_code, 404
        )

    def test_post_pdf_is_a_pdf(self) -> None:
        ShiftFactory(person=self.s["officers"][0], post=self.s["gate"])
        self.login(self.p.planner_almaty)
        response = self.client.get(reverse("duty:post-pdf", args=[self.s["gate"].pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.login(self.p.planner_astana)
        self.assertEqual(
            self.client.get(reverse("duty:post-pdf", args=[self.s["gate"].pk])).status_code, 404
        )


class PatrolPlanTests(PersonaTestCase):
    def login(self, user: Any) -> None:
        # Pages take form posts and sessions (the API tests use the API client).
        self.client = Client()
        self.client.force_login(user)

    def test_stops_follow_the_risk_last_ten_to_fifteen_minutes_and_differ_by_seed(self) -> None:
        region = self.personas.almaty
        make_forecast(region)
        make_units(region)
        start = hour(30)
        one = patrols.create_patrol_plan(
            acting_user=self.personas.planner_almaty,
            region=region,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            seed=1,
        )
        self.assertEqual(one.crews, 3)
        stops = list(one.stops.all())
        self.assertTrue(stops)
        for stop in stops:
            minutes = (stop.leave_at - stop.arrive_at).total_seconds() / 60
            self.assertTrue(10 <= minutes <= 15, minutes)
            self.assertTrue(
                start <= stop.arrive_at and stop.leave_at <= start + dt.timedelta(hours=2)
            )
        visits: dict[str, int] = {}
        for stop in stops:
            visits[stop.cell] = visits.get(stop.cell, 0) + 1
        self.assertGreaterEqual(visits.get("0", 0), visits.get("11", 0))
        two = patrols.create_patrol_plan(
            acting_user=None,
            region=region,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            seed=2,
        )
        order = lambda plan: [(s.crew, s.cell) for s in plan.stops.order_by("crew", "order")]  # noqa: E731
        self.assertNotEqual(order(one), order(two))

    def test_page_map_and_crew_sheet(self) -> None:
        plan = make_plan(self.personas.almaty)
        self.login(self.personas.planner_almaty)
        page = self.client.get(reverse("duty:patrol-plan", args=[plan.pk]))
        self.assertContains(page, 'id="minimap"')
        crew = plan.stops.first().crew
        sheet = self.client.get(reverse("duty:patrol-sheet", args=[plan.pk]), {"crew": crew})
        self.assertContains(sheet, crew)
        self.assertContains(sheet, 'data-widget="print"')
        self.assertEqual(
            self.client.get(
                reverse("duty:patrol-sheet", args=[plan.pk]), {"crew": "nobody"}
            ).status_code,
            404,
        )
        self.login(self.personas.planner_astana)
        self.assertEqual(
            self.client.get(reverse("duty:patrol-plan", args=[plan.pk])).status_code, 404
        )

    def test_stops_as_geojson(self) -> None:
        plan = make_plan(self.personas.almaty)
        self.login(self.personas.planner_almaty)
        url = reverse("api:duty-patrol-plan-stops", args=[plan.pk])
        data = self.client.get(url, {"format": "geojson"}).json()
        self.assertEqual(data["type"], "FeatureCollection")
        self.assertEqual(len(data["features"]), plan.stops.count())
        self.assertEqual(data["features"][0]["geometry"]["type"], "Point")
        self.login(self.personas.planner_astana)
        self.assertEqual(self.client.get(url).status_code, 404)


@override_settings(TASKS=IMMEDIATE)
class PlanRunAPITests(RegionScopedAPITests):
    basename = "duty-plan-run"
    model = PlanRun
    supports = frozenset({"create"})

    def make_object(self, region: Region) -> PlanRun:
        return plans.request_run(
            acting_user=None,
            region=region,
            starts_at=hour(24),
            ends_at=hour(48),
            queue=False,
        )

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "region": region.slug,
            "starts_at": hour(24).isoformat(),
            "ends_at": hour(30).isoformat(),
            "kind": "staffing",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"message": "changed"}


class PatrolPlanAPITests(RegionScopedAPITests):
    basename = "duty-patrol-plan"
    model = PatrolPlan
    supports = frozenset({"create"})

    def make_object(self, region: Region) -> PatrolPlan:
        if not HotspotForecast.objects.filter(region=region).exists():
            make_forecast(region)
            make_units(region)
        start = hour(30)
        return patrols.create_patrol_plan(
            acting_user=None, region=region, starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )

    def create_payload(self, region: Region) -> dict[str, Any]:
        start = hour(30)
        return {
            "region": region.slug,
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        }

    def update_payload(self) -> dict[str, Any]:
        return {"name": "changed"}


# The worker closes its database connection between tasks, as a worker process should; inside
# a TestCase's wrapping transaction that breaks the test on PostgreSQL, so this one commits.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE)
def test_a_db_worker_runs_the_queued_plan() -> None:
    from django_tasks_db.models import DBTaskResult

    personas = make_personas()
    s = make_region_staff(personas.almaty, police=6, energy=6)
    run = plans.request_run(
        acting_user=personas.planner_almaty,
        region=personas.almaty,
        starts_at=s["start"],
        ends_at=s["start"] + dt.timedelta(hours=24),
        time_limit_s=3,
    )
    run.refresh_from_db()
    assert run.status == "queued"
    task = DBTaskResult.objects.get()
    assert str(task.id) == run.task_id
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)
    run.refresh_from_db()
    assert run.status == "done", run.message
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Shift.objects.filter(plan_run=run).exists()
