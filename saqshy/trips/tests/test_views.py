from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.trips.models import Trip
from saqshy.trips.tests.factories import AbsenceFactory, PersonFactory, TripFactory, at, escort
from saqshy.trips.tests.helpers import user_with_role


class TripPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.trip = TripFactory(
            region=cls.personas.almaty, status="submitted", organiser="Gymnasium 9"
        )
        cls.officer = PersonFactory(
            region=cls.personas.almaty, first_name="Nurzhan", last_name="Ali"
        )
        cls.astana_trip = TripFactory(region=cls.personas.astana, organiser="Astana School 1")

    def setUp(self) -> None:
        self.client.force_login(self.personas.planner_almaty)

    def action(self, name: str, **data: str) -> object:
        return self.client.post(
            reverse("trips:action", args=[self.trip.pk, name]), data, follow=True
        )

    def status(self) -> str:
        return Trip.objects.get(pk=self.trip.pk).status

    def test_list_is_scoped_and_badges_a_trip_without_escort(self) -> None:
        response = self.client.get(reverse("trips:list"))
        self.assertContains(response, "Gymnasium 9")
        self.assertContains(response, "no escort")
        self.assertNotContains(response, "Astana School 1")
        url = reverse("trips:detail", args=[self.astana_trip.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_detail_shows_the_refusal_and_a_post_is_refused_with_the_reason(self) -> None:
        response = self.client.get(reverse("trips:detail", args=[self.trip.pk]))
        self.assertContains(response, "Approval is refused: No police escort is assigned.")
        response = self.action("approve")
        self.assertContains(response, "no police escort is assigned")
        self.assertEqual(self.status(), "submitted")

    def test_busy_escort_is_shown_with_its_conflict_and_approval_refused(self) -> None:
        escort(self.trip, person=self.officer)
        AbsenceFactory(person=self.officer, kind="sick", starts_at=self.trip.departs_at)
        response = self.client.get(reverse("trips:detail", args=[self.trip.pk]))
        self.assertContains(response, "Nurzhan Ali")
        self.assertContains(response, "Sick from")
        response = self.action("approve")
        self.assertContains(response, "is not free")
        self.assertEqual(self.status(), "submitted")

    def test_assign_on_the_page_then_approve(self) -> None:
        response = self.client.post(
            reverse("trips:escort", args=[self.trip.pk]), {"person": self.officer.pk}, follow=True
        )
        self.assertContains(response, "Escort assigned.")
        self.assertContains(response, "Free for the whole trip")
        response = self.action("approve")
        self.assertContains(response, "Trip approved.")
        self.assertEqual(self.status(), "approved")

    def test_organiser_cannot_approve_or_assign_on_the_page(self) -> None:
        escort(self.trip, person=self.officer)
        organiser = user_with_role(
            "school_page", "trip-organiser", self.personas.almaty, "education"
        )
        self.client.force_login(organiser)
        response = self.action("approve")
        self.assertContains(response, "may not approve")
        url = reverse("trips:escort", args=[self.trip.pk])
        self.assertEqual(self.client.post(url, {"person": self.officer.pk}).status_code, 403)
        self.assertEqual(self.status(), "submitted")

    def test_register_on_the_form_ignores_a_posted_status(self) -> None:
        lat, lon = CENTRES["almaty"]
        data = {
            "organiser": "Kindergarten Balapan",
            "children_count": "20",
            "adults_count": "4",
            "departs_at": at(14, 9).strftime("%Y-%m-%dT%H:%M"),
            "returns_at": at(14, 15).strftime("%Y-%m-%dT%H:%M"),
            "departure_name": "Balapan",
            "departure_lat": str(lat),
            "departure_lon": str(lon),
            "destination_name": "Zoo",
            "destination_lat": "43.25",
            "destination_lon": "76.96",
            "contact_name": "Aigerim",
            "contact_phone": "+7 777 000 11 22",
            "vehicles_text": "555KZA02; bus; 30",
            "drivers_text": "Bolat; KZ555",
            "status": "approved",
        }
        response = self.client.post(reverse("trips:create"), data, follow=True)
        self.assertContains(response, "Trip registered as a draft.")
        trip = Trip.objects.get(organiser="Kindergarten Balapan")
        self.assertEqual((trip.status, trip.region), ("draft", self.personas.almaty))
        self.assertEqual(trip.vehicles, [{"plate": "555KZA02", "kind": "bus", "seats": 30}])
        data["vehicles_text"] = "555KZA02; spaceship; many"
        response = self.client.post(reverse("trips:edit", args=[trip.pk]), data)
        self.assertContains(response, "Vehicle 1: the kind must be one of")
