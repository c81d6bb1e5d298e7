from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory, soon
from saqshy.inspections.models import Inspection, Violation
from saqshy.inspections.tests.factories import (
    BriefingFactory,
    InspectionFactory,
    ViolationFactory,
)
from saqshy.prevention.models import Campaign


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


def campaign(region: Region, **extra: Any) -> Campaign:
    return Campaign.objects.create(
        name="Before New Year",
        region=region,
        facility_kinds=["school", "mall"],
        starts_on=today() - dt.timedelta(days=10),
        deadline=today() + dt.timedelta(days=20),
        **extra,
    )


class CampaignAPITests(RegionScopedAPITests):
    basename = "campaign"
    model = Campaign
    writer = "inspector_almaty"

    def make_object(self, region: Region) -> Campaign:
        return campaign(region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "name": "Malls",
            "region": region.slug,
            "facility_kinds": ["mall"],
            "starts_on": str(today()),
            "deadline": str(today() + dt.timedelta(days=30)),
        }

    def update_payload(self) -> dict[str, Any]:
        return {"name": "Malls and schools"}

    def test_deadline_before_start_names_the_field(self) -> None:
        self.login(self.p.inspector_almaty)
        payload = self.create_payload(self.p.almaty)
        payload["deadline"] = str(today() - dt.timedelta(days=1))
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("deadline", response.json())


class CampaignProgressAndQueueTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.c = campaign(p.almaty)
        self.school = FacilityFactory(region=p.almaty, kind="school", name="School 1", capacity=900)
        self.mall = FacilityFactory(region=p.almaty, kind="mall", name="Mall", capacity=3000)
        self.kindergarten_school = FacilityFactory(
            region=p.almaty, kind="school", name="School 2", capacity=300
        )
        FacilityFactory(region=p.almaty, kind="hospital", name="Not in the campaign")
        inspected = InspectionFactory(
            facility=self.school, inspected_on=today() - dt.timedelta(days=2)
        )
        ViolationFactory(inspection=inspected, severity="major")
        GatheringFactory(
            venue=self.mall, children_involved=True, children_count=50, starts_at=soon(days=3)
        )
        self.login(p.inspector_almaty)

    def test_progress(self) -> None:
        body = self.client.get(reverse("api:campaign-progress", args=[self.c.pk])).json()
        total = body[0]
        self.assertEqual(
            (total["planned"], total["inspected"], total["violations_found"]), (3, 1, 1)
        )
        self.assertEqual(total["cleared"], 0)

    def test_queue_is_reproducible_from_the_shown_factors(self) -> None:
        body = self.client.get(reverse("api:campaign-queue", args=[self.c.pk])).json()
        self.assertEqual([i["facility"] for i in body][:1], [self.mall.pk])
        self.assertNotIn(self.school.pk, [i["facility"] for i in body])
        for item in body:
            self.assertAlmostEqual(item["total"], sum(f["points"] for f in item["factors"]), 6)
        recomputed = sorted(
            body, key=lambda i: (-sum(f["points"] for f in i["factors"]), i["facility"])
        )
        self.assertEqual([i["facility"] for i in recomputed], [i["facility"] for i in body])

    def test_campaign_page(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(reverse("prevention:campaign", args=[self.c.pk]))
        self.assertContains(response, 'id="queue"')
        self.assertContains(response, "Mall")
        self.assertContains(response, "burndown-data")


class IndicatorTests(PersonaTestCase):
    def test_figures_match_a_direct_count(self) -> None:
        p = self.personas
        venue = FacilityFactory(region=p.almaty)
        inspection = InspectionFactory(facility=venue, inspected_on=today() - dt.timedelta(days=1))
        ViolationFactory(inspection=inspection, severity="critical")
        ViolationFactory(inspection=inspection, severity="minor", status="verified")
        BriefingFactory(facility=venue)
        GatheringFactory(venue=venue, status="submitted")
        GatheringFactory(venue=venue, status="approved")
        GatheringFactory(venue=FacilityFactory(region=p.astana))
        self.login(p.analyst_national)
        url = reverse("api:indicators-prevention")
        start, end = today() - dt.timedelta(days=30), today() + dt.timedelta(days=30)
        rows = self.client.get(
            url, {"region": "almaty", "date_from": str(start), "date_to": str(end)}
        ).json()
        [row] = rows
        events = Gathering.objects.filter(region=p.almaty)
        self.assertEqual(row["events_planned"], events.count())
        self.assertEqual(row["events_approved"], events.filter(status="approved").count())
        self.assertEqual(row["events_blocked"], 1)
        self.assertEqual(row["events_blocked_by_gate"], {"venue_cleared": 1})
        self.assertEqual(
            row["inspections"], Inspection.objects.filter(facility__region=p.almaty).count()
        )
        self.assertEqual(
            row["violations_found"], Violation.objects.filter(facility__region=p.almaty).count()
        )
        self.assertEqual(row["violations_eliminated"], 1)
        self.assertEqual(row["briefings"], 1)
        self.assertEqual(row["venues_cleared"], 0)

    def test_scope_and_bad_input(self) -> None:
        self.login(self.personas.planner_almaty)
        url = reverse("api:indicators-prevention")
        self.assertEqual([r["region"] for r in self.client.get(url).json()], ["almaty"])
        self.assertEqual(self.client.get(url, {"region": "astana"}).status_code, 400)
        response = self.client.get(url, {"date_from": "yesterday"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("date_from", response.json())


class CampaignPageLanguageTests(CampaignProgressAndQueueTests):
    def test_factor_labels_follow_the_language(self) -> None:
        from django.utils import translation

        with translation.override("ru"):
            expected = translation.gettext("Children's events soon")
        self.assertNotEqual(expected, "Children's events soon")
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(
            reverse("prevention:campaign", args=[self.c.pk]), HTTP_ACCEPT_LANGUAGE="ru"
        )
        self.assertContains(response, expected)
