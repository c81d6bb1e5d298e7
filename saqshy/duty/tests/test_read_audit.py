"""Reads of personnel (names, phone numbers, sickness) are audited, on every path that shows them.

One entry per request and per (kind, region, agency) of the records read, naming their ids.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from saqshy.accounts.models import Agency, Region
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty.models import Person
from saqshy.duty.tests.factories import AbsenceFactory, PersonFactory


def police(region: Region) -> Agency:
    return Agency.objects.get(code=f"police-{region.slug}")


class ReadAuditTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.almaty = [PersonFactory(agency=police(p.almaty)) for _ in range(3)]
        self.astana = PersonFactory(agency=police(p.astana))

    def reads(self) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(action="read").order_by("id"))

    def page_client(self, user: object) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def test_api_detail_is_one_entry_naming_the_person(self) -> None:
        p = self.personas
        self.login(p.planner_almaty)
        person = self.almaty[0]
        response = self.client.get(reverse("api:duty-person-detail", args=[person.pk]))
        self.assertEqual(response.status_code, 200)
        [entry] = self.reads()
        self.assertEqual(
            (entry.object_type, entry.object_id, entry.actor_id),
            ("duty.person", str(person.pk), p.planner_almaty.pk),
        )
        self.assertEqual((entry.region_id, entry.agency_id), (p.almaty.pk, person.agency_id))
        self.assertEqual(entry.after["ids"], [person.pk])
        self.assertTrue(entry.request_id)

    def test_api_list_is_one_entry_per_region_and_agency_listing_the_ids(self) -> None:
        self.login(self.personas.analyst_national)
        response = self.client.get(reverse("api:duty-person-list"))
        self.assertEqual(response.status_code, 200)
        entries = {e.region_id: e for e in self.reads()}
        self.assertEqual(set(entries), {self.personas.almaty.pk, self.personas.astana.pk})
        almaty = entries[self.personas.almaty.pk]
        self.assertEqual(almaty.after["ids"], sorted(p.pk for p in self.almaty))
        self.assertEqual(almaty.object_id, "")
        self.assertEqual(entries[self.personas.astana.pk].object_id, str(self.astana.pk))
        self.assertEqual(len({e.request_id for e in entries.values()}), 1)

    def test_a_refused_read_is_not_a_read(self) -> None:
        self.login(self.personas.planner_almaty)
        url = reverse("api:duty-person-detail", args=[self.astana.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.reads(), [])

    def test_writes_are_not_also_recorded_as_reads(self) -> None:
        self.login(self.personas.planner_almaty)
        url = reverse("api:duty-person-detail", args=[self.almaty[0].pk])
        self.assertEqual(self.client.patch(url, {"position": "Major"}).status_code, 200)
        self.assertEqual(self.reads(), [])

    def test_absences_api_reads_are_audited(self) -> None:
        absence = AbsenceFactory(person=self.almaty[0], kind="sick")
        self.login(self.personas.planner_almaty)
        self.client.get(reverse("api:duty-absence-list"))
        [entry] = self.reads()
        self.assertEqual((entry.object_type, entry.after["ids"]), ("duty.absence", [absence.pk]))
        self.assertEqual(entry.agency_id, self.almaty[0].agency_id)

    def test_pages_and_export_are_audited(self) -> None:
        client = self.page_client(self.personas.planner_almaty)
        person = self.almaty[1]
        paths = {
            "duty:personnel": reverse("duty:personnel"),
            "duty:person": reverse("duty:person", args=[person.pk]),
            "duty:person-ics": reverse("duty:person-ics", args=[person.pk]),
        }
        for via, url in paths.items():
            self.assertEqual(client.get(url).status_code, 200, via)
        by_via = {e.after["via"]: e for e in self.reads()}
        self.assertEqual(set(by_via), set(paths))
        self.assertEqual(by_via["duty:personnel"].after["ids"], sorted(p.pk for p in self.almaty))
        self.assertEqual(by_via["duty:person"].object_id, str(person.pk))
        self.assertEqual(by_via["duty:person-ics"].object_id, str(person.pk))

    def test_reads_are_visible_only_to_those_who_may_see_the_person(self) -> None:
        self.login(self.personas.analyst_national)
        self.client.get(reverse("api:duty-person-list"))
        self.login(self.personas.planner_astana)
        response = self.client.get(reverse("api:auditentry-list"), {"action": "read"})
        ids = [tuple(e["after"]["ids"]) for e in response.json()["results"]]
        self.assertEqual(ids, [(self.astana.pk,)])

    def test_admin_pages_of_personal_data_are_audited(self) -> None:
        client = self.page_client(self.personas.admin)
        person = self.almaty[0]
        user = self.personas.dispatcher_astana
        for url in (
            reverse("admin:duty_person_change", args=[person.pk]),
            reverse("admin:duty_person_changelist"),
            reverse("admin:accounts_user_change", args=[user.pk]),
        ):
            self.assertEqual(client.get(url).status_code, 200, url)
        kinds = [(e.object_type, e.object_id) for e in self.reads()]
        self.assertIn(("duty.person", str(person.pk)), kinds)
        self.assertIn(("accounts.user", str(user.pk)), kinds)
        listed = {i for e in self.reads() if e.object_id == "" for i in e.after["ids"]}
        self.assertEqual(
            listed | {self.astana.pk}, set(Person.objects.values_list("pk", flat=True))
        )
