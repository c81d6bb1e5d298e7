"""Merging a probable duplicate into its original, or keeping it as a separate incident."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.urls import reverse

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.incidents import services
from saqshy.incidents.models import Incident, JournalEntry, Unit
from saqshy.incidents.tests.factories import UnitFactory, incident_type
from saqshy.incidents.tests.test_api import _WithAlmatyDispatcher


class DuplicateTests(_WithAlmatyDispatcher):
    def setUp(self) -> None:
        self.login(self.dispatcher_almaty)
        lat, lon = CENTRES["almaty"]
        fire = incident_type("fire")
        self.original = services.report_incident(
            acting_user=self.dispatcher_almaty,
            type=fire,
            lat=lat,
            lon=lon,
            description="Smoke from the third floor",
        )
        # ~110 m away, same type, within the window: a probable duplicate.
        self.duplicate = services.report_incident(
            acting_user=self.dispatcher_almaty,
            type=fire,
            lat=lat + 0.001,
            lon=lon,
            source="call_112",
            address="Abay Ave 10",
            description="Flames visible from the street",
            reporter="Dana, +7 701 111 22 33",
        )
        assert self.duplicate.duplicate_of_id == self.original.pk

    def post(self, incident: Incident, action: str) -> Any:
        return self.client.post(reverse(f"api:incident-{action}", args=[incident.pk]))

    def texts(self, incident: Incident) -> str:
        return "\n".join(
            JournalEntry.objects.filter(incident=incident).values_list("text", flat=True)
        )

    def test_merge_closes_the_duplicate_and_copies_its_details(self) -> None:
        with (
            mock.patch("saqshy.core.realtime.send_now") as send,
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.post(self.duplicate, "merge")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], "cancelled")
        self.assertIsNotNone(body["merged_at"])
        self.assertIsNotNone(body["closed_at"])
        # It still says which incident it went into.
        self.assertEqual(body["duplicate_of"], self.original.pk)
        original_log = self.texts(self.original)
        for fragment in (
            f"#{self.duplicate.pk} merged",
            "Abay Ave 10",
            "Flames visible from the street",
            "Dana, +7 701 111 22 33",
        ):
            self.assertIn(fragment, original_log)
        self.assertIn(f"Merged into incident #{self.original.pk}", self.texts(self.duplicate))
        # The original is untouched apart from its journal.
        self.original.refresh_from_db()
        self.assertEqual((self.original.status, self.original.merged_at), ("new", None))
        entry = AuditEntry.objects.get(
            object_type="incidents.incident", object_id=str(self.duplicate.pk), action="update"
        )
        self.assertEqual(entry.after["status"], "cancelled")
        self.assertIn("merged_at", entry.after)
        self.assertEqual(entry.actor_id, self.dispatcher_almaty.pk)
        pushed = {(m.args[0]["topic"], m.args[0]["id"]) for m in send.call_args_list}
        self.assertLessEqual(
            {("incident", self.duplicate.pk), ("incident", self.original.pk)}, pushed
        )
        # Done once: merging or keeping it again is a conflict.
        self.assertEqual(self.post(self.duplicate, "merge").status_code, 409)
        self.assertEqual(self.post(self.duplicate, "keep").status_code, 409)

    def test_keep_unlinks_and_journals_both(self) -> None:
        response = self.post(self.duplicate, "keep")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(
            (body["status"], body["duplicate_of"], body["merged_at"]), ("new", None, None)
        )
        self.assertIn("Kept as a separate incident", self.texts(self.duplicate))
        self.assertIn(f"#{self.duplicate.pk} is a separate incident", self.texts(self.original))
        entry = AuditEntry.objects.get(
            object_type="incidents.incident", object_id=str(self.duplicate.pk), action="update"
        )
        self.assertEqual(entry.before["duplicate_of_id"], self.original.pk)
        self.assertIsNone(entry.after["duplicate_of_id"])
        response = self.post(self.duplicate, "keep")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "not_a_duplicate"))

    def test_not_a_duplicate_is_409_and_changes_nothing(self) -> None:
        audits = AuditEntry.objects.count()
        for action in ("merge", "keep"):
            response = self.post(self.original, action)
            self.assertEqual(response.status_code, 409)
            self.assertEqual(response.json()["code"], "not_a_duplicate")
        self.assertEqual(AuditEntry.objects.count(), audits)
        self.original.refresh_from_db()
        self.assertEqual(self.original.status, "new")

    def test_a_duplicate_with_units_on_it_is_not_merged(self) -> None:
        engine: Unit = UnitFactory(region=self.personas.almaty, kind="fire_engine")
        services.dispatch(
            acting_user=self.dispatcher_almaty, incident=self.duplicate, units=[engine]
        )
        audits, lines = AuditEntry.objects.count(), JournalEntry.objects.count()
        response = self.post(self.duplicate, "merge")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "has_units"))
        self.duplicate.refresh_from_db()
        self.assertEqual((self.duplicate.status, self.duplicate.merged_at), ("dispatched", None))
        self.assertEqual(AuditEntry.objects.count(), audits)
        self.assertEqual(JournalEntry.objects.count(), lines)

    def test_a_closed_duplicate_cannot_be_merged(self) -> None:
        services.cancel(acting_user=self.dispatcher_almaty, incident=self.duplicate)
        response = self.post(self.duplicate, "merge")
        self.assertEqual(
            (response.status_code, response.json()["code"]), (409, "invalid_transition")
        )
        self.duplicate.refresh_from_db()
        self.assertIsNone(self.duplicate.merged_at)

    def test_scope_and_role(self) -> None:
        self.login(self.personas.dispatcher_astana)
        self.assertEqual(self.post(self.duplicate, "merge").status_code, 404)
        self.assertEqual(self.post(self.duplicate, "keep").status_code, 404)
        self.login(self.personas.inspector_almaty)  # may view incidents in Almaty, not act
        self.assertEqual(self.post(self.duplicate, "merge").status_code, 403)
        self.assertEqual(self.post(self.duplicate, "keep").status_code, 403)
        self.duplicate.refresh_from_db()
        self.assertEqual(
            (self.duplicate.status, self.duplicate.duplicate_of_id), ("new", self.original.pk)
        )
