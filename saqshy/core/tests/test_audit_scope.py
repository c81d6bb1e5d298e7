"""/api/audit/ shows an entry only to someone who may view the record it describes.

Measured before: a dispatcher limited to Astana's police read, through the audit list, the
names and phone numbers of other agencies' personnel that /api/duty/personnel/ hid (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.accounts.models import Agency, Grant, Role, User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty import services as duty_services
from saqshy.facilities import services as facility_services
from saqshy.facilities.tests.factories import FacilityFactory


class AuditScopeTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.police = Agency.objects.get(code="police-astana")
        self.des = Agency.objects.create(
            code="des-astana", kind="emergency", region=p.astana, name_en="DES Astana"
        )
        self.own = duty_services.create_person(
            acting_user=p.admin,
            agency=self.police,
            personnel_number="P-1",
            first_name="Own",
            last_name="Officer",
            phone="+7 700 000 0001",
        )
        self.other = duty_services.create_person(
            acting_user=p.admin,
            agency=self.des,
            personnel_number="D-1",
            first_name="Other",
            last_name="Firefighter",
            phone="+7 700 000 0002",
        )
        facility = FacilityFactory(region=p.astana)
        facility_services.update_facility(acting_user=p.admin, facility=facility, capacity=10)
        self.facility_id = str(facility.pk)
        self.url = reverse("api:auditentry-list")

    def objects(self, **params: Any) -> set[tuple[str, str]]:
        response = self.client.get(self.url, {"page_size": 1000, **params})
        self.assertEqual(response.status_code, 200, response.content)
        return {(e["object_type"], e["object_id"]) for e in response.json()["results"]}

    def test_entries_carry_the_agency_of_their_record(self) -> None:
        entry = AuditEntry.objects.get(object_type="duty.person", object_id=str(self.other.pk))
        self.assertEqual((entry.agency_id, entry.region_id), (self.des.pk, self.personas.astana.pk))
        facility_entry = AuditEntry.objects.filter(object_type="facilities.facility").first()
        assert facility_entry is not None
        self.assertIsNone(facility_entry.agency_id)

    def test_agency_limited_dispatcher_sees_only_their_agency_personnel(self) -> None:
        self.login(self.personas.dispatcher_astana)
        seen = self.objects()
        self.assertIn(("duty.person", str(self.own.pk)), seen)
        self.assertNotIn(("duty.person", str(self.other.pk)), seen)
        # The same rule as the personnel endpoint itself.
        detail = reverse("api:duty-person-detail", args=[self.other.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)
        # Records no agency owns stay visible across the region.
        self.assertIn(("facilities.facility", self.facility_id), seen)

    def test_region_wide_reader_sees_every_agency(self) -> None:
        duty_officer = User.objects.create_user(username="duty_officer_astana")
        Grant.objects.create(
            user=duty_officer,
            agency=self.police,
            region=self.personas.astana,
            role=Role.objects.get(slug="duty-officer"),
        )
        self.login(duty_officer)
        seen = self.objects()
        self.assertIn(("duty.person", str(self.own.pk)), seen)
        self.assertIn(("duty.person", str(self.other.pk)), seen)

    def test_entries_about_a_kind_the_user_may_not_view_are_hidden(self) -> None:
        role = Role.objects.create(slug="facility-auditor", name_en="Facility auditor")
        role.permissions.set(
            Permission.objects.filter(
                codename__in=["view_auditentry", "view_facility"],
                content_type__app_label__in=["core", "facilities"],
            )
        )
        auditor = User.objects.create_user(username="facility_auditor")
        Grant.objects.create(
            user=auditor, agency=self.police, region=self.personas.astana, role=role
        )
        self.login(auditor)
        seen = self.objects()
        self.assertIn(("facilities.facility", self.facility_id), seen)
        self.assertFalse({kind for kind, _ in seen} - {"facilities.facility"})

    def test_national_analyst_and_admin_see_everything(self) -> None:
        for user in (self.personas.analyst_national, self.personas.admin):
            self.login(user)
            seen = self.objects()
            self.assertIn(("duty.person", str(self.other.pk)), seen)
            self.assertIn(("duty.person", str(self.own.pk)), seen)

    def test_filter_by_agency(self) -> None:
        self.login(self.personas.analyst_national)
        seen = self.objects(agency_id=self.des.pk)
        self.assertEqual(seen, {("duty.person", str(self.other.pk))})

    def test_scope_of_every_kind_is_read_in_one_query(self) -> None:
        user = User.objects.get(pk=self.personas.dispatcher_astana.pk)  # nothing cached
        self.login(user)
        with CaptureQueriesContext(connection) as queries:
            self.objects()
        grant_reads = [q for q in queries if "accounts_grant" in q["sql"]]
        # One read of the user's grants (and one of their roles' permissions) answers the
        # audit permission itself and the view permission of every kind.
        self.assertEqual(len(grant_reads), 1, [q["sql"] for q in grant_reads])
        self.assertLessEqual(len(queries), 4, [q["sql"][:200] for q in queries])
