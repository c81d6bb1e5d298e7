"""The pages obey the same scope as the API: other regions are invisible, writes are audited."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck
from saqshy.equipment.tests.factories import FacilityEquipmentFactory, HydrantFactory
from saqshy.facilities.tests.factories import FacilityFactory

TODAY = dt.date.today()
METRE = 1 / 111_195.0


class HydrantPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.astana = HydrantFactory(region=cls.personas.astana, code="AST-17")
        cls.almaty = HydrantFactory(region=cls.personas.almaty, code="ALM-42")
        cls.broken = HydrantFactory(region=cls.personas.almaty, code="ALM-43", operable=False)

    def test_login_required(self) -> None:
        response = self.client.get(reverse("equipment:hydrant-list"))
        self.assertRedirects(response, f"{reverse('login')}?next=/equipment/hydrants/")

    def test_list_shows_only_granted_region_and_filters(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(reverse("equipment:hydrant-list"))
        self.assertContains(response, "ALM-42")
        self.assertNotContains(response, "AST-17")
        response = self.client.get(reverse("equipment:hydrant-list"), {"operable": "false"})
        self.assertContains(response, "ALM-43")
        self.assertNotContains(response, "ALM-42")
        self.assertRedirects(self.client.get("/equipment/"), reverse("equipment:hydrant-list"))

    def test_other_region_pages_are_404(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        pk = self.astana.pk
        for name in ("hydrant-detail", "hydrant-edit"):
            self.assertEqual(
                self.client.get(reverse(f"equipment:{name}", args=[pk])).status_code, 404
            )
        response = self.client.post(
            reverse("equipment:hydrant-check", args=[pk]),
            {"checked_on": str(TODAY), "operable": "false"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(HydrantCheck.objects.exists())

    def test_reader_sees_no_forms_and_cannot_write(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        response = self.client.get(reverse("equipment:hydrant-detail", args=[self.astana.pk]))
        self.assertContains(response, "AST-17")
        self.assertNotContains(response, reverse("equipment:hydrant-check", args=[self.astana.pk]))
        self.assertEqual(self.client.get(reverse("equipment:hydrant-create")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("equipment:hydrant-edit", args=[self.astana.pk])).status_code,
            403,
        )
        response = self.client.post(
            reverse("equipment:hydrant-check", args=[self.astana.pk]),
            {"checked_on": str(TODAY), "operable": "false"},
        )
        self.assertEqual(response.status_code, 403)

    def test_recording_a_check_on_the_page(self) -> None:
        inspector = self.personas.inspector_almaty
        self.client.force_login(inspector)
        url = reverse("equipment:hydrant-check", args=[self.almaty.pk])
        response = self.client.post(
            url,
            {
                "checked_on": str(TODAY),
                "operable": "false",
                "pressure_ok": "false",
                "access_clear": "unknown",
                "note": "Frozen",
            },
        )
        detail = reverse("equipment:hydrant-detail", args=[self.almaty.pk])
        self.assertRedirects(response, detail)
        self.almaty.refresh_from_db()
        self.assertEqual((self.almaty.operable, self.almaty.last_checked_on), (False, TODAY))
        check = HydrantCheck.objects.get()
        self.assertEqual(
            (check.pressure_ok, check.access_clear, check.checked_by), (False, None, inspector)
        )
        entry = AuditEntry.objects.get(object_type="equipment.hydrant", action="update")
        self.assertEqual(entry.actor_id, inspector.pk)
        response = self.client.get(detail)
        self.assertContains(response, "Frozen")

    def test_a_check_with_mistakes_is_shown_again_and_saves_nothing(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        url = reverse("equipment:hydrant-check", args=[self.almaty.pk])
        response = self.client.post(url, {"checked_on": str(TODAY), "note": "forgot the result"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("operable", response.context["form"].errors)
        self.assertContains(response, "forgot the result")
        future = str(TODAY + dt.timedelta(days=2))
        response = self.client.post(url, {"checked_on": future, "operable": "true"})
        self.assertIn("checked_on", response.context["form"].errors)
        self.assertFalse(HydrantCheck.objects.exists())

    def test_create_and_edit(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        lat, lon = CENTRES["almaty"]
        data = {"code": "ALM-99", "kind": "pillar", "lat": lat, "lon": lon, "address": "Abay 1"}
        response = self.client.post(reverse("equipment:hydrant-create"), data)
        hydrant = Hydrant.objects.get(code="ALM-99")
        self.assertRedirects(response, reverse("equipment:hydrant-detail", args=[hydrant.pk]))
        self.assertEqual(hydrant.region, self.personas.almaty)
        response = self.client.post(
            reverse("equipment:hydrant-edit", args=[hydrant.pk]), {**data, "code": "ALM-42"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("code", response.context["form"].errors)
        response = self.client.post(
            reverse("equipment:hydrant-create"), {**data, "code": "X", "lat": 51.13, "lon": 71.43}
        )
        self.assertContains(response, "You may not add a hydrant in this region.")
        self.assertFalse(Hydrant.objects.filter(code="X").exists())


class FacilityEquipmentPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        p = cls.personas = make_personas()
        cls.facility = FacilityFactory(region=p.almaty, name="Almaty Arena")
        cls.other = FacilityFactory(region=p.astana, name="Astana Arena")
        cls.extinguishers = FacilityEquipmentFactory(
            facility=cls.facility, next_check_due=TODAY - dt.timedelta(days=2)
        )
        cls.alarm = FacilityEquipmentFactory(facility=cls.other, kind="fire_alarm")
        lat, lon = cls.facility.lat, cls.facility.lon
        HydrantFactory(region=p.almaty, code="PG-near", lat=lat + 150 * METRE, lon=lon)
        HydrantFactory(
            region=p.almaty, code="PG-broken", lat=lat + 20 * METRE, lon=lon, operable=False
        )
        HydrantFactory(region=p.almaty, code="PG-far", lat=lat + 640 * METRE, lon=lon)

    def url(self, facility: object) -> str:
        return reverse("equipment:facility", args=[facility.pk])

    def test_shows_equipment_and_nearest_operable_hydrants_with_metres(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(self.url(self.facility))
        self.assertContains(response, "Fire extinguisher")
        self.assertContains(response, "Check overdue")
        self.assertContains(response, "PG-near")
        self.assertContains(response, "150 m")
        self.assertContains(response, "640 m")
        self.assertNotContains(response, "PG-broken")
        [near, far] = response.context["hydrants"]
        self.assertEqual((near.hydrant.code, far.hydrant.code), ("PG-near", "PG-far"))
        self.assertLess(response.content.index(b"PG-near"), response.content.index(b"PG-far"))
        self.assertContains(
            response, reverse("equipment:equipment-check", args=[self.extinguishers.pk])
        )

    def test_other_region_is_404(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        self.assertEqual(self.client.get(self.url(self.other)).status_code, 404)
        check = reverse("equipment:equipment-check", args=[self.alarm.pk])
        response = self.client.post(check, {f"check-{self.alarm.pk}-checked_on": str(TODAY)})
        self.assertEqual(response.status_code, 404)
        edit = reverse("equipment:equipment-edit", args=[self.alarm.pk])
        self.assertEqual(self.client.get(edit).status_code, 404)
        add = reverse("equipment:equipment-add", args=[self.other.pk])
        self.assertEqual(self.client.post(add, {"add-kind": "fire_blanket"}).status_code, 404)
        self.assertEqual(FacilityEquipment.objects.count(), 2)

    def test_role_without_equipment_view_is_refused(self) -> None:
        shymkent = FacilityFactory(region=self.personas.shymkent)
        self.client.force_login(self.personas.viewer_other_region)
        self.assertEqual(self.client.get(self.url(shymkent)).status_code, 403)

    def test_reader_sees_the_page_without_forms(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        response = self.client.get(self.url(self.other))
        self.assertContains(response, "Fire alarm system")
        self.assertNotContains(response, reverse("equipment:equipment-check", args=[self.alarm.pk]))
        self.assertNotContains(response, reverse("equipment:equipment-add", args=[self.other.pk]))

    def test_record_a_check_and_add_equipment(self) -> None:
        inspector = self.personas.inspector_almaty
        self.client.force_login(inspector)
        prefix = f"check-{self.extinguishers.pk}"
        due = TODAY + dt.timedelta(days=90)
        response = self.client.post(
            reverse("equipment:equipment-check", args=[self.extinguishers.pk]),
            {
                f"{prefix}-checked_on": str(TODAY),
                f"{prefix}-in_order": "true",
                f"{prefix}-next_check_due": str(due),
            },
        )
        self.assertRedirects(response, self.url(self.facility))
        self.extinguishers.refresh_from_db()
        self.assertEqual(
            (self.extinguishers.last_checked_on, self.extinguishers.next_check_due), (TODAY, due)
        )
        self.assertEqual(EquipmentCheck.objects.get().checked_by, inspector)
        response = self.client.post(
            reverse("equipment:equipment-add", args=[self.facility.pk]),
            {"add-kind": "fire_blanket", "add-quantity": 2},
        )
        self.assertRedirects(response, self.url(self.facility))
        blanket = FacilityEquipment.objects.get(kind="fire_blanket")
        self.assertEqual((blanket.facility, blanket.quantity), (self.facility, 2))
        entry = AuditEntry.objects.get(object_type="equipment.facilityequipment", action="create")
        self.assertEqual(entry.actor_id, inspector.pk)

    def test_a_check_with_mistakes_is_shown_again(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        prefix = f"check-{self.extinguishers.pk}"
        response = self.client.post(
            reverse("equipment:equipment-check", args=[self.extinguishers.pk]),
            {
                f"{prefix}-checked_on": str(TODAY),
                f"{prefix}-in_order": "true",
                f"{prefix}-next_check_due": str(TODAY),
            },
        )
        self.assertEqual(response.status_code, 200)
        [row] = response.context["rows"]
        self.assertIn("next_check_due", row["check_form"].errors)
        self.assertFalse(EquipmentCheck.objects.exists())

    def test_edit(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        url = reverse("equipment:equipment-edit", args=[self.extinguishers.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"kind": "extinguisher", "quantity": 9, "model_name": "OP-8"}
        )
        self.assertRedirects(response, self.url(self.facility))
        self.extinguishers.refresh_from_db()
        self.assertEqual(self.extinguishers.quantity, 9)
        self.client.force_login(self.personas.dispatcher_astana)
        other = reverse("equipment:equipment-edit", args=[self.alarm.pk])
        self.assertEqual(self.client.get(other).status_code, 403)
