from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.trips.models import Trip, TripEscort
from saqshy.trips.tests.factories import AbsenceFactory, PersonFactory, TripFactory, at, escort
from saqshy.trips.tests.helpers import user_with_role


class TripAPITests(RegionScopedAPITests):
    basename = "trip"
    model = Trip

    def make_object(self, region: Region) -> Trip:
        trip: Trip = TripFactory(region=region)
        escort(trip, person=PersonFactory(region=region))
        return trip

    def create_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "organiser": "Lyceum No. 3",
            "children_count": 25,
            "adults_count": 3,
            "departs_at": at(15, 8).isoformat(),
            "returns_at": at(15, 18).isoformat(),
            "departure_name": "Lyceum",
            "departure_lat": lat,
            "departure_lon": lon,
            "destination_name": "Kolsai lakes",
            "destination_lat": 42.99,
            "destination_lon": 78.32,
            "contact_name": "Dana",
            "contact_phone": "+7 705 111 22 33",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"children_count": 28, "contact_phone": "+7 705 999 00 00"}

    def test_vehicles_and_route_are_validated_per_field(self) -> None:
        self.login(self.p.planner_almaty)
        payload = {
            **self.create_payload(self.p.almaty),
            "vehicles": [{"plate": "1", "kind": "rocket", "seats": 0}],
            "route": {"type": "Point", "coordinates": [1, 2]},
        }
        response = self.client.post(self.list_url(), payload, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"vehicles", "route"})

    def test_status_cannot_be_written(self) -> None:
        self.login(self.p.planner_almaty)
        payload = {**self.create_payload(self.p.almaty), "status": "approved"}
        response = self.client.post(self.list_url(), payload, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "draft")
        response = self.client.patch(self.detail_url(self.in_almaty), {"status": "approved"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Trip.objects.get(pk=self.in_almaty.pk).status, "draft")

    def test_no_escort_filter(self) -> None:
        bare = TripFactory(region=self.p.almaty)
        self.login(self.p.planner_almaty)
        response = self.client.get(self.list_url(), {"has_escort": "false"})
        self.assertEqual({t["id"] for t in response.json()["results"]}, {bare.pk})
        self.assertIsNone(response.json()["results"][0]["escort"]["escort"])


class TripApprovalAPITests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.trip: Trip = TripFactory(region=p.almaty, status="submitted")
        self.officer = PersonFactory(region=p.almaty, first_name="Serik", last_name="Omarov")

    def post(self, action: str, data: dict[str, Any] | None = None) -> Any:
        url = reverse(f"api:trip-{action}", args=[self.trip.pk])
        return self.client.post(url, data or {}, format="json")

    def test_approve_without_escort_is_409_naming_the_missing_escort_even_for_admin(self) -> None:
        for user in (self.personas.planner_almaty, self.personas.admin):
            self.login(user)
            response = self.post("approve")
            self.assertEqual(response.status_code, 409)
            body = response.json()
            self.assertEqual((body["code"], body["escort"]), ("escort_missing", None))
            self.assertIn("no police escort", body["detail"])
        self.assertEqual(Trip.objects.get(pk=self.trip.pk).status, "submitted")

    def test_approve_with_a_busy_escort_is_409_naming_the_escort_and_the_conflict(self) -> None:
        escort(self.trip, person=self.officer)
        AbsenceFactory(person=self.officer, kind="leave", starts_at=self.trip.departs_at)
        self.login(self.personas.planner_almaty)
        response = self.post("approve")
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertEqual(body["code"], "escort_busy")
        self.assertIn("Serik Omarov", body["detail"])
        self.assertEqual(body["escort"]["id"], self.officer.pk)
        self.assertEqual([c["kind"] for c in body["conflicts"]], ["absence"])

    def test_assign_then_approve_then_the_escort_reports_status(self) -> None:
        almaty = self.personas.almaty
        escort_user = user_with_role("escort_api", "field-officer", almaty)
        self.login(self.personas.planner_almaty)
        response = self.post("escort", {"person": self.officer.pk, "user": "escort_api"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(response.json()["escort"]["free"])
        self.assertEqual(response.json()["escort"]["escort"]["user"], "escort_api")
        self.assertEqual(self.post("approve").json()["status"], "approved")
        self.login(escort_user)
        response = self.post("status", {"status": "departed"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "departed")

    def test_escort_conflict_is_409_and_out_of_scope_officer_is_400(self) -> None:
        other = TripFactory(region=self.personas.almaty, status="approved")
        escort(other, person=self.officer)
        self.login(self.personas.planner_almaty)
        response = self.post("escort", {"person": self.officer.pk})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["conflicts"][0]["ref"], other.pk)
        stranger = PersonFactory(region=self.personas.astana)
        response = self.post("escort", {"person": stranger.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("person", response.json())
        self.assertFalse(TripEscort.objects.filter(trip=self.trip).exists())

    def test_organiser_may_edit_but_not_assign_approve_or_report(self) -> None:
        organiser = user_with_role(
            "school_api", "trip-organiser", self.personas.almaty, "education"
        )
        escort(self.trip, person=self.officer)
        self.login(organiser)
        self.assertEqual(self.post("escort", {"person": self.officer.pk}).status_code, 403)
        self.assertEqual(self.post("approve").status_code, 403)
        self.assertEqual(self.post("status", {"status": "departed"}).status_code, 403)
        self.assertEqual(Trip.objects.get(pk=self.trip.pk).status, "submitted")

    def test_unassign(self) -> None:
        escort(self.trip, person=self.officer)
        self.login(self.personas.planner_almaty)
        response = self.client.delete(reverse("api:trip-escort", args=[self.trip.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.json()["escort"]["escort"])
