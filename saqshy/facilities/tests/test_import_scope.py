"""``import_facilities`` changes only the matched facilities the importing user may change."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.test import TestCase

from saqshy.accounts.models import Agency, Grant, Role, User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities.models import Facility
from saqshy.facilities.services import import_facilities
from saqshy.facilities.tests.factories import FacilityFactory


def record(osm_ref: str, name: str, region: str = "almaty") -> dict[str, Any]:
    lat, lon = CENTRES[region]
    return {
        "osm_ref": osm_ref,
        "kind": "school",
        "name": name,
        "name_kk": "",
        "name_ru": "",
        "name_en": name,
        "address": "",
        "lat": lat,
        "lon": lon,
        "footprint": None,
        "capacity": None,
        "capacity_source": "",
        "operator": "",
        "phone": "",
        "website": "",
        "storeys": None,
    }


class ImportScopeTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        adder = Role.objects.create(slug="facility-adder", name_en="Adds facilities")
        adder.permissions.set(
            Permission.objects.filter(
                content_type__app_label="facilities",
                codename__in=["add_facility", "view_facility"],
            )
        )
        cls.adder = User.objects.create_user(username="adder_almaty")
        Grant.objects.create(
            user=cls.adder,
            agency=Agency.objects.get(code="police-almaty"),
            role=adder,
            region=cls.personas.almaty,
        )

    def setUp(self) -> None:
        self.astana_school = FacilityFactory(
            region=self.personas.astana, osm_ref="way/1", name="Astana school"
        )
        self.almaty_school = FacilityFactory(
            region=self.personas.almaty, osm_ref="way/2", name="Almaty school"
        )

    def _state(self) -> list[dict[str, Any]]:
        return list(Facility.objects.order_by("pk").values())

    def test_a_facility_of_another_region_is_neither_updated_nor_moved(self) -> None:
        before, audits = self._state(), AuditEntry.objects.count()
        result = import_facilities(
            acting_user=self.personas.planner_almaty,
            region=self.personas.almaty,
            records=[record("way/1", "Renamed"), record("way/3", "New school")],
        )
        self.assertEqual((result.created, result.updated, result.refused), (1, 0, 1))
        self.assertEqual(
            [row for row in self._state() if row["osm_ref"] != "way/3"], before, "way/1 untouched"
        )
        self.assertEqual(AuditEntry.objects.count(), audits + 1)

    def test_the_right_to_add_is_not_a_right_to_change(self) -> None:
        before = self._state()
        result = import_facilities(
            acting_user=self.adder,
            region=self.personas.almaty,
            records=[record("way/2", "Overwritten")],
        )
        self.assertEqual((result.updated, result.refused), (0, 1))
        self.assertEqual(self._state(), before)

    def test_a_facility_the_user_may_change_is_updated(self) -> None:
        result = import_facilities(
            acting_user=self.personas.planner_almaty,
            region=self.personas.almaty,
            records=[record("way/2", "Renamed in OSM")],
        )
        self.assertEqual((result.updated, result.refused), (1, 0))
        self.almaty_school.refresh_from_db()
        self.assertEqual(self.almaty_school.name, "Renamed in OSM")

    def test_the_system_updates_any_match(self) -> None:
        result = import_facilities(
            acting_user=None,
            region=self.personas.almaty,
            records=[record("way/1", "Moved by the system")],
        )
        self.assertEqual((result.updated, result.refused), (1, 0))
        self.astana_school.refresh_from_db()
        self.assertEqual(self.astana_school.region_id, self.personas.almaty.pk)
