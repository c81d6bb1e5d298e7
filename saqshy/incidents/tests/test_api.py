from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region, User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.incidents import services
from saqshy.incidents.models import Incident, IncidentUnit, JournalEntry, Unit
from saqshy.incidents.tests.factories import (
    IncidentFactory,
    UnitFactory,
    dispatcher,
    incident_type,
)


class _WithAlmatyDispatcher(PersonaTestCase, abstract=True):
    """The personas plus ``dispatcher_almaty`` (Almaty police), who reports and dispatches."""

    dispatcher_almaty: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dispatcher_almaty = dispatcher(
            "dispatcher_almaty", "police-almaty", cls.personas.almaty
        )

    def user(self, name: str) -> User:
        if name == "dispatcher_almaty":
            return self.dispatcher_almaty
        found: User = getattr(self.personas, name)
        return found


class IncidentAPITests(_WithAlmatyDispatcher, RegionScopedAPITests):
    basename = "incident"
    model = Incident
    writer = "dispatcher_almaty"
    reader = "planner_astana"
    supports = frozenset({"create"})

    def make_object(self, region: Region) -> Incident:
        return IncidentFactory(region=region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "type": "medical",
            "lat": lat + 0.01,
            "lon": lon,
            "source": "call_103",
            "description": "A man collapsed at the bus stop",
            "reporter": "Aigerim, +7 701 000 00 00",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"description": "Edited"}

    def test_report_takes_region_and_priority_from_place_and_type(self) -> None:
        self.login(self.dispatcher_almaty)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["region"], body["status"]), ("almaty", "new"))
        self.assertEqual(body["priority"], incident_type("medical").default_priority)
        self.assertIsNone(body["duplicate_of"])
        journal = self.client.get(reverse("api:incident-journal", args=[body["id"]])).json()
        self.assertEqual([e["kind"] for e in journal], ["auto"])

    def test_unknown_type_and_outside_every_region_name_the_field(self) -> None:
        self.login(self.dispatcher_almaty)
        payload = self.create_payload(self.p.almaty)
        response = self.client.post(self.list_url(), {**payload, "type": "alien_landing"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("type", response.json())
        response = self.client.post(self.list_url(), {**payload, "lat": 10.0, "lon": 10.0})
        self.assertEqual(response.status_code, 400)
        self.assertIn("lat", response.json())

    def test_notes_are_journalled_and_audited(self) -> None:
        self.login(self.dispatcher_almaty)
        url = reverse("api:incident-notes", args=[self.in_almaty.pk])
        response = self.client.post(url, {"text": "Caller says the door is locked"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["kind"], "note")
        self.assertEqual(response.json()["author"], "dispatcher_almaty")
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="incidents.journalentry", action="create"
            ).exists()
        )
        self.assertEqual(self.client.post(url, {"text": "  "}).status_code, 400)
        # Another region's incident does not exist for this user.
        other = reverse("api:incident-notes", args=[self.in_astana.pk])
        self.assertEqual(self.client.post(other, {"text": "x"}).status_code, 404)

    def test_reader_cannot_act(self) -> None:
        self.login(self.p.planner_astana)
        url = reverse("api:incident-close", args=[self.in_astana.pk])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("api:incident-journal", args=[self.in_astana.pk])).status_code,
            200,
        )


class UnitAPITests(_WithAlmatyDispatcher, RegionScopedAPITests):
    basename = "unit"
    model = Unit
    writer = "dispatcher_almaty"
    reader = "planner_astana"

    def make_object(self, region: Region) -> Unit:
        return UnitFactory(region=region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "call_sign": f"PATROL-{region.slug}-1",
            "kind": "patrol_car",
            "agency": f"police-{region.slug}",
            "region": region.slug,
        }

    def update_payload(self) -> dict[str, Any]:
        return {"crew": "Sgt. Abenov, Cpl. Serikova"}

    def test_other_agency_unit_is_refused(self) -> None:
        self.login(self.dispatcher_almaty)
        payload = {**self.create_payload(self.p.almaty), "agency": "des-almaty"}
        self.assertEqual(self.client.post(self.list_url(), payload).status_code, 403)

    def test_position_is_recorded_and_an_older_fix_ignored(self) -> None:
        self.login(self.dispatcher_almaty)
        url = reverse("api:unit-position", args=[self.in_almaty.pk])
        now = timezone.now()
        response = self.client.post(url, {"lat": 43.25, "lon": 76.95, "at": now.isoformat()})
        self.assertEqual(response.status_code, 200, response.content)
        older = (now - dt.timedelta(minutes=5)).isoformat()
        response = self.client.post(url, {"lat": 43.24, "lon": 76.94, "at": older})
        self.assertEqual((response.json()["lat"], response.json()["lon"]), (43.25, 76.95))
        self.assertEqual(self.client.post(url, {"lat": 95, "lon": 0}).status_code, 400)

    def test_status_cannot_be_set_to_dispatched_by_hand(self) -> None:
        self.login(self.dispatcher_almaty)
        url = self.detail_url(self.in_almaty)
        response = self.client.patch(url, {"status": "dispatched"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.client.patch(url, {"status": "out_of_service"}).status_code, 400)
        response = self.client.patch(url, {"status": "out_of_service", "status_reason": "Repairs"})
        self.assertEqual(response.status_code, 200)


class IncidentFlowTests(_WithAlmatyDispatcher):
    """The state machine, de-duplication and dispatch through the API."""

    def setUp(self) -> None:
        self.login(self.dispatcher_almaty)
        self.almaty = self.personas.almaty
        self.lat, self.lon = CENTRES["almaty"]

    def report(self, type_code: str = "fire", dlat: float = 0.0, **extra: Any) -> dict[str, Any]:
        payload = {"type": type_code, "lat": self.lat + dlat, "lon": self.lon, **extra}
        response = self.client.post(reverse("api:incident-list"), payload)
        self.assertEqual(response.status_code, 201, response.content)
        body: dict[str, Any] = response.json()
        return body

    def advance(self, pk: int, status: str) -> Any:
        return self.client.post(reverse("api:incident-advance", args=[pk]), {"status": status})

    def send(self, pk: int, *units: Unit) -> Any:
        return self.client.post(
            reverse("api:incident-dispatch", args=[pk]),
            {"units": [u.pk for u in units]},
            format="json",
        )

    def test_an_action_answers_with_the_stored_version(self) -> None:
        """The ``ETag`` of an action's answer is the version a read gives right after, and
        an ``If-Match`` with it is accepted by the next action."""
        incident = self.report("fire")
        unit = UnitFactory(region=self.almaty, call_sign="E-9")
        detail = reverse("api:incident-detail", args=[incident["id"]])
        sent = self.send(incident["id"], unit)
        self.assertEqual(sent.status_code, 200, sent.content)
        self.assertEqual(sent["ETag"], self.client.get(detail)["ETag"])
        closed = self.client.post(
            reverse("api:incident-close", args=[incident["id"]]), HTTP_IF_MATCH=sent["ETag"]
        )
        self.assertEqual(closed.status_code, 200, closed.content)
        self.assertEqual(closed["ETag"], self.client.get(detail)["ETag"])
        self.assertNotEqual(closed["ETag"], sent["ETag"])

    def test_a_second_report_nearby_is_marked_a_duplicate(self) -> None:
        first = self.report("fire")
        # ~110 m north: inside the fire radius (300 m).
        second = self.report("fire", dlat=0.001)
        self.assertEqual(second["duplicate_of"], first["id"])
        # A third duplicate points at the first report, not at the second.
        third = self.report("fire", dlat=-0.001)
        self.assertEqual(third["duplicate_of"], first["id"])
        texts = list(
            JournalEntry.objects.filter(incident_id=first["id"]).values_list("text", flat=True)
        )
        self.assertTrue(any(f"#{second['id']}" in t for t in texts), texts)
        # Another type, or far away, or a closed one: not a duplicate.
        self.assertIsNone(self.report("medical")["duplicate_of"])
        self.assertIsNone(self.report("fire", dlat=0.02)["duplicate_of"])
        self.assertEqual(
            self.client.post(reverse("api:incident-close", args=[first["id"]])).status_code, 200
        )
        self.assertEqual(
            self.client.post(reverse("api:incident-close", args=[second["id"]])).status_code, 200
        )
        self.assertEqual(
            self.client.post(reverse("api:incident-close", args=[third["id"]])).status_code, 200
        )
        self.assertIsNone(self.report("fire")["duplicate_of"])

    def test_old_report_is_not_a_duplicate(self) -> None:
        first = self.report("fire")
        Incident.objects.filter(pk=first["id"]).update(
            reported_at=timezone.now() - dt.timedelta(hours=2)
        )
        self.assertIsNone(self.report("fire")["duplicate_of"])

    def test_transitions_are_enforced_with_409(self) -> None:
        incident = self.report("crime")
        pk = incident["id"]
        # Nobody is assigned yet: cannot be en route; on_scene is not reachable from new.
        self.assertEqual(self.advance(pk, "on_scene").status_code, 409)
        response = self.advance(pk, "dispatched")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "no_units"))
        self.assertEqual(self.advance(pk, "new").status_code, 409)
        self.assertEqual(self.advance(pk, "flying").status_code, 400)
        self.assertEqual(self.advance(pk, "cancelled").status_code, 200)
        response = self.advance(pk, "closed")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")
        self.assertEqual(
            self.client.post(reverse("api:incident-close", args=[pk])).status_code, 409
        )
        unit = UnitFactory(region=self.almaty)
        self.assertEqual(self.send(pk, unit).status_code, 409)
        unit.refresh_from_db()
        self.assertEqual(unit.status, "available")

    def test_full_response_moves_units_with_the_incident(self) -> None:
        pk = self.report("crime")["id"]
        car = UnitFactory(region=self.almaty)
        response = self.send(pk, car)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], "dispatched")
        self.assertIsNotNone(body["dispatched_at"])
        self.assertEqual([a["unit"] for a in body["assignments"]], [car.pk])
        self.assertEqual(self.advance(pk, "en_route").status_code, 200)
        car.refresh_from_db()
        self.assertEqual(car.status, "en_route")
        response = self.advance(pk, "on_scene")
        self.assertIsNotNone(response.json()["on_scene_at"])
        car.refresh_from_db()
        self.assertEqual(car.status, "on_scene")
        # A unit on an incident cannot be made available by hand.
        patch = self.client.patch(
            reverse("api:unit-detail", args=[car.pk]), {"status": "available"}
        )
        self.assertEqual(patch.status_code, 409)
        response = self.client.post(
            reverse("api:incident-close", args=[pk]), {"resolution": "Fight broken up"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "closed")
        car.refresh_from_db()
        self.assertEqual(car.status, "returning")
        self.assertFalse(IncidentUnit.objects.filter(unit_id=car.pk, released_at=None).exists())
        patch = self.client.patch(
            reverse("api:unit-detail", args=[car.pk]), {"status": "available"}
        )
        self.assertEqual(patch.status_code, 200)
        journal = self.client.get(reverse("api:incident-journal", args=[pk])).json()
        texts = " | ".join(e["text"] for e in journal)
        for fragment in ("dispatched", "released", "Fight broken up"):
            self.assertIn(fragment, texts)
        actions = AuditEntry.objects.filter(object_type="incidents.incident", object_id=str(pk))
        self.assertGreaterEqual(actions.filter(action="update").count(), 4)

    def test_a_unit_taken_by_another_dispatcher_answers_409_and_changes_nothing(self) -> None:
        first = self.report("fire")["id"]
        second = self.report("crime", dlat=0.05)["id"]
        # The spare is created first, so the all-or-none rollback really undoes a taken unit.
        spare = UnitFactory(region=self.almaty, kind="fire_engine")
        engine = UnitFactory(region=self.almaty, kind="fire_engine")
        self.assertEqual(self.send(first, engine).status_code, 200)
        audits = AuditEntry.objects.count()
        # The second dispatcher asks for the spare and the engine already taken: all or none.
        response = self.send(second, spare, engine)
        self.assertEqual(response.status_code, 409, response.content)
        body = response.json()
        self.assertEqual((body["code"], body["unit"]), ("unit_unavailable", engine.pk))
        spare.refresh_from_db()
        self.assertEqual(spare.status, "available")
        self.assertEqual(Incident.objects.get(pk=second).status, "new")
        self.assertFalse(IncidentUnit.objects.filter(incident_id=second).exists())
        self.assertEqual(AuditEntry.objects.count(), audits)
        self.assertEqual(
            list(
                IncidentUnit.objects.filter(unit_id=engine.pk).values_list("incident_id", flat=True)
            ),
            [first],
        )

    def test_compare_and_set_refuses_a_stale_unit_object(self) -> None:
        """Both dispatchers loaded the unit as available; only the first write wins."""
        first = Incident.objects.get(pk=self.report("fire")["id"])
        second = Incident.objects.get(pk=self.report("crime", dlat=0.05)["id"])
        unit = UnitFactory(region=self.almaty)
        stale_a, stale_b = Unit.objects.get(pk=unit.pk), Unit.objects.get(pk=unit.pk)
        services.dispatch(acting_user=self.dispatcher_almaty, incident=first, units=[stale_a])
        from saqshy.core.exceptions import Conflict

        with self.assertRaises(Conflict):
            services.dispatch(acting_user=self.dispatcher_almaty, incident=second, units=[stale_b])
        second.refresh_from_db()
        self.assertEqual(second.status, "new")

    def test_unknown_or_invisible_unit_is_400(self) -> None:
        pk = self.report("crime")["id"]
        elsewhere = UnitFactory(region=self.personas.astana)
        response = self.send(pk, elsewhere)
        self.assertEqual(response.status_code, 400)
        self.assertIn("units", response.json())
