"""The API (scope, If-Match, Idempotency-Key, 4xx naming the field), the pages, and the event
approval gate of protective security."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings import gates
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.protection import services
from saqshy.protection.models import Assessment, Finding
from saqshy.protection.tests.factories import completed


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


class AssessmentAPITests(RegionScopedAPITests):
    basename = "protectionassessment"
    model = Assessment
    refused_create = (400, "facility")

    def make_object(self, region: Region) -> Assessment:
        venue = FacilityFactory(region=region, capacity=500)
        return services.create_assessment(acting_user=None, facility=venue, assessed_on=today())

    def create_payload(self, region: Region) -> dict[str, Any]:
        venue = FacilityFactory(region=region, capacity=500)
        return {"facility": venue.pk, "assessed_on": str(today())}

    def update_payload(self) -> dict[str, Any]:
        return {"notes": "Second visit planned", "outdoor": True}

    def test_answer_complete_fix_with_if_match_and_idempotency(self) -> None:
        self.login(self.p.inspector_almaty)
        venue: Any = FacilityFactory(region=self.p.almaty, capacity=2000)
        payload = {"facility": venue.pk, "assessed_on": str(today())}
        first = self.client.post(self.list_url(), payload, HTTP_IDEMPOTENCY_KEY="k-1")
        again = self.client.post(self.list_url(), payload, HTTP_IDEMPOTENCY_KEY="k-1")
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(Assessment.objects.filter(facility=venue).count(), 1)
        body = first.json()
        self.assertEqual(body["tier"], "enhanced")
        url = self.detail_url(Assessment(pk=body["id"]))
        stale = self.client.patch(url, {"notes": "x"}, HTTP_IF_MATCH='"stale"')
        self.assertEqual(stale.status_code, 412)
        etag = self.client.get(url)["ETag"]
        self.assertEqual(
            self.client.patch(url, {"notes": "x"}, HTTP_IF_MATCH=etag).status_code, 200
        )
        answers = [
            {"item": code, "answer": "met"}
            for code in (
                "procedures",
                "staff-training",
                "communication",
                "cctv",
                "responsible-person",
                "risk-assessment",
            )
        ]
        answers.append({"item": "access-control", "answer": "not_met", "note": "No search"})
        response = self.client.post(f"{url}answers/", {"answers": answers}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        bad = self.client.post(
            f"{url}answers/", {"answers": [{"item": "nope", "answer": "met"}]}, format="json"
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("answers", bad.json())
        done = self.client.post(f"{url}complete/")
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["status"], "completed")
        [finding_id] = done.json()["findings"]
        fix = reverse("api:protectionfinding-fix", args=[finding_id])
        refused = self.client.post(fix, {"fixed_on": "31.02.2026"})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("fixed_on", refused.json())
        fixed = self.client.post(fix, {"fixed_on": str(today()), "note": "Search tent"})
        self.assertEqual(fixed.status_code, 200, fixed.content)
        self.assertEqual(fixed.json()["status"], "fixed")
        # A completed assessment is kept.
        self.login(self.p.planner_almaty)
        self.assertEqual(self.client.delete(url).status_code, 409)

    def test_findings_by_hand_name_the_field(self) -> None:
        self.login(self.p.planner_almaty)
        url = reverse("api:protectionfinding-list")
        payload = {
            "assessment": self.in_almaty.pk,
            "severity": "major",
            "text": "Gate",
            "deadline": "x",
        }
        response = self.client.post(url, payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("deadline", response.json())
        payload.update(assessment=self.in_astana.pk, deadline=str(today()))
        response = self.client.post(url, payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("assessment", response.json())
        payload.update(assessment=self.in_almaty.pk)
        self.assertEqual(self.client.post(url, payload).status_code, 201)
        self.login(self.p.viewer_other_region)
        self.assertEqual(self.client.get(url).json()["count"], 0)


class ProtectiveSecurityGateTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.venue = FacilityFactory(
            region=p.almaty, kind="mall", name="Dostyk Plaza", capacity=3000
        )
        self.event = GatheringFactory(venue=self.venue, status="submitted", expected_attendance=150)

    def gate(self, event: Any = None) -> Any:
        event = event or self.event
        found = [g for g in gates.evaluate([event])[event.pk] if g.code == "protective_security"]
        return found[0] if found else None

    def approve(self) -> Any:
        return self.client.post(reverse("api:gathering-approve", args=[self.event.pk]))

    def test_open_critical_finding_blocks_approval_with_the_reason(self) -> None:
        assessment = completed(
            self.venue,
            on=today() - dt.timedelta(days=3),
            not_met={"access-control": "No bag search at the main entrance"},
        )
        self.login(self.personas.planner_almaty)
        response = self.approve()
        self.assertEqual(response.status_code, 409)
        [gate] = [g for g in response.json()["gates"] if g["gate"] == "protective_security"]
        due = (today() + dt.timedelta(days=11)).strftime("%d.%m.%Y")
        self.assertEqual(
            gate["reason"], f"Open critical finding: No bag search at the main entrance, due {due}."
        )
        self.client.force_login(self.personas.planner_almaty)
        page = self.client.get(reverse("gatherings:detail", args=[self.event.pk]))
        self.assertContains(page, "No bag search at the main entrance")
        finding = Finding.objects.get(assessment=assessment)
        services.fix_finding(acting_user=None, finding=finding, fixed_on=today())
        self.assertTrue(self.gate().passed)
        self.assertNotIn(
            "protective_security", {g["gate"] for g in self.approve().json().get("gates", [])}
        )

    def test_no_assessment_names_the_venue(self) -> None:
        gate = self.gate()
        self.assertFalse(gate.passed)
        self.assertEqual(gate.reason, "No current protective-security assessment of Dostyk Plaza.")

    def test_expired_or_lower_tier_assessment_fails(self) -> None:
        completed(self.venue, on=today() - dt.timedelta(days=400))
        self.assertIn("expired on", self.gate().reason)
        self.assertFalse(self.gate().passed)
        completed(self.venue, on=today() - dt.timedelta(days=2), tier="standard")
        self.assertFalse(self.gate().passed)
        self.assertIn("standard tier", self.gate().reason)
        completed(self.venue, on=today() - dt.timedelta(days=1))
        self.assertTrue(self.gate().passed)

    def test_small_event_at_small_venue_is_not_gated(self) -> None:
        hall = FacilityFactory(region=self.personas.almaty, capacity=120)
        small = GatheringFactory(venue=hall, expected_attendance=199)
        self.assertIsNone(self.gate(small))
        big = GatheringFactory(venue=hall, expected_attendance=200)
        self.assertFalse(self.gate(big).passed)
        outdoor = GatheringFactory(
            venue=None, region=self.personas.almaty, lat=43.2, lon=76.9, expected_attendance=5000
        )
        self.assertTrue(self.gate(outdoor).passed)
        self.assertEqual(self.gate(outdoor).reason, "Outdoor area: no venue to assess.")

    def test_evaluate_keeps_a_fixed_number_of_queries(self) -> None:
        completed(self.venue, on=today(), not_met={"procedures": "Not written"})
        events = [self.event]
        with CaptureQueriesContext(connection) as few:
            gates.evaluate(events)
        for n in range(5):
            venue = FacilityFactory(region=self.personas.almaty, capacity=400 + n)
            completed(venue, on=today())
            events.append(GatheringFactory(venue=venue, expected_attendance=900))
        with CaptureQueriesContext(connection) as many:
            result = gates.evaluate(events)
        self.assertEqual(len(many), len(few))
        self.assertEqual(len(result), 6)

    def test_assessment_page_shows_checklist_coverage_and_scope(self) -> None:
        assessment = completed(
            self.venue,
            on=today() - dt.timedelta(days=40),
            not_met={"staff-training": "Night staff untrained"},
        )
        self.client.force_login(self.personas.planner_almaty)
        page = self.client.get(reverse("protection:detail", args=[assessment.pk]))
        self.assertContains(page, "Footprint unknown")
        self.assertContains(page, "Access control and search at the entrances")
        self.assertContains(page, "Night staff untrained")
        self.assertContains(page, "overdue")
        listing = self.client.get(reverse("protection:list"))
        self.assertContains(listing, "Dostyk Plaza")
        self.assertContains(listing, 'class="overdue bad"')
        self.client.force_login(self.personas.planner_astana)
        self.assertEqual(
            self.client.get(reverse("protection:detail", args=[assessment.pk])).status_code, 404
        )
