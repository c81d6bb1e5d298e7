"""The duty desk pages: scope (404), buttons by permission, and refused input changes nothing."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from saqshy.accounts.models import User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Incident, IncidentUnit, JournalEntry, Unit
from saqshy.incidents.tests.factories import (
    IncidentFactory,
    UnitFactory,
    agency,
    dispatcher,
    incident_type,
)


class DeskPageTests(TestCase):
    personas: Personas
    dispatcher_almaty: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        p = cls.personas
        cls.dispatcher_almaty = dispatcher("dispatcher_almaty", "police-almaty", p.almaty)
        cls.lat, cls.lon = CENTRES["almaty"]

    def setUp(self) -> None:
        p = self.personas
        self.client.force_login(self.dispatcher_almaty)
        self.crime = IncidentFactory(
            region=p.almaty,
            type=incident_type("crime"),
            priority=2,
            address="Dostyk Ave 5",
            description="Fight outside the bar",
        )
        self.medical = IncidentFactory(
            region=p.almaty, type=incident_type("medical"), priority=1, address="Abay Ave 1"
        )
        self.closed = IncidentFactory(
            region=p.almaty, type=incident_type("crime"), status="closed", address="Old St 9"
        )
        self.astana = IncidentFactory(region=p.astana, address="Kenesary St 1")
        self.car: Unit = UnitFactory(region=p.almaty, call_sign="P-101")
        self.engine: Unit = UnitFactory(
            region=p.almaty,
            call_sign="FE-7",
            kind="fire_engine",
            agency=agency("des-almaty", "emergency", p.almaty),
        )
        self.astana_car: Unit = UnitFactory(region=p.astana, call_sign="AST-1")

    # --- the queue ----------------------------------------------------------------------------

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        self.client.logout()
        for name in ("incidents:list", "incidents:create", "incidents:indicators", "units:board"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 302, name)

    def test_queue_is_scoped_open_first_with_counts(self) -> None:
        response = self.client.get(reverse("incidents:list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Dostyk Ave 5")
        self.assertContains(response, "Abay Ave 1")
        self.assertNotContains(response, "Old St 9")  # closed: only under "all"
        self.assertNotContains(response, "Kenesary St 1")  # Astana
        self.assertContains(response, "Open (2)")
        self.assertContains(response, "All (3)")
        # Priority 1 comes before priority 2.
        body = response.content.decode()
        self.assertLess(body.index("Abay Ave 1"), body.index("Dostyk Ave 5"))
        self.assertContains(response, reverse("incidents:create"))
        response = self.client.get(reverse("incidents:list"), {"show": "all"})
        self.assertContains(response, "Old St 9")
        response = self.client.get(reverse("incidents:list"), {"type": "medical"})
        self.assertContains(response, "Abay Ave 1")
        self.assertNotContains(response, "Dostyk Ave 5")
        response = self.client.get(reverse("incidents:list"), {"priority": "2"})
        self.assertNotContains(response, "Abay Ave 1")
        self.assertContains(response, "Dostyk Ave 5")
        # The navigation leads here.
        self.assertContains(response, f'href="{reverse("units:board")}"')

    def test_reader_sees_the_queue_without_the_new_button(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(reverse("incidents:list"))
        self.assertContains(response, "Dostyk Ave 5")
        self.assertNotContains(response, 'id="new-incident"')
        self.assertEqual(self.client.get(reverse("incidents:create")).status_code, 403)

    # --- one incident -------------------------------------------------------------------------

    def detail(self, incident: Incident) -> Any:
        return self.client.get(reverse("incidents:detail", args=[incident.pk]))

    def act(self, incident: Incident, action: str, **data: Any) -> Any:
        return self.client.post(
            reverse("incidents:action", args=[incident.pk, action]), data, follow=True
        )

    def test_other_region_is_404_for_pages_and_actions(self) -> None:
        self.assertEqual(self.detail(self.astana).status_code, 404)
        response = self.client.post(
            reverse("incidents:action", args=[self.astana.pk, "advance"]), {"status": "cancelled"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Incident.objects.get(pk=self.astana.pk).status, "new")

    def test_buttons_follow_the_state_machine_and_the_role(self) -> None:
        response = self.detail(self.crime)
        self.assertEqual(response.status_code, 200)
        # New, no unit: close and cancel, not en route / on scene; no button for "dispatched".
        self.assertContains(response, 'data-step="closed"')
        self.assertContains(response, 'data-step="cancelled"')
        self.assertNotContains(response, 'data-step="en_route"')
        self.assertNotContains(response, 'data-step="dispatched"')
        self.assertContains(response, 'id="note-form"')
        self.assertContains(response, 'id="dispatch-form"')
        self.assertContains(response, "P-101")  # the user's own agency's car
        self.assertNotContains(response, "FE-7")  # another agency: not theirs to send
        self.assertContains(response, "?incident=")  # the map link
        # A viewer sees everything but no button.
        self.client.force_login(self.personas.inspector_almaty)
        response = self.detail(self.crime)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Fight outside the bar")
        for marker in ("data-step=", 'id="note-form"', 'id="dispatch-form"'):
            self.assertNotContains(response, marker)
        audits = AuditEntry.objects.count()
        for action, data in (("advance", {"status": "cancelled"}), ("note", {"text": "x"})):
            response = self.client.post(
                reverse("incidents:action", args=[self.crime.pk, action]), data
            )
            self.assertEqual(response.status_code, 403)
        self.assertEqual(Incident.objects.get(pk=self.crime.pk).status, "new")
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_dispatch_then_advance_then_close_from_the_page(self) -> None:
        response = self.act(self.crime, "dispatch", units=[self.car.pk])
        self.assertContains(response, "Units dispatched: P-101.")
        self.assertEqual(Unit.objects.get(pk=self.car.pk).status, "dispatched")
        self.assertContains(response, 'data-step="en_route"')
        response = self.act(self.crime, "advance", status="on_scene")
        self.assertEqual(Incident.objects.get(pk=self.crime.pk).status, "on_scene")
        # On scene: only closing is offered.
        self.assertNotContains(response, 'data-step="cancelled"')
        response = self.act(self.crime, "advance", status="closed", reason="Fight broken up")
        self.assertEqual(Incident.objects.get(pk=self.crime.pk).status, "closed")
        self.assertContains(response, "Fight broken up")
        self.assertNotContains(response, "data-step=")

    def test_refused_actions_change_nothing(self) -> None:
        audits, lines = AuditEntry.objects.count(), JournalEntry.objects.count()
        # An empty note, a transition the state machine refuses, no unit chosen.
        response = self.act(self.crime, "note", text="   ")
        self.assertContains(response, "Write the note.")
        response = self.act(self.crime, "advance", status="on_scene")
        self.assertContains(response, "cannot become")
        response = self.act(self.crime, "dispatch")
        self.assertContains(response, "Choose at least one unit")
        response = self.act(self.crime, "dispatch", units=[self.engine.pk])  # not theirs
        self.assertContains(response, "Choose at least one unit")
        self.assertEqual(Incident.objects.get(pk=self.crime.pk).status, "new")
        self.assertEqual(
            (AuditEntry.objects.count(), JournalEntry.objects.count()), (audits, lines)
        )
        self.assertEqual(Unit.objects.get(pk=self.engine.pk).status, "available")
        # A note that is written goes into the journal.
        response = self.act(self.crime, "note", text="Caller hung up")
        self.assertContains(response, "Caller hung up")
        self.assertEqual(JournalEntry.objects.count(), lines + 1)

    def test_merge_and_keep_buttons(self) -> None:
        fire = incident_type("fire")
        first = services.report_incident(
            acting_user=self.dispatcher_almaty, type=fire, lat=self.lat, lon=self.lon
        )
        second = services.report_incident(
            acting_user=self.dispatcher_almaty,
            type=fire,
            lat=self.lat + 0.001,
            lon=self.lon,
            description="Black smoke over the market",
        )
        third = services.report_incident(
            acting_user=self.dispatcher_almaty, type=fire, lat=self.lat - 0.001, lon=self.lon
        )
        response = self.detail(second)
        self.assertContains(response, 'id="merge"')
        self.assertContains(response, 'id="keep"')
        response = self.detail(first)
        self.assertContains(response, f'data-duplicate="{second.pk}"')
        self.assertContains(response, "2 possible duplicates", count=0)
        queue = self.client.get(reverse("incidents:list"))
        self.assertContains(queue, "2 possible duplicates")
        # A viewer sees the duplicate but no button.
        self.client.force_login(self.personas.inspector_almaty)
        response = self.detail(second)
        self.assertContains(response, "Possible duplicate")
        self.assertNotContains(response, 'id="merge"')
        self.client.force_login(self.dispatcher_almaty)
        # Merge from the original's page: back on the original, with the details in its journal.
        response = self.client.post(
            reverse("incidents:action", args=[second.pk, "merge"]),
            {"back": first.pk},
            follow=True,
        )
        self.assertEqual(
            response.request["PATH_INFO"], reverse("incidents:detail", args=[first.pk])
        )
        self.assertContains(response, "Black smoke over the market")
        second.refresh_from_db()
        self.assertEqual((second.status, second.is_merged), ("cancelled", True))
        response = self.act(third, "keep")
        self.assertContains(response, "kept as a separate incident")
        third.refresh_from_db()
        self.assertIsNone(third.duplicate_of_id)
        # Again: refused, nothing changes.
        response = self.act(third, "keep")
        self.assertContains(response, "not marked as a possible duplicate")

    # --- intake -------------------------------------------------------------------------------

    def intake(self, **changes: Any) -> dict[str, Any]:
        return {
            "type": incident_type("medical").pk,
            "priority": "",
            "source": "call_103",
            "lat": str(self.lat + 0.01),
            "lon": str(self.lon),
            "address": "Tole Bi St 50",
            "description": "Elderly man fell on the ice",
            "reporter": "Arman, +7 702 000 00 00",
            **changes,
        }

    def test_new_incident_from_the_form(self) -> None:
        self.assertEqual(self.client.get(reverse("incidents:create")).status_code, 200)
        response = self.client.post(reverse("incidents:create"), self.intake(), follow=True)
        incident = Incident.objects.get(address="Tole Bi St 50")
        self.assertEqual(
            response.request["PATH_INFO"], reverse("incidents:detail", args=[incident.pk])
        )
        self.assertEqual(incident.region_id, self.personas.almaty.pk)
        self.assertEqual(incident.priority, incident_type("medical").default_priority)
        self.assertEqual(incident.reported_by_id, self.dispatcher_almaty.pk)
        self.assertContains(response, f"Recorded as incident #{incident.pk}.")

    def test_bad_intake_changes_nothing(self) -> None:
        count, audits = Incident.objects.count(), AuditEntry.objects.count()
        url = reverse("incidents:create")
        cases = [
            (self.intake(type=""), "type"),
            (self.intake(lat="north"), "lat"),
            (self.intake(lat="95"), "lat"),
            # Outside every region.
            (self.intake(lat="10", lon="10"), "outside every known region"),
            # In Astana: this dispatcher may not record there.
            (
                self.intake(lat=str(CENTRES["astana"][0]), lon=str(CENTRES["astana"][1])),
                "may not add",
            ),
        ]
        for data, expected in cases:
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 200, expected)
            self.assertContains(response, 'class="errorlist"')
            if " " in expected:
                self.assertContains(response, expected)
            else:
                self.assertTrue(response.context["form"].errors.get(expected), expected)
        self.assertEqual((Incident.objects.count(), AuditEntry.objects.count()), (count, audits))

    # --- units --------------------------------------------------------------------------------

    def test_unit_board_is_scoped_and_grouped(self) -> None:
        services.dispatch(acting_user=self.dispatcher_almaty, incident=self.crime, units=[self.car])
        response = self.client.get(reverse("units:board"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "P-101")
        # A dispatcher's grant is for their own agency: Almaty's fire engine is not theirs.
        self.assertNotContains(response, "FE-7")
        self.assertNotContains(response, "AST-1")
        self.assertContains(response, 'data-column="dispatched"')
        self.assertContains(response, reverse("incidents:detail", args=[self.crime.pk]))
        # No button on a unit that is on an incident.
        self.assertNotContains(response, 'data-set="')
        # An inspector (every agency, view only) sees both of Almaty's units, and no button.
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(reverse("units:board"))
        self.assertContains(response, "P-101")
        self.assertContains(response, "FE-7")
        self.assertNotContains(response, "AST-1")
        self.assertContains(response, 'data-unit-count="available">1<')
        self.assertNotContains(response, 'data-set="')
        self.assertEqual(self.set_status(self.engine, "out_of_service").status_code, 403)

    def set_status(self, unit: Unit, status: str) -> Any:
        data = {"status": status, "reason": "Engine repairs"}
        return self.client.post(reverse("units:status", args=[unit.pk]), data)

    def test_unit_status_buttons(self) -> None:
        response = self.client.get(reverse("units:board"))
        self.assertContains(response, 'data-set="out_of_service"', count=1)
        self.assertEqual(self.set_status(self.car, "out_of_service").status_code, 302)
        self.assertEqual(Unit.objects.get(pk=self.car.pk).status, "out_of_service")
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="incidents.unit", object_id=str(self.car.pk), action="update"
            ).exists()
        )
        response = self.client.get(reverse("units:board"))
        self.assertContains(response, 'data-set="available"', count=1)
        self.assertEqual(self.set_status(self.car, "available").status_code, 302)
        self.assertEqual(Unit.objects.get(pk=self.car.pk).status, "available")

    def test_unit_status_refusals_change_nothing(self) -> None:
        # Another region or another agency: not there (404). A status only dispatching sets:
        # refused.
        self.assertEqual(self.set_status(self.astana_car, "out_of_service").status_code, 404)
        self.assertEqual(self.set_status(self.engine, "out_of_service").status_code, 404)
        response = self.client.post(
            reverse("units:status", args=[self.car.pk]), {"status": "dispatched"}, follow=True
        )
        self.assertContains(response, "Only dispatching sends a unit.")
        services.dispatch(acting_user=self.dispatcher_almaty, incident=self.crime, units=[self.car])
        audits = AuditEntry.objects.count()
        response = self.client.post(
            reverse("units:status", args=[self.car.pk]), {"status": "available"}, follow=True
        )
        self.assertContains(response, "is on an incident")
        self.assertEqual(Unit.objects.get(pk=self.car.pk).status, "dispatched")
        self.assertTrue(IncidentUnit.objects.filter(unit=self.car, released_at=None).exists())
        self.assertEqual(AuditEntry.objects.count(), audits)
        for unit in (self.astana_car, self.engine):
            self.assertEqual(Unit.objects.get(pk=unit.pk).status, "available")
