"""The admin cannot approve a trip around the escort rule: status and escort are read-only,
and its approve action calls the service (which refuses, superusers included)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.trips.models import Trip, TripEscort
from saqshy.trips.tests.factories import PersonFactory, TripFactory, escort


class TripAdminTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.trip = TripFactory(region=cls.personas.almaty, status="submitted")

    def setUp(self) -> None:
        self.client.force_login(self.personas.admin)

    def status(self) -> str:
        return Trip.objects.get(pk=self.trip.pk).status

    def change_form_data(self) -> dict[str, str]:
        trip = self.trip
        return {
            "organiser": trip.organiser,
            "organiser_ref": "",
            "children_count": "31",
            "adults_count": str(trip.adults_count),
            "departs_at_0": trip.departs_at.strftime("%Y-%m-%d"),
            "departs_at_1": trip.departs_at.strftime("%H:%M:%S"),
            "returns_at_0": trip.returns_at.strftime("%Y-%m-%d"),
            "returns_at_1": trip.returns_at.strftime("%H:%M:%S"),
            "departure_name": trip.departure_name,
            "departure_lat": str(trip.departure_lat),
            "departure_lon": str(trip.departure_lon),
            "destination_name": trip.destination_name,
            "destination_lat": str(trip.destination_lat),
            "destination_lon": str(trip.destination_lon),
            "route_text": "",
            "route": "null",
            "vehicles": '[{"plate": "1AB", "kind": "bus", "seats": 45}]',
            "drivers": '[{"name": "A", "licence": "B"}]',
            "contact_name": trip.contact_name,
            "contact_phone": trip.contact_phone,
            "status": "approved",
            "approved_at_0": "2026-01-01",
            "approved_at_1": "10:00:00",
            "escort-TOTAL_FORMS": "1",
            "escort-INITIAL_FORMS": "0",
            "escort-MIN_NUM_FORMS": "0",
            "escort-MAX_NUM_FORMS": "1",
            "escort-0-person": str(PersonFactory(region=self.personas.almaty).pk),
        }

    def test_change_form_saves_details_but_never_status_or_escort(self) -> None:
        url = reverse("admin:trips_trip_change", args=[self.trip.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, self.change_form_data())
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None) and response.context["adminform"].form.errors,
        )
        trip = Trip.objects.get(pk=self.trip.pk)
        self.assertEqual(
            (trip.children_count, trip.status, trip.approved_at), (31, "submitted", None)
        )
        self.assertFalse(TripEscort.objects.exists())

    def test_approve_action_without_escort_is_refused_for_the_superuser(self) -> None:
        response = self.client.post(
            reverse("admin:trips_trip_changelist"),
            {"action": "approve_selected", "_selected_action": [self.trip.pk]},
            follow=True,
        )
        self.assertContains(response, "no police escort is assigned")
        self.assertEqual(self.status(), "submitted")

    def test_approve_action_with_a_free_escort_goes_through_the_service(self) -> None:
        escort(self.trip, person=PersonFactory(region=self.personas.almaty))
        self.client.post(
            reverse("admin:trips_trip_changelist"),
            {"action": "approve_selected", "_selected_action": [self.trip.pk]},
        )
        trip = Trip.objects.get(pk=self.trip.pk)
        self.assertEqual((trip.status, trip.approved_by), ("approved", self.personas.admin))

    def test_escorts_cannot_be_added_or_changed_in_the_admin(self) -> None:
        self.assertEqual(self.client.get(reverse("admin:trips_tripescort_add")).status_code, 403)
        assignment = escort(self.trip, person=PersonFactory(region=self.personas.almaty))
        url = reverse("admin:trips_tripescort_change", args=[assignment.pk])
        response = self.client.post(url, {"trip": self.trip.pk, "person": "", "unit": ""})
        self.assertEqual(response.status_code, 403)

    def test_a_decided_trip_is_read_only_in_the_admin(self) -> None:
        Trip.objects.filter(pk=self.trip.pk).update(status="approved")
        url = reverse("admin:trips_trip_change", args=[self.trip.pk])
        data = self.change_form_data()
        self.client.post(url, data)
        self.assertEqual(Trip.objects.get(pk=self.trip.pk).children_count, self.trip.children_count)
