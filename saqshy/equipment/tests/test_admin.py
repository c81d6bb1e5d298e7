"""Admin writes go through the services: the region is derived and a new check sets state."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.equipment.models import Hydrant, HydrantCheck


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


class EquipmentAdminTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()

    def test_add_hydrant_and_check(self) -> None:
        self.client.force_login(self.personas.admin)
        lat, lon = CENTRES["shymkent"]
        response = self.client.post(
            reverse("admin:equipment_hydrant_add"),
            {"code": "SH-1", "kind": "pillar", "lat": lat, "lon": lon, "operable": "on"},
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        hydrant = Hydrant.objects.get(code="SH-1")
        self.assertEqual(hydrant.region, self.personas.shymkent)
        response = self.client.post(
            reverse("admin:equipment_hydrantcheck_add"),
            {
                "hydrant": hydrant.pk,
                "checked_on": str(today()),
                "pressure_ok": "false",
                "access_clear": "unknown",
                "note": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        hydrant.refresh_from_db()
        self.assertEqual((hydrant.operable, hydrant.last_checked_on), (False, today()))
        self.assertEqual(HydrantCheck.objects.get().checked_by, self.personas.admin)
        actions = set(
            AuditEntry.objects.filter(object_type__startswith="equipment.").values_list(
                "object_type", "action"
            )
        )
        self.assertEqual(
            actions,
            {
                ("equipment.hydrant", "create"),
                ("equipment.hydrantcheck", "create"),
                ("equipment.hydrant", "update"),
            },
        )
