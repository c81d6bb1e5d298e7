from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase, ReferenceAPITests, RegionScopedAPITests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.inspections import services
from saqshy.inspections.models import Briefing, Drill, Inspection, Violation
from saqshy.inspections.queries import clearance_of
from saqshy.inspections.tests.factories import (
    BriefingFactory,
    DrillFactory,
    InspectionFactory,
    ViolationFactory,
    item,
    second_inspector,
)


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


class ChecklistAPITests(ReferenceAPITests):
    basename = "checklistitem"

    def test_default_checklist_is_data(self) -> None:
        self.login(self.personas.inspector_almaty)
        codes = {i["code"] for i in self.client.get(self.list_url()).json()["results"]}
        self.assertTrue({"fire-alarm", "exits", "extinguishers", "access-road"} <= codes)


class InspectionAPITests(RegionScopedAPITests):
    refused_create = (400, "facility")
    basename = "inspection"
    model = Inspection
    writer = "inspector_almaty"
    supports = frozenset({"create"})

    def make_object(self, region: Region) -> Inspection:
        return InspectionFactory(facility=FacilityFactory(region=region))

    def create_payload(self, region: Region) -> dict[str, Any]:
        facility = FacilityFactory(region=region)
        return {
            "facility": facility.pk,
            "inspected_on": str(today()),
            "results": [
                {"item": "fire-alarm", "passed": True},
                {"item": "exits", "passed": False, "note": "Rear exit locked"},
            ],
        }

    def update_payload(self) -> dict[str, Any]:
        return {"notes": "changed"}

    def test_failed_item_becomes_an_open_violation_with_a_deadline(self) -> None:
        self.login(self.p.inspector_almaty)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.status_code, 201, response.content)
        [violation] = response.json()["violations"]
        self.assertEqual((violation["item"], violation["severity"]), ("exits", "critical"))
        self.assertEqual(violation["deadline"], str(today() + dt.timedelta(days=1)))
        self.assertEqual(violation["description"], "Rear exit locked")
        self.assertEqual(AuditEntry.objects.filter(object_type="inspections.violation").count(), 1)

    def test_bad_inspection_changes_nothing(self) -> None:
        self.login(self.p.inspector_almaty)
        payload = self.create_payload(self.p.almaty)
        payload["results"].append({"item": "exits", "passed": True})
        counts = (Inspection.objects.count(), Violation.objects.count())
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("results", response.json())
        payload["results"] = [{"item": "no-such-item", "passed": True}]
        self.assertEqual(self.client.post(self.list_url(), payload).status_code, 400)
        self.assertEqual((Inspection.objects.count(), Violation.objects.count()), counts)

    def test_facility_outside_scope_is_an_unknown_facility(self) -> None:
        self.login(self.p.inspector_almaty)
        payload = self.create_payload(self.p.astana)
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("facility", response.json())


class ViolationAPITests(RegionScopedAPITests):
    basename = "violation"
    model = Violation
    writer = "inspector_almaty"
    supports = frozenset()

    def make_object(self, region: Region) -> Violation:
        inspection = InspectionFactory(facility=FacilityFactory(region=region))
        return ViolationFactory(inspection=inspection)

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {"description": "x"}

    def update_payload(self) -> dict[str, Any]:
        return {"status": "verified"}

    def test_lifecycle_open_eliminated_verified_restores_clearance(self) -> None:
        self.login(self.p.inspector_almaty)
        violation = self.in_almaty
        facility = violation.facility
        self.assertEqual(clearance_of(facility.pk, today()).status, "blocked")
        url = reverse("api:violation-verify", args=[violation.pk])
        response = self.client.post(url, {"inspected_on": str(today())})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")
        response = self.client.post(
            reverse("api:violation-eliminate", args=[violation.pk]),
            {"eliminated_on": str(today()), "note": "Panel repaired"},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "eliminated")
        self.assertEqual(clearance_of(facility.pk, today()).status, "blocked")
        self.login(second_inspector())
        response = self.client.post(url, {"inspected_on": str(today())})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "verified")
        self.assertEqual(clearance_of(facility.pk, today()).status, "cleared")
        self.assertTrue(Inspection.objects.filter(facility=facility, is_reinspection=True).exists())

    def test_reader_cannot_eliminate(self) -> None:
        self.login(self.p.dispatcher_astana)
        response = self.client.post(
            reverse("api:violation-eliminate", args=[self.in_astana.pk]),
            {"eliminated_on": str(today())},
        )
        self.assertEqual(response.status_code, 403)

    def test_other_region_violation_cannot_be_eliminated(self) -> None:
        self.login(self.p.inspector_almaty)
        response = self.client.post(
            reverse("api:violation-eliminate", args=[self.in_astana.pk]),
            {"eliminated_on": str(today())},
        )
        self.assertEqual(response.status_code, 404)


class BriefingAPITests(RegionScopedAPITests):
    refused_create = (400, "facility")
    basename = "briefing"
    model = Briefing
    writer = "inspector_almaty"

    def make_object(self, region: Region) -> Briefing:
        return BriefingFactory(facility=FacilityFactory(region=region))

    def create_payload(self, region: Region) -> dict[str, Any]:
        facility = FacilityFactory(region=region)
        return {
            "facility": facility.pk,
            "held_on": str(today()),
            "participants": 12,
            "topic": "Fire extinguishers",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"participants": 30}


class DrillAPITests(RegionScopedAPITests):
    refused_create = (400, "facility")
    basename = "drill"
    model = Drill
    writer = "inspector_almaty"

    def make_object(self, region: Region) -> Drill:
        return DrillFactory(facility=FacilityFactory(region=region))

    def create_payload(self, region: Region) -> dict[str, Any]:
        facility = FacilityFactory(region=region)
        return {
            "facility": facility.pk,
            "held_on": str(today()),
            "people_evacuated": 120,
            "evacuation_seconds": 300,
            "norm_seconds": 480,
        }

    def update_payload(self) -> dict[str, Any]:
        return {"evacuation_seconds": 500}


class ClearanceTests(PersonaTestCase):
    def test_states(self) -> None:
        facility = FacilityFactory(region=self.personas.almaty)
        self.assertEqual(clearance_of(facility.pk, today()).status, "never")
        InspectionFactory(facility=facility, inspected_on=today() - dt.timedelta(days=40))
        self.assertEqual(clearance_of(facility.pk, today()).status, "expired")
        InspectionFactory(facility=facility, inspected_on=today() - dt.timedelta(days=10))
        self.assertEqual(clearance_of(facility.pk, today()).status, "cleared")
        minor = ViolationFactory(
            inspection=facility.inspections.first(), severity="minor", description="sign faded"
        )
        self.assertEqual(clearance_of(facility.pk, today()).status, "cleared")
        minor.severity = "major"
        minor.save()
        self.assertEqual(clearance_of(facility.pk, today()).status, "blocked")


class RecordPageTests(PersonaTestCase):
    def test_lists_are_scoped_and_filtered(self) -> None:
        almaty = InspectionFactory(
            facility=FacilityFactory(region=self.personas.almaty, name="Almaty hall")
        )
        InspectionFactory(facility=FacilityFactory(region=self.personas.astana, name="Astana hall"))
        BriefingFactory(facility=almaty.facility)
        DrillFactory(facility=almaty.facility)
        self.client.force_login(self.personas.inspector_almaty)
        for kind in ("inspections", "briefings", "drills"):
            response = self.client.get(reverse("inspections:records", args=[kind]))
            self.assertContains(response, "Almaty hall")
            self.assertNotContains(response, "Astana hall")
        response = self.client.get(
            reverse("inspections:records", args=["inspections"]),
            {"date_from": str(today() + dt.timedelta(days=1))},
        )
        self.assertNotContains(response, "Almaty hall")
        self.assertEqual(self.client.get("/inspections/records/nothing/").status_code, 404)


class LocalDateTests(PersonaTestCase):
    """A date is in the future after the local date (Asia/Almaty), not the server's date."""

    def test_an_inspection_of_today_local_is_not_in_the_future(self) -> None:
        facility = FacilityFactory(region=self.personas.almaty)
        # 00:30 on 1 January in Almaty is still 31 December in UTC (and on most servers).
        local_morning = timezone.make_aware(dt.datetime(2027, 1, 1, 0, 30))
        day = dt.date(2027, 1, 1)
        with mock.patch("django.utils.timezone.now", return_value=local_morning):
            inspection = services.record_inspection(
                acting_user=self.personas.inspector_almaty,
                facility=facility,
                inspected_on=day,
                results=[services.ItemResult(item(), False, "panel off")],
            )
            violation = inspection.violations.get()
            with self.assertRaises(ValidationError):
                services.mark_eliminated(
                    acting_user=None,
                    violation=violation,
                    eliminated_on=day + dt.timedelta(days=1),
                )
            services.mark_eliminated(acting_user=None, violation=violation, eliminated_on=day)
            with self.assertRaises(ValidationError):
                services.record_inspection(
                    acting_user=self.personas.inspector_almaty,
                    facility=facility,
                    inspected_on=day + dt.timedelta(days=1),
                    results=[services.ItemResult(item(), True, "")],
                )
