from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory


class FacilityAPITests(RegionScopedAPITests):
    basename = "facility"
    model = Facility

    def make_object(self, region: Region) -> Facility:
        facility: Facility = FacilityFactory(region=region)
        return facility

    def create_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {"kind": "mall", "name": "Keruen", "lat": lat + 0.001, "lon": lon + 0.001}

    def update_payload(self) -> dict[str, Any]:
        return {"capacity": 1200, "has_fire_alarm": True}

    def test_region_is_derived_from_the_location(self) -> None:
        self.login(self.p.planner_almaty)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.json()["region"], "almaty")

    def test_location_outside_every_region_is_a_field_error(self) -> None:
        self.login(self.p.planner_almaty)
        count = Facility.objects.count()
        response = self.client.post(
            self.list_url(), {"kind": "mall", "name": "Nowhere", "lat": 10.0, "lon": 10.0}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("lat", response.json())
        self.assertEqual(Facility.objects.count(), count)

    def test_moving_a_facility_into_a_region_you_cannot_change_is_refused(self) -> None:
        self.login(self.p.planner_almaty)
        lat, lon = CENTRES["astana"]
        response = self.client.patch(self.detail_url(self.in_almaty), {"lat": lat, "lon": lon})
        self.assertEqual(response.status_code, 403)
        self.in_almaty.refresh_from_db()
        self.assertEqual(self.in_almaty.region, self.p.almaty)


class FacilityFilterTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.school = FacilityFactory(region=p.astana, kind="school", name="Gymnasium 12")
        self.mall = FacilityFactory(
            region=p.astana,
            kind="mall",
            name="Khan Shatyr",
            lat=51.1325,
            lon=71.4036,
            address="Turan Avenue 37",
        )
        self.almaty = FacilityFactory(region=p.almaty, kind="mall", name="Mega Alma-Ata")
        self.login(p.analyst_national)
        self.url = reverse("api:facility-list")

    def ids(self, **params: Any) -> set[int]:
        response = self.client.get(self.url, params)
        self.assertEqual(response.status_code, 200, response.content)
        return {item["id"] for item in response.json()["results"]}

    def test_filters(self) -> None:
        self.assertEqual(self.ids(region="almaty"), {self.almaty.pk})
        self.assertEqual(self.ids(kind="mall"), {self.mall.pk, self.almaty.pk})
        self.assertEqual(self.ids(q="turan"), {self.mall.pk})
        self.assertEqual(self.ids(q="khan"), {self.mall.pk})
        self.assertEqual(self.ids(bbox="71.40,51.13,71.41,51.14"), {self.mall.pk})
        self.assertEqual(self.ids(kind="mall", region="astana"), {self.mall.pk})

    def test_pagination_shape(self) -> None:
        body = self.client.get(self.url, {"page_size": 1}).json()
        self.assertEqual(set(body), {"count", "count_exact", "next", "previous", "results"})
        self.assertEqual(body["count"], 3)
        self.assertIs(body["count_exact"], True)
        self.assertIsNotNone(body["next"])

    def test_geojson_output(self) -> None:
        response = self.client.get(self.url, {"format": "geojson", "kind": "mall"})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual(body["count"], 2)
        feature = next(f for f in body["features"] if f["id"] == self.mall.pk)
        self.assertEqual(feature["geometry"], {"type": "Point", "coordinates": [71.4036, 51.1325]})
        self.assertEqual(feature["properties"]["name"], "Khan Shatyr")

    def test_bad_bbox_names_the_field(self) -> None:
        response = self.client.get(self.url, {"bbox": "1,2,3"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("bbox", response.json())

    def test_validation_errors_in_the_users_language(self) -> None:
        self.login(self.personas.planner_almaty)
        response = self.client.post(self.url, {"kind": "nonsense"}, HTTP_ACCEPT_LANGUAGE="ru")
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertIn("kind", body)
        self.assertIn("lat", body)
        self.assertRegex(body["kind"][0], "[А-Яа-я]")
        response = self.client.post(self.url, {"kind": "nonsense"}, HTTP_ACCEPT_LANGUAGE="kk")
        self.assertRegex(response.json()["lat"][0], "[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


class TokenAuthTests(PersonaTestCase):
    def test_token_then_authorised_request(self) -> None:
        response = self.client.post(
            reverse("api:token"), {"username": "planner_almaty", "password": "pw-planner_almaty"}
        )
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        me = self.client.get(reverse("api:me")).json()
        self.assertEqual(me["username"], "planner_almaty")
        self.assertEqual(me["grants"][0]["region"], "almaty")

    def test_wrong_password_names_no_user(self) -> None:
        response = self.client.post(
            reverse("api:token"), {"username": "planner_almaty", "password": "wrong"}
        )
        self.assertEqual(response.status_code, 400)
