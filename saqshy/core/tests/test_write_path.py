"""Writes that never lose data: stale copies, versions, state machines, deletes, retries.

Each test reproduces one measured defect sequentially (a stale copy stands in for the other
request of a race); the truly concurrent versions run on PostgreSQL in
``test_concurrent_writes``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Role
from saqshy.core import services as core_services
from saqshy.core import versioning
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exceptions import Conflict, PreconditionFailed
from saqshy.core.idempotency_models import IdempotencyRecord
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.equipment.models import Hydrant, HydrantCheck
from saqshy.equipment.tests.factories import HydrantCheckFactory, HydrantFactory
from saqshy.facilities import services as facility_services
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings import services as gathering_services
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.incidents import services as incident_services
from saqshy.incidents.models import Incident, IncidentUnit, Unit
from saqshy.incidents.tests.factories import UnitFactory


def _entries(obj: Any, action: str = "update") -> list[AuditEntry]:
    meta = obj._meta
    return list(
        AuditEntry.objects.filter(
            object_type=f"{meta.app_label}.{meta.model_name}",
            object_id=str(obj.pk),
            action=action,
        ).order_by("seq")
    )


class StaleCopyTests(PersonaTestCase):
    """A copy read before someone else's write must not undo that write."""

    def test_update_from_a_stale_copy_keeps_the_other_change(self) -> None:
        facility: Facility = FacilityFactory(region=self.personas.astana, operator="", website="")
        stale = Facility.objects.get(pk=facility.pk)
        facility_services.update_facility(
            acting_user=self.personas.planner_astana, facility=facility, operator="Akimat"
        )
        facility_services.update_facility(
            acting_user=self.personas.planner_astana, facility=stale, website="https://example.kz"
        )
        stored = Facility.objects.get(pk=facility.pk)
        self.assertEqual((stored.operator, stored.website), ("Akimat", "https://example.kz"))
        first, second = _entries(facility)
        self.assertEqual(first.after, {"operator": "Akimat"})
        self.assertEqual(second.before, {"website": ""})
        self.assertEqual(second.after, {"website": "https://example.kz"})
        self.assertEqual(stale.operator, "Akimat")  # the caller's copy shows what is stored

    def test_editing_a_units_crew_from_a_copy_read_before_dispatch_keeps_the_dispatch(
        self,
    ) -> None:
        unit: Unit = UnitFactory(
            region=self.personas.astana, kind="fire_engine", crew="3 firefighters"
        )
        stale = Unit.objects.get(pk=unit.pk)
        incident = incident_services.report_incident(
            acting_user=None, type=_type(), lat=CENTRES["astana"][0], lon=CENTRES["astana"][1]
        )
        incident_services.dispatch(acting_user=None, incident=incident, units=[unit])
        incident_services.update_unit(acting_user=None, unit=stale, crew="5 firefighters")
        stored = Unit.objects.get(pk=unit.pk)
        self.assertEqual((stored.crew, stored.status), ("5 firefighters", "dispatched"))
        self.assertTrue(IncidentUnit.objects.filter(unit=unit, released_at=None).exists())

    def test_a_stale_put_cannot_set_a_dispatched_unit_available(self) -> None:
        unit: Unit = UnitFactory(region=self.personas.astana, kind="fire_engine")
        stale = Unit.objects.get(pk=unit.pk)
        incident = incident_services.report_incident(
            acting_user=None, type=_type(), lat=CENTRES["astana"][0], lon=CENTRES["astana"][1]
        )
        incident_services.dispatch(acting_user=None, incident=incident, units=[unit])
        with self.assertRaises(Conflict) as refused:
            incident_services.update_unit(acting_user=None, unit=stale, status="available")
        self.assertEqual(refused.exception.code, "unit_assigned")
        self.assertEqual(Unit.objects.get(pk=unit.pk).status, "dispatched")


def _type() -> Any:
    from saqshy.incidents.tests.factories import incident_type

    return incident_type("fire")


class StateMachineTests(PersonaTestCase):
    """A second cancel or reject is a 409 that writes nothing, even from a stale copy."""

    def test_second_cancel_from_a_stale_copy_is_refused_and_not_audited(self) -> None:
        event: Gathering = GatheringFactory(
            venue=FacilityFactory(region=self.personas.astana), status="submitted"
        )
        stale = Gathering.objects.get(pk=event.pk)
        gathering_services.cancel(acting_user=None, gathering=event, reason="storm")
        with self.assertRaises(Conflict) as refused:
            gathering_services.cancel(acting_user=None, gathering=stale, reason="again")
        self.assertEqual(refused.exception.code, "invalid_transition")
        self.assertEqual(len(_entries(event)), 1)
        self.assertEqual(Gathering.objects.get(pk=event.pk).status_reason, "storm")

    def test_second_reject_from_a_stale_copy_is_refused(self) -> None:
        event: Gathering = GatheringFactory(
            venue=FacilityFactory(region=self.personas.astana), status="submitted"
        )
        stale = Gathering.objects.get(pk=event.pk)
        gathering_services.reject(acting_user=None, gathering=event, reason="no permit")
        with self.assertRaises(Conflict):
            gathering_services.reject(acting_user=None, gathering=stale, reason="other")
        self.assertEqual(len(_entries(event)), 1)

    def test_api_second_cancel_answers_409(self) -> None:
        event: Gathering = GatheringFactory(
            venue=FacilityFactory(region=self.personas.astana), status="submitted"
        )
        self.login(self.personas.planner_astana)
        url = reverse("api:gathering-cancel", args=[event.pk])
        self.assertEqual(self.client.post(url, {"reason": "storm"}).status_code, 200)
        self.assertEqual(self.client.post(url, {"reason": "again"}).status_code, 409)
        self.assertEqual(len(_entries(event)), 1)

    def test_transitions_are_declared_on_the_choice_set(self) -> None:
        from saqshy.incidents.choices import IncidentStatus

        self.assertEqual(IncidentStatus.targets("on_scene"), ("closed",))
        self.assertEqual(IncidentStatus.transition_to("new", "cancelled"), "cancelled")
        self.assertIsNone(IncidentStatus.transition_to("closed", "new"))


class VersionTests(PersonaTestCase):
    """``ETag`` on reads, ``If-Match`` on writes: a stale client gets 412 and writes nothing."""

    def setUp(self) -> None:
        self.facility: Facility = FacilityFactory(
            region=self.personas.astana, operator="", website=""
        )
        self.url = reverse("api:facility-detail", args=[self.facility.pk])
        self.login(self.personas.planner_astana)

    def test_patch_with_a_stale_etag_answers_412_and_writes_nothing(self) -> None:
        etag = self.client.get(self.url)["ETag"]
        first = self.client.patch(self.url, {"operator": "Akimat"}, HTTP_IF_MATCH=etag)
        self.assertEqual(first.status_code, 200)
        self.assertNotEqual(first["ETag"], etag)
        stale = self.client.patch(self.url, {"website": "https://x.kz"}, HTTP_IF_MATCH=etag)
        self.assertEqual(stale.status_code, 412)
        self.assertEqual(stale.json()["code"], "stale")
        self.assertEqual(stale.json()["current_version"], first["ETag"].strip('"'))
        self.assertEqual(Facility.objects.get(pk=self.facility.pk).website, "")
        self.assertEqual(len(_entries(self.facility)), 1)
        fresh = self.client.patch(
            self.url, {"website": "https://x.kz"}, HTTP_IF_MATCH=first["ETag"]
        )
        self.assertEqual(fresh.status_code, 200)

    def test_the_etag_is_the_stored_version(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(
            response["ETag"], versioning.etag(Facility.objects.get(pk=self.facility.pk))
        )

    def test_delete_and_actions_honour_if_match(self) -> None:
        etag = self.client.get(self.url)["ETag"]
        self.client.patch(self.url, {"operator": "Akimat"})
        self.assertEqual(self.client.delete(self.url, HTTP_IF_MATCH=etag).status_code, 412)
        self.assertTrue(Facility.objects.filter(pk=self.facility.pk).exists())
        event: Gathering = GatheringFactory(
            venue=FacilityFactory(region=self.personas.astana), status="submitted"
        )
        event_url = reverse("api:gathering-detail", args=[event.pk])
        event_etag = self.client.get(event_url)["ETag"]
        self.client.patch(event_url, {"expected_attendance": 250})
        cancel = reverse("api:gathering-cancel", args=[event.pk])
        self.assertEqual(self.client.post(cancel, {}, HTTP_IF_MATCH=event_etag).status_code, 412)
        self.assertEqual(Gathering.objects.get(pk=event.pk).status, "submitted")

    def test_service_refuses_an_expected_version_that_is_not_stored(self) -> None:
        version = versioning.version_of(self.facility)
        core_services.update(acting_user=None, instance=self.facility, changes={"operator": "A"})
        with self.assertRaises(PreconditionFailed):
            core_services.update(
                acting_user=None,
                instance=self.facility,
                changes={"operator": "B"},
                expected_version=version,
            )

    def test_stale_edit_page_says_so_and_saves_nothing(self) -> None:
        edit = reverse("facilities:edit", args=[self.facility.pk])
        self.client.force_login(self.personas.planner_astana)
        page = self.client.get(edit)
        version = page.context["form"]["version"].value()
        self.client.patch(self.url, {"operator": "Someone else"})
        form = {
            name: value
            for name, value in page.context["form"].initial.items()
            if value is not None and name != "footprint"
        }
        form.update(version=version, name="Renamed")
        response = self.client.post(edit, form, format="multipart")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "changed by someone else meanwhile")
        stored = Facility.objects.get(pk=self.facility.pk)
        self.assertEqual(stored.operator, "Someone else")
        self.assertNotEqual(stored.name, "Renamed")

    def test_stale_event_form_is_told_and_a_fresh_one_saves(self) -> None:
        event: Gathering = GatheringFactory(venue=FacilityFactory(region=self.personas.astana))
        edit = reverse("gatherings:edit", args=[event.pk])
        self.client.force_login(self.personas.planner_astana)
        page = self.client.get(edit)
        form = page.context["form"]
        fields = {
            name: form[name].value() for name in form.fields if form[name].value() is not None
        }
        gathering_services.update_gathering(
            acting_user=None, gathering=event, organiser="Someone else"
        )
        stale = self.client.post(
            edit, {**fields, "expected_attendance": 999}, format="multipart", follow=True
        )
        self.assertContains(stale, "changed by someone else meanwhile")
        self.assertEqual(
            Gathering.objects.get(pk=event.pk).expected_attendance, event.expected_attendance
        )
        fresh_version = versioning.version_of(Gathering.objects.get(pk=event.pk))
        self.client.post(
            edit,
            {
                **fields,
                "organiser": "Someone else",
                "expected_attendance": 999,
                "version": fresh_version,
            },
            format="multipart",
        )
        self.assertEqual(Gathering.objects.get(pk=event.pk).expected_attendance, 999)


class PositionTests(PersonaTestCase):
    def test_an_older_fix_never_overwrites_a_newer_one(self) -> None:
        unit: Unit = UnitFactory(region=self.personas.astana, kind="patrol_car")
        lat, lon = CENTRES["astana"]
        now = timezone.now()
        self.login(self.personas.dispatcher_astana)
        url = reverse("api:unit-position", args=[unit.pk])
        newer = {"lat": lat + 0.01, "lon": lon, "at": now.isoformat()}
        older = {"lat": lat - 0.01, "lon": lon, "at": (now - dt.timedelta(minutes=1)).isoformat()}
        self.assertFalse(self.client.post(url, newer).json()["position_ignored"])
        answer = self.client.post(url, older)
        self.assertEqual(answer.status_code, 200)
        self.assertTrue(answer.json()["position_ignored"])
        stored = Unit.objects.get(pk=unit.pk)
        self.assertEqual((stored.lat, stored.position_at), (lat + 0.01, now))


class DeleteTests(PersonaTestCase):
    def test_deleting_a_protected_record_answers_409_naming_the_holder(self) -> None:
        venue: Facility = FacilityFactory(region=self.personas.astana)
        event: Gathering = GatheringFactory(venue=venue)
        self.login(self.personas.planner_astana)
        response = self.client.delete(reverse("api:facility-detail", args=[venue.pk]))
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertEqual(body["code"], "protected")
        self.assertIn(
            {"type": "gatherings.gathering", "id": event.pk, "name": str(event)}, body["held_by"]
        )
        self.assertTrue(Facility.objects.filter(pk=venue.pk).exists())
        self.assertEqual(_entries(venue, "delete"), [])

    def test_cascaded_rows_are_audited_with_the_deletion(self) -> None:
        hydrant: Hydrant = HydrantFactory(region=self.personas.astana)
        checks = [HydrantCheckFactory(hydrant=hydrant) for _n in range(2)]
        core_services.delete(acting_user=None, instance=hydrant)
        self.assertFalse(HydrantCheck.objects.filter(hydrant_id=hydrant.pk).exists())
        (entry,) = _entries(hydrant, "delete")
        self.assertEqual(entry.before["_cascaded"], {"equipment.hydrantcheck": 2})
        for check in checks:
            self.assertEqual(len(_entries(check, "delete")), 1)

    def test_many_to_many_changes_are_audited(self) -> None:
        role = Role.objects.create(slug="tester", name_en="Tester")
        permission = Permission.objects.get(codename="view_facility")
        self.assertTrue(
            core_services.set_related(
                acting_user=None, instance=role, field="permissions", values=[permission]
            )
        )
        (entry,) = _entries(role)
        self.assertEqual(
            (entry.before, entry.after), ({"permissions": []}, {"permissions": [permission.pk]})
        )
        self.assertFalse(
            core_services.set_related(
                acting_user=None, instance=role, field="permissions", values=[permission]
            )
        )


class IdempotencyTests(PersonaTestCase):
    """A retried ``POST`` with the same ``Idempotency-Key`` gets the first answer, creates
    nothing new; the same key with another body is refused."""

    def setUp(self) -> None:
        self.login(self.personas.dispatcher_astana)
        lat, lon = CENTRES["astana"]
        self.lon = lon
        self.report = {"type": "medical", "lat": lat + 0.01, "lon": lon, "source": "call_103"}

    def test_retried_incident_report_creates_one_incident(self) -> None:
        url = reverse("api:incident-list")
        first = self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="call-1")
        self.assertEqual(first.status_code, 201)
        again = self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="call-1")
        self.assertEqual((again.status_code, again.json()), (201, first.json()))
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Incident.objects.count(), 1)
        other = self.client.post(
            url, {**self.report, "lon": self.lon + 0.01}, HTTP_IDEMPOTENCY_KEY="call-1"
        )
        self.assertEqual(other.status_code, 422)
        self.assertIn("Idempotency-Key", other.json()["detail"])
        self.assertEqual(Incident.objects.count(), 1)
        self.assertEqual(self.client.post(url, self.report).status_code, 201)
        self.assertEqual(Incident.objects.count(), 2)

    def _incident_and_unit(self) -> tuple[str, Unit]:
        """A new incident's dispatch address, and an ambulance of the dispatcher's agency."""
        incident = self.client.post(reverse("api:incident-list"), self.report).json()
        unit: Unit = UnitFactory(
            region=self.personas.astana,
            kind="ambulance",
            agency=self.personas.dispatcher_astana.grants.first().agency,
        )
        return reverse("api:incident-dispatch", args=[incident["id"]]), unit

    def test_retried_dispatch_returns_the_first_answer(self) -> None:
        url, unit = self._incident_and_unit()
        first = self.client.post(url, {"units": [unit.pk]}, HTTP_IDEMPOTENCY_KEY="d-1")
        self.assertEqual(first.status_code, 200, first.content)
        again = self.client.post(url, {"units": [unit.pk]}, HTTP_IDEMPOTENCY_KEY="d-1")
        self.assertEqual((again.status_code, again.json()), (200, first.json()))
        self.assertEqual(IncidentUnit.objects.filter(unit=unit).count(), 1)
        plain_retry = self.client.post(url, {"units": [unit.pk]})
        self.assertEqual(plain_retry.status_code, 409)

    def test_a_refused_request_keeps_no_key(self) -> None:
        url = reverse("api:incident-list")
        bad = self.client.post(url, {**self.report, "lat": 95}, HTTP_IDEMPOTENCY_KEY="k")
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(IdempotencyRecord.objects.exists())
        self.assertEqual(
            self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="k").status_code, 201
        )

    def test_keys_belong_to_their_user(self) -> None:
        url = reverse("api:incident-list")
        self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="shared")
        self.login(self.personas.admin)
        response = self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="shared")
        self.assertEqual(response.status_code, 201)
        self.assertNotIn("Idempotent-Replayed", response)
        self.assertEqual(Incident.objects.count(), 2)

    def test_expired_keys_may_be_used_again(self) -> None:
        url = reverse("api:incident-list")
        self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="old")
        IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
        self.assertEqual(
            self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="old").status_code, 201
        )
        self.assertEqual(Incident.objects.count(), 2)

    def test_a_key_is_taken_in_one_statement_and_keeps_the_request(self) -> None:
        url = reverse("api:incident-list")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(url, self.report, HTTP_IDEMPOTENCY_KEY="one-statement")
        self.assertEqual(response.status_code, 201)
        taking = [
            q["sql"] for q in queries.captured_queries if "core_idempotencyrecord" in q["sql"]
        ]
        self.assertEqual(len(taking), 2, taking)  # the claim, then the answer kept
        self.assertTrue(taking[0].startswith("INSERT") and "ON CONFLICT" in taking[0], taking)
        record = IdempotencyRecord.objects.get()
        self.assertEqual(
            (record.user_id, record.key, record.method, record.path, record.status),
            (self.personas.dispatcher_astana.pk, "one-statement", "POST", url, 201),
        )
        self.assertEqual(record.headers.get("Location", ""), response.get("Location", ""))
        self.assertLess(abs((timezone.now() - record.created_at).total_seconds()), 60)

    def test_a_write_appends_its_audit_entries_last_just_before_the_commit(self) -> None:
        url, unit = self._incident_and_unit()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(url, {"units": [unit.pk]}, HTTP_IDEMPOTENCY_KEY="late")
        self.assertEqual(response.status_code, 200, response.content)
        statements = [q["sql"] for q in queries.captured_queries]
        heads = [i for i, sql in enumerate(statements) if "core_auditchainhead" in sql]
        kept = [i for i, sql in enumerate(statements) if sql.startswith('UPDATE "core_idempot')]
        self.assertEqual(len(kept), 1, statements)
        self.assertTrue(heads and min(heads) > kept[0], statements)  # the answer is kept first
        self.assertEqual(
            sorted(AuditEntry.objects.filter(request_id=response["X-Request-ID"])
                   .values_list("object_type", flat=True)),
            ["incidents.incident", "incidents.incidentunit", "incidents.unit"],
        )  # fmt: skip

    def test_the_schema_documents_the_headers(self) -> None:
        schema = self.client.get(reverse("api:schema"), {"format": "json"}).json()
        post = schema["paths"]["/api/incidents/"]["post"]
        self.assertIn("Idempotency-Key", [p["name"] for p in post["parameters"]])
        patch = schema["paths"]["/api/facilities/{id}/"]["patch"]
        self.assertIn("If-Match", [p["name"] for p in patch["parameters"]])
