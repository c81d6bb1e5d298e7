from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory, soon
from saqshy.inspections.models import Violation
from saqshy.inspections.tests.factories import (
    InspectionFactory,
    ViolationFactory,
    second_inspector,
)


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


class GatheringPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.venue = FacilityFactory(region=cls.personas.almaty, name="Palace of Schoolchildren")
        inspection = InspectionFactory(facility=cls.venue)
        cls.violation = ViolationFactory(inspection=inspection, severity="critical")
        cls.event = GatheringFactory(venue=cls.venue, status="submitted", name="Tree of Wishes")
        cls.astana_event = GatheringFactory(
            venue=FacilityFactory(region=cls.personas.astana), name="Astana Gala"
        )

    def test_list_is_scoped_and_shows_failing_gates(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        response = self.client.get(reverse("gatherings:list"))
        self.assertContains(response, "Tree of Wishes")
        self.assertNotContains(response, "Astana Gala")
        self.assertContains(response, "1 gate fails")
        url = reverse("gatherings:detail", args=[self.astana_event.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_approve_is_refused_with_the_gate_named_then_succeeds(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        url = reverse("gatherings:action", args=[self.event.pk, "approve"])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "cannot be approved")
        self.assertContains(response, "Venue cleared for operation: The venue has 1 open")
        self.assertEqual(Gathering.objects.get(pk=self.event.pk).status, "submitted")

        # Two inspectors: whoever marks a violation eliminated may not verify it.
        for user, action in (
            (self.personas.inspector_almaty, "eliminate"),
            (second_inspector(), "verify"),
        ):
            self.client.force_login(user)
            response = self.client.post(
                reverse("inspections:violation", args=[self.violation.pk, action]),
                {"on": str(today())},
                follow=True,
            )
            self.assertEqual(response.status_code, 200)
        self.assertEqual(Violation.objects.get(pk=self.violation.pk).status, "verified")

        self.client.force_login(self.personas.planner_almaty)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Event approved.")
        self.assertEqual(Gathering.objects.get(pk=self.event.pk).status, "approved")

    def test_inspector_cannot_approve(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        url = reverse("gatherings:action", args=[self.event.pk, "approve"])
        self.assertEqual(self.client.post(url).status_code, 403)

    def test_create_from_the_form(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        start = soon(days=20)
        response = self.client.post(
            reverse("gatherings:create"),
            {
                "name": "Winter fair",
                "kind": "fair",
                "venue": self.venue.pk,
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
                "expected_attendance": 800,
                "children_count": 0,
                "organiser": "Akimat",
            },
        )
        created = Gathering.objects.get(name="Winter fair")
        self.assertRedirects(response, reverse("gatherings:detail", args=[created.pk]))
        self.assertEqual((created.region, created.status), (self.personas.almaty, "draft"))


class FireSafetyPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.venue = FacilityFactory(region=cls.personas.almaty, name="Mega Park")

    def test_record_inspection_from_the_page(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        page = self.client.get(reverse("inspections:facility", args=[self.venue.pk]))
        self.assertContains(page, "Record an inspection")
        response = self.client.post(
            reverse("inspections:record", args=[self.venue.pk]),
            {
                "on": str(today()),
                "item-fire-alarm": "pass",
                "item-exits": "fail",
                "note-exits": "Exit 3 blocked by stock",
            },
            follow=True,
        )
        self.assertContains(response, "Inspection recorded.")
        self.assertContains(response, "Exit 3 blocked by stock")
        self.assertEqual(self.venue.violations.get().status, "open")

    def test_briefing_and_drill_forms(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        self.client.post(
            reverse("inspections:add", args=[self.venue.pk, "briefing"]),
            {"held_on": str(today()), "participants": 14, "topic": "Extinguishers"},
        )
        response = self.client.post(
            reverse("inspections:add", args=[self.venue.pk, "drill"]),
            {
                "held_on": str(today()),
                "people_evacuated": 200,
                "evacuation_seconds": -5,
                "norm_seconds": 480,
            },
            follow=True,
        )
        self.assertEqual(self.venue.briefings.count(), 1)
        self.assertEqual(self.venue.drills.count(), 0)
        self.assertContains(response, "Measured evacuation time (s): Ensure this value")

    def test_viewer_elsewhere_gets_404_and_reader_sees_no_forms(self) -> None:
        self.client.force_login(self.personas.viewer_other_region)
        url = reverse("inspections:facility", args=[self.venue.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.personas.analyst_national)
        self.assertNotContains(self.client.get(url), "Record an inspection")
