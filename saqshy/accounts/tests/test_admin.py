"""Admin writes are audited like every other write path."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from saqshy.accounts.models import Agency
from saqshy.core import audit
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase


class AdminAuditTests(PersonaTestCase):
    def setUp(self) -> None:
        self.client = Client()  # the admin takes form posts, not the API client's JSON

    def test_agency_created_and_changed_in_the_admin_is_audited(self) -> None:
        self.client.force_login(self.personas.admin)
        response = self.client.post(
            reverse("admin:accounts_agency_add"),
            {
                "code": "water-astana",
                "kind": "energy",
                "region": self.personas.astana.pk,
                "name_en": "Astana Su Arnasy",
                "name_ru": "",
                "name_kk": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        agency = Agency.objects.get(code="water-astana")
        created = AuditEntry.objects.get(object_type="accounts.agency", object_id=str(agency.pk))
        self.assertEqual((created.action, created.actor_id), ("create", self.personas.admin.pk))
        response = self.client.post(
            reverse("admin:accounts_agency_change", args=[agency.pk]),
            {
                "code": "water-astana",
                "kind": "energy",
                "region": self.personas.astana.pk,
                "name_en": "Astana Water",
                "name_ru": "",
                "name_kk": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        changed = AuditEntry.objects.get(object_id=str(agency.pk), action="update")
        self.assertEqual(changed.after, {"name_en": "Astana Water"})
        self.assertIsNone(audit.verify()[1])

    def test_password_never_reaches_the_trail(self) -> None:
        self.client.force_login(self.personas.admin)
        self.client.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "newcomer",
                "password1": "Very-long-pass-2026",
                "password2": "Very-long-pass-2026",
                "usable_password": "true",
                "grants-TOTAL_FORMS": "0",
                "grants-INITIAL_FORMS": "0",
            },
        )
        entry = AuditEntry.objects.get(object_type="accounts.user", action="create")
        self.assertTrue(entry.after["password"].startswith("sha256:"))
