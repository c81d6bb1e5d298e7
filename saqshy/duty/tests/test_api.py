"""The duty API: every endpoint scoped, writes through the services, audited."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Agency, Region
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.duty.models import Absence, Person, Post, Readiness, Shift
from saqshy.duty.tests.factories import (
    AbsenceFactory,
    PersonFactory,
    PostFactory,
    PostNeedFactory,
    ReadinessFactory,
    ShiftFactory,
    hour,
)
from saqshy.facilities.tests.factories import FacilityFactory


def police(region: Region) -> Agency:
    return Agency.objects.get(code=f"police-{region.slug}")


class PersonAPITests(RegionScopedAPITests):
    basename = "duty-person"
    model = Person

    def make_object(self, region: Region) -> Person:
        return PersonFactory(agency=police(region))

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "agency": f"police-{region.slug}",
            "personnel_number": "N-1",
            "first_name": "Arman",
            "last_name": "Bekov",
            "skills": ["patrol", "escort"],
        }

    def update_payload(self) -> dict[str, Any]:
        return {"position": "Captain", "weekly_hours": 36}

    def test_region_follows_the_agency_and_skills_are_codes(self) -> None:
        self.login(self.p.planner_almaty)
        payload = self.create_payload(self.p.almaty) | {"skills": ["Patrol", "patrol", " K9 "]}
        response = self.client.post(self.list_url(), payload, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            (response.json()["region"], response.json()["skills"]), ("almaty", ["patrol", "k9"])
        )


class AbsenceAPITests(RegionScopedAPITests):
    basename = "duty-absence"
    model = Absence
    supports = frozenset({"create", "delete"})
    refused_create = (400, "person")

    def make_object(self, region: Region) -> Absence:
        return AbsenceFactory(person=PersonFactory(agency=police(region)))

    def create_payload(self, region: Region) -> dict[str, Any]:
        person = PersonFactory(agency=police(region))
        return {
            "person": person.pk,
            "kind": "sick",
            "starts_at": hour(2).isoformat(),
            "ends_at": hour(50).isoformat(),
        }

    def update_payload(self) -> dict[str, Any]:
        return {"note": "changed"}


class ReadinessAPITests(RegionScopedAPITests):
    basename = "duty-readiness"
    model = Readiness
    supports = frozenset({"create"})

    def make_object(self, region: Region) -> Readiness:
        return ReadinessFactory(region=region, starts_at=hour(-100 - Readiness.objects.count()))

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "region": region.slug,
            "level": "high_alert",
            "starts_at": hour(1).isoformat(),
            "reason": "Snowstorm",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"reason": "changed"}

    def test_now_and_end(self) -> None:
        self.login(self.p.planner_almaty)
        self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        url = reverse("api:duty-readiness-now")
        at = hour(2).isoformat()
        body = self.client.get(url, {"region": "almaty", "at": at}).json()
        self.assertEqual((body["level"], body["staffing_multiplier"]), ("high_alert", 1.5))
        self.assertEqual(self.client.get(url, {"region": "astana"}).status_code, 404)
        record = Readiness.objects.get(level="high_alert")
        end = reverse("api:duty-readiness-end", args=[record.pk])
        self.assertEqual(self.client.post(end, {"at": hour(3).isoformat()}).status_code, 200)
        body = self.client.get(url, {"region": "almaty", "at": hour(4).isoformat()}).json()
        self.assertEqual(body["level"], "normal")  # the new level ended the one before it


class PostAPITests(RegionScopedAPITests):
    basename = "duty-post"
    model = Post
    supports = frozenset()

    def make_object(self, region: Region) -> Post:
        post = PostFactory(region=region)
        PostNeedFactory(post=post, agency=police(region), people=2)
        ShiftFactory(post=post, person=PersonFactory(agency=police(region)))
        return post

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {"name": "x", "kind": "other"}

    def update_payload(self) -> dict[str, Any]:
        return {"name": "y"}

    def test_needs_and_staffing_are_listed(self) -> None:
        self.login(self.p.planner_almaty)
        item = self.client.get(self.detail_url(self.in_almaty)).json()
        self.assertEqual(item["needs"], [{"agency": "police-almaty", "skill": "", "people": 2}])
        self.assertEqual(
            (item["staffing"]["needed"], item["staffing"]["on_shift"], item["staffing"]["status"]),
            (2, 1, "partial"),
        )

    def test_derive_in_own_region_only(self) -> None:
        FacilityFactory(region=self.p.almaty, kind="station")
        url = reverse("api:duty-post-derive")
        payload = {
            "region": "almaty",
            "starts_at": hour(0).isoformat(),
            "ends_at": hour(48).isoformat(),
        }
        self.login(self.p.dispatcher_astana)
        self.assertEqual(self.client.post(url, payload).status_code, 403)
        self.login(self.p.planner_almaty)
        self.assertEqual(self.client.post(url, payload | {"region": "astana"}).status_code, 403)
        response = self.client.post(url, payload)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["created"], 1)
        self.assertEqual(self.client.post(url, payload).json()["unchanged"], 1)


class ShiftAPITests(PersonaTestCase):
    def test_shifts_are_read_only_and_scoped(self) -> None:
        p = self.personas
        mine = ShiftFactory(
            post=PostFactory(region=p.almaty), person=PersonFactory(agency=police(p.almaty))
        )
        ShiftFactory(
            post=PostFactory(region=p.astana), person=PersonFactory(agency=police(p.astana))
        )
        self.login(p.planner_almaty)
        url = reverse("api:duty-shift-list")
        self.assertEqual([s["id"] for s in self.client.get(url).json()["results"]], [mine.pk])
        self.assertEqual(self.client.post(url, {}).status_code, 405)
        self.assertEqual(Shift.objects.count(), 2)
