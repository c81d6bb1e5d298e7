"""Every edit page refuses a stale form: the officer is told, and the other change stays.

The facility, event and trip pages are covered in ``test_write_path``; these are the rest of
the edit pages (hydrants, facility equipment, pyrotechnics outlets and raids, personnel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.core.testing.personas import Personas
from saqshy.duty import services as duty_services
from saqshy.duty.tests.factories import PersonFactory
from saqshy.equipment import services as equipment_services
from saqshy.equipment.tests.factories import FacilityEquipmentFactory, HydrantFactory
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.pyrotechnics import services as pyro_services
from saqshy.pyrotechnics.tests.factories import OutletFactory, RaidFactory

STALE = "changed by someone else meanwhile"


@dataclass
class Case:
    url: str
    persona: str
    make: Callable[[Personas], models.Model]
    other_change: Callable[[models.Model], Any]
    other_field: str
    edited_field: str


CASES = {
    "hydrant": Case(
        "equipment:hydrant-edit",
        "inspector_almaty",
        lambda p: HydrantFactory(region=p.almaty),
        lambda o: equipment_services.update_hydrant(acting_user=None, hydrant=o, notes="Other"),
        "notes",
        "address",
    ),
    "equipment": Case(
        "equipment:equipment-edit",
        "inspector_almaty",
        lambda p: FacilityEquipmentFactory(facility=FacilityFactory(region=p.almaty)),
        lambda o: equipment_services.update_equipment(
            acting_user=None, equipment=o, model_name="Other"
        ),
        "model_name",
        "notes",
    ),
    "outlet": Case(
        "pyrotechnics:outlet-edit",
        "inspector_almaty",
        lambda p: OutletFactory(region=p.almaty),
        lambda o: pyro_services.update_outlet(acting_user=None, outlet=o, operator="Other"),
        "operator",
        "name",
    ),
    "raid": Case(
        "pyrotechnics:raid-edit",
        "inspector_almaty",
        lambda p: RaidFactory(region=p.almaty),
        lambda o: pyro_services.update_raid(acting_user=None, raid=o, team="Other"),
        "team",
        "notes",
    ),
    "person": Case(
        "duty:person-edit",
        "planner_almaty",
        lambda p: PersonFactory(),
        lambda o: duty_services.update_person(acting_user=None, person=o, phone="+77010000000"),
        "phone",
        "last_name",
    ),
}


def _fields(form: Any) -> dict[str, Any]:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    return data


class StaleEditPageTests(PersonaTestCase):
    def _check(self, name: str) -> None:
        case = CASES[name]
        record = case.make(self.personas)
        url = reverse(case.url, args=[record.pk])
        self.client.force_login(getattr(self.personas, case.persona))
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        data = _fields(page.context["form"])
        self.assertIn("version", data)

        fresh = type(record).objects.get(pk=record.pk)
        case.other_change(fresh)
        data[case.edited_field] = "Renamed"
        response = self.client.post(url, data, format="multipart")
        self.assertEqual(response.status_code, 200, name)
        self.assertContains(response, STALE, msg_prefix=str(response.context["form"].errors))
        stored = type(record).objects.get(pk=record.pk)
        self.assertEqual(getattr(stored, case.other_field), getattr(fresh, case.other_field))
        self.assertNotEqual(getattr(stored, case.edited_field), "Renamed")

        again = _fields(self.client.get(url).context["form"])
        again[case.edited_field] = "Renamed"
        self.assertEqual(self.client.post(url, again, format="multipart").status_code, 302, name)
        stored = type(record).objects.get(pk=record.pk)
        self.assertEqual(getattr(stored, case.edited_field), "Renamed")
        self.assertEqual(getattr(stored, case.other_field), getattr(fresh, case.other_field))

    def test_hydrant(self) -> None:
        self._check("hydrant")

    def test_equipment(self) -> None:
        self._check("equipment")

    def test_outlet(self) -> None:
        self._check("outlet")

    def test_raid(self) -> None:
        self._check("raid")

    def test_person(self) -> None:
        self._check("person")
