"""The escort picker: search officers by name or personnel number, free ones first."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.trips.models import Trip
from saqshy.trips.tests.factories import (
    AbsenceFactory,
    PersonFactory,
    ShiftFactory,
    TripFactory,
    agency,
    escort,
)


class EscortPickerTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        almaty = cls.personas.almaty
        cls.trip = TripFactory(region=almaty, status="submitted")
        # Four namesakes: the picker must tell them apart and put the free ones first.
        cls.sick = PersonFactory(
            region=almaty, first_name="Nurlan", last_name="Abenov", personnel_number="P-0001"
        )
        cls.on_shift = PersonFactory(
            region=almaty, first_name="Nurlan", last_name="Abenov", personnel_number="P-0002"
        )
        cls.other_trip = PersonFactory(
            region=almaty, first_name="Nurlan", last_name="Abenov", personnel_number="P-0003"
        )
        cls.free = PersonFactory(
            region=almaty,
            first_name="Nurlan",
            last_name="Abenov",
            personnel_number="P-0004",
            position="Captain",
        )
        cls.cyrillic = PersonFactory(
            region=almaty, first_name="Нурлан", last_name="Әбенов", personnel_number="P-0005"
        )
        AbsenceFactory(person=cls.sick, starts_at=cls.trip.departs_at - dt.timedelta(days=1))
        ShiftFactory(person=cls.on_shift, starts_at=cls.trip.returns_at - dt.timedelta(hours=1))
        clash = TripFactory(region=almaty, status="approved", departs_at=cls.trip.departs_at)
        escort(clash, person=cls.other_trip)
        # Not offered at all: retired, another region, not police.
        PersonFactory(region=almaty, first_name="Nurlan", last_name="Abenov", active=False)
        PersonFactory(region=cls.personas.astana, first_name="Nurlan", last_name="Abenov")
        PersonFactory(
            region=almaty,
            first_name="Nurlan",
            last_name="Abenov",
            agency=agency(almaty, "emergency"),
        )
        cls.url = reverse("api:trip-escort-candidates", args=[cls.trip.pk])

    def search(self, q: str) -> list[dict[str, object]]:
        self.login(self.personas.planner_almaty)
        response = self.client.get(self.url, {"q": q})
        self.assertEqual(response.status_code, 200, response.content)
        results: list[dict[str, object]] = response.json()["results"]
        return results

    def test_free_officers_first_with_rank_agency_and_reasons(self) -> None:
        results = self.search("nurlan abenov")
        numbers = [r["personnel_number"] for r in results]
        self.assertEqual(numbers[0], "P-0004")
        self.assertEqual(set(numbers), {"P-0001", "P-0002", "P-0003", "P-0004"})
        first = results[0]
        self.assertEqual((first["rank"], first["free"], first["conflicts"]), ("Captain", True, []))
        self.assertEqual(first["agency"], agency(self.personas.almaty).display_name)
        busy = {r["personnel_number"]: r for r in results[1:]}
        self.assertTrue(all(r["free"] is False for r in busy.values()))
        self.assertIn("Sick", str(busy["P-0001"]["conflicts"]))
        self.assertIn("Rostered at the post", str(busy["P-0002"]["conflicts"]))
        self.assertIn("Escorting the trip", str(busy["P-0003"]["conflicts"]))

    def test_search_by_personnel_number_and_cyrillic_name(self) -> None:
        self.assertEqual([r["name"] for r in self.search("P-0003")], ["Nurlan Abenov"])
        self.assertEqual([r["personnel_number"] for r in self.search("нурлан")], ["P-0005"])
        self.assertEqual([r["personnel_number"] for r in self.search("Әбен")], ["P-0005"])
        self.assertEqual(self.search("nobody-like-this"), [])

    def test_empty_search_offers_free_officers_first(self) -> None:
        results = self.search("")
        free = [r["free"] for r in results]
        self.assertEqual(free, sorted(free, reverse=True))
        self.assertEqual(free.count(True), 2)

    def test_queries_do_not_grow_with_the_officers_matched(self) -> None:
        self.login(self.personas.planner_almaty)
        self.client.get(self.url, {"q": "abenov"})  # warm the caches of the first request
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url, {"q": "abenov"})
        for n in range(30):
            PersonFactory(region=self.personas.almaty, last_name=f"Abenov{n}")
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url, {"q": "abenov"})
        self.assertEqual(len(few), len(many))

    def test_only_approvers_in_the_region_may_search(self) -> None:
        self.login(self.personas.planner_astana)
        self.assertEqual(self.client.get(self.url, {"q": "a"}).status_code, 404)
        self.login(self.personas.inspector_almaty)
        self.assertEqual(self.client.get(self.url, {"q": "a"}).status_code, 403)

    def test_page_has_the_search_box_not_a_select_of_every_officer(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        response = self.client.get(reverse("trips:detail", args=[self.trip.pk]))
        self.assertContains(response, "data-escort-picker")
        self.assertContains(response, 'role="combobox"')
        self.assertContains(response, "trips/escort.js")
        self.assertNotContains(response, 'name="person" id="id_person"><option')
        self.assertNotContains(response, "P-0004")

    def test_typed_personnel_number_assigns_without_the_script(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        response = self.client.post(
            reverse("trips:escort", args=[self.trip.pk]),
            {"person": "", "person_query": "P-0004"},
            format="multipart",
            follow=True,
        )
        self.assertContains(response, "Escort assigned.")
        self.assertEqual(Trip.objects.get(pk=self.trip.pk).escort.person_id, self.free.pk)
        response = self.client.post(
            reverse("trips:escort", args=[self.trip.pk]),
            {"person": "", "person_query": "Abenov"},
            format="multipart",
            follow=True,
        )
        self.assertContains(response, "Choose an officer from the list")
