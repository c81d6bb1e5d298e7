"""The pages obey the same scope as the API: other regions are invisible, edits are audited."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory


class FacilityPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.astana_school = FacilityFactory(region=cls.personas.astana, name="Astana Lyceum")
        cls.almaty_school = FacilityFactory(region=cls.personas.almaty, name="Almaty Lyceum")

    def test_login_required(self) -> None:
        response = self.client.get(reverse("facilities:list"))
        self.assertRedirects(response, f"{reverse('login')}?next=/facilities/")

    def test_list_shows_only_granted_region(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.get(reverse("facilities:list"))
        self.assertContains(response, "Almaty Lyceum")
        self.assertNotContains(response, "Astana Lyceum")

    def test_other_region_pages_are_404(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        pk = self.astana_school.pk
        self.assertEqual(self.client.get(reverse("facilities:detail", args=[pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("facilities:edit", args=[pk])).status_code, 404)
        response = self.client.post(reverse("facilities:edit", args=[pk]), {"name": "x"})
        self.assertEqual(response.status_code, 404)

    def test_viewer_cannot_open_the_edit_page(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        url = reverse("facilities:edit", args=[self.astana_school.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.get(reverse("facilities:create")).status_code, 403)

    def test_edit_saves_through_the_service_and_is_audited(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        facility = self.almaty_school
        url = reverse("facilities:edit", args=[facility.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {
            "kind": "school",
            "name": "Almaty Lyceum",
            "lat": facility.lat,
            "lon": facility.lon,
            "capacity": 640,
            "has_fire_alarm": "true",
            "has_sprinklers": "unknown",
            "exits": 4,
        }
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("facilities:detail", args=[facility.pk]))
        facility.refresh_from_db()
        self.assertEqual((facility.capacity, facility.capacity_source), (640, "manual"))
        self.assertTrue(facility.has_fire_alarm)
        entry = AuditEntry.objects.get(object_id=str(facility.pk), action="update")
        self.assertEqual(entry.actor_id, self.personas.inspector_almaty.pk)
        self.assertEqual(entry.after["exits"], 4)

    def test_create_outside_granted_region_shows_an_error_and_saves_nothing(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        count = Facility.objects.count()
        response = self.client.post(
            reverse("facilities:create"), {"kind": "mall", "name": "X", "lat": 51.13, "lon": 71.43}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You may not add a facility in this region.")
        self.assertEqual(Facility.objects.count(), count)

    def test_create_with_bad_input_names_the_field(self) -> None:
        self.client.force_login(self.personas.inspector_almaty)
        response = self.client.post(
            reverse("facilities:create"), {"kind": "mall", "name": "X", "lat": 95, "lon": 76.9}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("lat", response.context["form"].errors)

    def test_filters_on_the_page(self) -> None:
        self.client.force_login(self.personas.analyst_national)
        response = self.client.get(reverse("facilities:list"), {"region": "astana"})
        self.assertContains(response, "Astana Lyceum")
        self.assertNotContains(response, "Almaty Lyceum")

    def test_map_page_renders(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        response = self.client.get(reverse("situation:map"))
        self.assertContains(response, 'id="map"')
        self.assertContains(response, "map-config")
