"""API and pages: scope by region, codes on bad input, PATCH occupancy with If-Match, the
evacuation through the API, the phone form, the shortfall sentence, a page in Kazakh."""

from __future__ import annotations

from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.incidents.models import Incident
from saqshy.roads.tests.factories import make_network
from saqshy.winter import services
from saqshy.winter.choices import EquipmentType
from saqshy.winter.models import StrandedReport, WarmingPoint
from saqshy.winter.tests.factories import make_point, make_standby

BUS = {"lat": 51.035, "lon": 71.515}


class WinterBase(PersonaTestCase, abstract=True):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        astana = cls.personas.astana
        cls.roads = make_network(astana)
        cls.south = make_point(astana, "Southern village", 50.51, 72.0)
        cls.east = make_point(astana, "Eastern village", 51.0, 72.59, capacity=100)

    def client_page(self, user, url: str, language: str = "en") -> str:
        self.client.force_login(user)
        answer = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200, answer.status_code
        return answer.content.decode()


class WinterApiTests(WinterBase):
    def test_points_list_detail_and_another_region_sees_nothing(self) -> None:
        self.login(self.personas.dispatcher_astana)
        listed = self.client.get("/api/winter/points/")
        assert listed.status_code == 200
        assert {row["name"] for row in listed.json()["results"]} == {
            "Southern village",
            "Eastern village",
        }
        detail = self.client.get(f"/api/winter/points/{self.south.pk}/")
        assert detail.status_code == 200 and detail.json()["free_places"] == 50
        self.login(self.personas.viewer_other_region)
        assert self.client.get("/api/winter/points/").json()["results"] == []
        assert self.client.get(f"/api/winter/points/{self.south.pk}/").status_code == 404

    def test_patch_occupancy_with_if_match(self) -> None:
        self.login(self.personas.dispatcher_astana)
        url = f"/api/winter/points/{self.south.pk}/"
        etag = self.client.get(url)["ETag"]
        done = self.client.patch(url, {"occupancy": 7}, format="json", HTTP_IF_MATCH=etag)
        assert done.status_code == 200, done.content
        assert done.json()["occupancy"] == 7
        stale = self.client.patch(url, {"occupancy": 8}, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        fresh = self.client.get(url)["ETag"]
        for body, field in (
            ({"occupancy": 51}, "occupancy"),
            ({"occupancy": -1}, "occupancy"),
            ({"occupancy": "x"}, "occupancy"),
            ({"occupancy": 3, "capacity": 500}, "capacity"),
        ):
            refused = self.client.patch(url, body, format="json", HTTP_IF_MATCH=fresh)
            assert refused.status_code == 400, (body, refused.content)
            assert field in refused.json(), refused.json()
        assert WarmingPoint.objects.get(pk=self.south.pk).occupancy == 7
        self.login(self.personas.viewer_other_region)
        assert self.client.patch(url, {"occupancy": 1}, format="json").status_code in (403, 404)

    def test_nearest_names_bad_fields_and_orders_by_road_time(self) -> None:
        self.login(self.personas.dispatcher_astana)
        found = self.client.get("/api/winter/points/nearest/", {**BUS, "people": 10})
        assert found.status_code == 200
        rows = found.json()
        assert [row["name"] for row in rows] == ["Southern village", "Eastern village"]
        assert rows[0]["by_road"] is True and rows[0]["roads"]
        for query, field in (
            ({"lon": 71.5}, "lat"),
            ({**BUS, "lat": 123}, "lat"),
            ({**BUS, "people": 0}, "people"),
            ({**BUS, "vehicle": "tank"}, "vehicle"),
        ):
            refused = self.client.get("/api/winter/points/nearest/", query)
            assert refused.status_code == 400 and field in refused.json(), refused.content

    def test_stranded_through_the_api(self) -> None:
        self.login(self.personas.dispatcher_astana)
        bad = self.client.post(
            "/api/winter/stranded/",
            {"location": "M-36", **BUS, "people": 3, "children": 5},
            format="json",
        )
        assert bad.status_code == 400 and "children" in bad.json()
        created = self.client.post(
            "/api/winter/stranded/",
            {
                "location": "M-36, 20 km south of Astana",
                **BUS,
                "people": 38,
                "children": 21,
                "vehicle_kind": "bus",
                "reporter_phone": "+7 701 000 00 00",
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        report_id = created.json()["id"]
        assert Incident.objects.filter(stranded_report__id=report_id, type__code="stranded")
        base = f"/api/winter/stranded/{report_id}/"
        full = self.client.post(base + "assign/", {"point": self.south.pk}, format="json")
        assert full.status_code == 201 or full.status_code == 200, full.content
        assert self.client.post(base + "complete/", {}, format="json").status_code == 409
        assert self.client.post(base + "start/", {}, format="json").status_code == 200
        done = self.client.post(base + "complete/", {}, format="json")
        assert done.status_code == 200 and done.json()["status"] == "evacuated"
        assert WarmingPoint.objects.get(pk=self.south.pk).occupancy == 38
        missing = self.client.post(base + "assign/", {}, format="json")
        assert missing.status_code in (400, 409)
        # Another region: nothing, and no phone leaks to a viewer.
        self.login(self.personas.viewer_other_region)
        assert self.client.get(base).status_code == 404
        self.login(self.personas.analyst_national)
        seen = self.client.get(base).json()
        assert "reporter_phone" not in seen and seen["people"] == 38

    def test_standby_and_shortfalls(self) -> None:
        from saqshy.winter.tests.test_services import _close

        _close(self.roads["2-4"])
        make_standby(self.personas.astana, "PLOUGH-1", EquipmentType.SNOW_PLOUGH, self.roads["2-4"])
        self.login(self.personas.dispatcher_astana)
        listed = self.client.get("/api/winter/standby/")
        assert listed.status_code == 200 and len(listed.json()["results"]) == 1
        sentences = [
            s["sentence"] for s in self.client.get("/api/winter/standby/shortfalls/").json()
        ]
        road = self.roads["2-4"].title
        assert f"Astana: no tow truck on standby for {road}" in sentences
        assert "Astana: no helicopter on standby for the region" in sentences
        assert not any("snow plough" in s for s in sentences)
        page = self.client_page(self.personas.dispatcher_astana, reverse("winter:standby"))
        assert f"Astana: no tow truck on standby for {road}" in page


class WinterPageTests(WinterBase):
    def test_pages_render_in_kazakh(self) -> None:
        report = services.report_stranded(
            acting_user=None, location="M-36", people=4, children=1, **BUS
        )
        user = self.personas.dispatcher_astana
        for url in (
            reverse("winter:stranded"),
            reverse("winter:stranded-detail", args=[report.pk]),
            reverse("winter:points"),
            reverse("winter:point-detail", args=[self.south.pk]),
            reverse("winter:point-occupancy", args=[self.south.pk]),
            reverse("winter:standby"),
        ):
            page = self.client_page(user, url, "kk")
            assert "Жылыну пункт" in page, url
        detail = self.client_page(user, reverse("winter:stranded-detail", args=[report.pk]))
        assert "Southern village" in detail

    def test_phone_form_changes_only_occupancy(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        url = reverse("winter:point-occupancy", args=[self.south.pk])
        from saqshy.core import versioning

        version = versioning.version_of(WarmingPoint.objects.get(pk=self.south.pk))
        plus = self.client.post(
            url, {"step": "10", "occupancy": "0", "version": version}, format="multipart"
        )
        assert plus.status_code == 302
        assert WarmingPoint.objects.get(pk=self.south.pk).occupancy == 10
        stale = self.client.post(
            url, {"step": "1", "occupancy": "0", "version": version}, format="multipart"
        )
        assert stale.status_code == 412
        version = versioning.version_of(WarmingPoint.objects.get(pk=self.south.pk))
        over = self.client.post(
            url, {"occupancy": "51", "capacity": "999", "version": version}, format="multipart"
        )
        assert over.status_code == 400
        point = WarmingPoint.objects.get(pk=self.south.pk)
        assert (point.occupancy, point.capacity) == (10, 50)
        self.client.force_login(self.personas.viewer_other_region)
        assert self.client.get(url).status_code == 404

    def test_new_report_from_the_page(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        answer = self.client.post(
            reverse("winter:stranded"),
            {
                "location": "M-36 km 20",
                "lat": "51.035",
                "lon": "71.515",
                "people": "3",
                "children": "0",
                "fuel_left": "low",
                "vehicles": "1",
                "vehicle_kind": "car",
            },
            format="multipart",
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        assert StrandedReport.objects.get().incident is not None
