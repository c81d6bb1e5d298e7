from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory, soon
from saqshy.inspections.tests.factories import (
    BriefingFactory,
    DrillFactory,
    InspectionFactory,
    ViolationFactory,
    second_inspector,
)
from saqshy.protection.tests.factories import completed as completed_assessment


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


class GatheringAPITests(RegionScopedAPITests):
    basename = "gathering"
    model = Gathering
    refused_create = (400, "venue")

    def make_object(self, region: Region) -> Gathering:
        return GatheringFactory(venue=FacilityFactory(region=region))

    def create_payload(self, region: Region) -> dict[str, Any]:
        start = soon()
        return {
            "name": "Jolly Tree",
            "kind": "new_year_tree",
            "venue": FacilityFactory(region=region).pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
            "expected_attendance": 300,
            "organiser": "Akimat",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"expected_attendance": 450, "organiser_contact": "+7 701 000 00 00"}

    def test_outdoor_event_in_another_region_is_refused(self) -> None:
        self.login(self.p.planner_almaty)
        lat, lon = CENTRES["astana"]
        payload = self.create_payload(self.p.almaty)
        payload.update(venue=None, lat=lat, lon=lon, kind="fireworks")
        self.assertEqual(self.client.post(self.list_url(), payload).status_code, 403)

    def test_bad_times_name_the_field(self) -> None:
        self.login(self.p.planner_almaty)
        payload = self.create_payload(self.p.almaty)
        payload["ends_at"] = payload["starts_at"]
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("ends_at", response.json())


class ApprovalGateTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.venue = FacilityFactory(region=p.almaty, kind="school", name="School 7")
        inspection = InspectionFactory(
            facility=self.venue, inspected_on=today() - dt.timedelta(days=3)
        )
        self.violation = ViolationFactory(inspection=inspection, severity="critical")
        self.event = GatheringFactory(venue=self.venue, status="submitted")

    def approve(self) -> Any:
        return self.client.post(reverse("api:gathering-approve", args=[self.event.pk]))

    def test_open_critical_violation_blocks_until_verified(self) -> None:
        self.login(self.personas.planner_almaty)
        response = self.approve()
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertEqual(body["code"], "gates_failed")
        self.assertEqual([g["gate"] for g in body["gates"]], ["venue_cleared"])
        self.assertIn("1 open major or critical violation", body["gates"][0]["reason"])
        self.event.refresh_from_db()
        self.assertEqual(self.event.status, "submitted")

        self.login(self.personas.inspector_almaty)
        eliminate = reverse("api:violation-eliminate", args=[self.violation.pk])
        self.assertEqual(
            self.client.post(eliminate, {"eliminated_on": str(today())}).status_code, 200
        )
        self.login(self.personas.planner_almaty)
        self.assertEqual(self.approve().status_code, 409)

        # A second inspector: whoever marked it eliminated may not verify it.
        self.login(second_inspector())
        verify = reverse("api:violation-verify", args=[self.violation.pk])
        self.assertEqual(self.client.post(verify, {"inspected_on": str(today())}).status_code, 200)
        self.login(self.personas.planner_almaty)
        response = self.approve()
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "approved")
        self.assertTrue(all(g["passed"] for g in response.json()["gates"]))

    def test_size_and_children_gates(self) -> None:
        self.violation.status = "verified"
        self.violation.save()
        self.event.expected_attendance = 1500
        self.event.children_involved = True
        self.event.children_count = 600
        self.event.save()
        self.login(self.personas.planner_almaty)
        failing = {g["gate"] for g in self.approve().json()["gates"]}
        self.assertEqual(
            failing,
            {"fire_standby", "medical_presence", "children_preparation", "protective_security"},
        )
        self.event.fire_standby_planned = self.event.medical_presence_planned = True
        self.event.save()
        BriefingFactory(facility=self.venue)
        self.assertEqual(
            {g["gate"] for g in self.approve().json()["gates"]},
            {"children_preparation", "protective_security"},
        )
        DrillFactory(facility=self.venue)
        # 1500 people: the enhanced tier of crowded places needs the venue assessed.
        completed_assessment(self.venue, on=today(), tier="enhanced")
        self.assertEqual(self.approve().status_code, 200)

    def test_outdoor_fireworks_need_a_clear_access_route(self) -> None:
        self.login(self.personas.planner_almaty)
        lat, lon = CENTRES["almaty"]
        show = GatheringFactory(
            venue=None,
            region=self.personas.almaty,
            lat=lat,
            lon=lon,
            kind="fireworks",
            status="submitted",
            expected_attendance=100,
        )
        url = reverse("api:gathering-approve", args=[show.pk])
        self.assertEqual(
            [g["gate"] for g in self.client.post(url).json()["gates"]], ["access_route"]
        )
        show.access_route_clear, show.access_route_checked_on = True, show.starts_at.date()
        show.save()
        self.assertEqual(self.client.post(url).status_code, 200)

    def test_only_approvers_approve_and_transitions_are_enforced(self) -> None:
        self.login(self.personas.inspector_almaty)
        self.assertEqual(self.approve().status_code, 403)
        self.login(self.personas.planner_almaty)
        draft = GatheringFactory(venue=self.venue)
        response = self.client.post(reverse("api:gathering-approve", args=[draft.pk]))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")

    def test_list_shows_gates_without_extra_queries_per_event(self) -> None:
        self.login(self.personas.planner_almaty)
        url = reverse("api:gathering-list")
        self.client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(6):
            venue = FacilityFactory(region=self.personas.almaty, capacity=150 + 300 * n)
            if n % 2:
                completed_assessment(venue, on=today(), tier="enhanced")
            GatheringFactory(venue=venue)
        with CaptureQueriesContext(connection) as many:
            body = self.client.get(url).json()
        self.assertEqual(len(many), len(few))
        self.assertTrue(all("gates" in item for item in body["results"]))
