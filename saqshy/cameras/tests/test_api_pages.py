"""The camera register through the API and the pages: scope by region (404 elsewhere, the list
and related rows cut), If-Match, field errors, the near filter, counts with an Idempotency-Key,
the form with the map-picked area and calibration, the incident and event sections."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

from django.utils import timezone

from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.cameras import services
from saqshy.cameras.models import Camera, DensityReading
from saqshy.cameras.tests.factories import calibration_for, make_camera, owner, square, venue
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.core.testing.pages import ScopedPageTests
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.incidents.models import Incident


def coordinator(region: Region) -> User:
    user = User.objects.create_user(username=f"coordinator_{region.slug}", password="pw")
    agency, _ = Agency.objects.get_or_create(
        code=f"akimat-{region.slug}",
        defaults={"kind": "akimat", "region": region, "name_en": "Akimat"},
    )
    Grant.objects.create(
        user=user, agency=agency, role=Role.objects.get(slug="region-coordinator"), region=region
    )
    return user


class CoordinatorsMixin(PersonaTestCase, abstract=True):
    extra: ClassVar[dict[str, User]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.personas
        cls.extra = {
            "coordinator_almaty": coordinator(p.almaty),
            "coordinator_astana": coordinator(p.astana),
        }

    def user(self, name: str) -> User:
        return self.extra.get(name) or getattr(self.personas, name)


class CameraScopeTests(CoordinatorsMixin, RegionScopedAPITests):
    basename = "camera"
    model = Camera
    writer = "coordinator_almaty"
    supports = frozenset({"create", "update"})

    def make_object(self, region: Region) -> Camera:
        return make_camera(region, f"Camera in {region.slug}")

    def create_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {"name": "New camera", "lat": lat, "lon": lon, "owner": owner(region).pk}

    def update_payload(self) -> dict[str, Any]:
        return {"name": "Renamed camera"}


class CameraApiTests(CoordinatorsMixin):
    def setUp(self) -> None:
        astana = self.personas.astana
        self.square = venue(astana, "Independence Square")
        self.camera = make_camera(astana, "Square north", facility=self.square)
        self.far = make_camera(astana, "Far away", lat=51.30, lon=71.70)
        self.coordinator = self.extra["coordinator_astana"]

    def test_create_with_area_and_calibration_then_patch_with_if_match(self) -> None:
        self.login(self.coordinator)
        lat, lon = 51.1226, 71.4716
        body = {
            "name": "Tree south",
            "lat": lat,
            "lon": lon,
            "owner": owner(self.personas.astana).pk,
            "facility": self.square.pk,
            "watched_area": square(lat, lon, 20),
            "calibration": calibration_for(lat, lon, 20),
        }
        made = self.client.post("/api/cameras/", body, format="json", HTTP_IDEMPOTENCY_KEY="cam-1")
        assert made.status_code == 201, made.content
        again = self.client.post("/api/cameras/", body, format="json", HTTP_IDEMPOTENCY_KEY="cam-1")
        assert again.json()["id"] == made.json()["id"]
        assert Camera.objects.filter(name="Tree south").count() == 1
        data = made.json()
        assert data["region"] == "astana" and 395 < data["watched_area_m2"] < 405
        url = f"/api/cameras/{data['id']}/"
        etag = self.client.get(url)["ETag"]
        done = self.client.patch(url, {"bearing": 90}, format="json", HTTP_IF_MATCH=etag)
        assert done.status_code == 200 and done.json()["bearing"] == 90
        stale = self.client.patch(url, {"bearing": 180}, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        assert Camera.objects.get(pk=data["id"]).bearing == 90

    def test_bad_input_is_400_naming_the_field(self) -> None:
        self.login(self.coordinator)
        url = f"/api/cameras/{self.camera.pk}/"
        good = calibration_for(self.camera.lat, self.camera.lon)
        for body, field in (
            ({"watched_area": {"type": "Point", "coordinates": [71.4, 51.1]}}, "watched_area"),
            ({"calibration": {**good, "image": good["image"][:3]}}, "calibration"),
            ({"calibration": {**good, "ground": [good["ground"][0]] * 4}}, "calibration"),
            ({"bearing": 400}, "bearing"),
            ({"lat": 95}, "lat"),
            ({"lat": 43.2, "lon": 76.9}, None),  # into Almaty: refused, not a field error
            ({"owner": 999999}, "owner"),
            ({"owner": owner(self.personas.almaty).pk}, "owner"),
            ({"facility": 999999}, "facility"),
            ({"name": "bad\x00name"}, "name"),
        ):
            refused = self.client.patch(url, body, format="json")
            if field is None:
                assert refused.status_code == 403, (body, refused.content)
                continue
            assert refused.status_code == 400, (body, refused.content)
            assert field in refused.json(), (body, refused.json())
        assert Camera.objects.get(pk=self.camera.pk).name == "Square north"
        answer = self.client.get("/api/cameras/", {"near": "51.1,71.4"})
        assert answer.status_code == 400 and "near" in answer.json()

    def test_filters_near_a_point_and_by_venue_and_region(self) -> None:
        self.login(self.personas.dispatcher_astana)
        lat, lon = self.camera.lat, self.camera.lon
        near = self.client.get("/api/cameras/", {"near": f"{lat},{lon},300"}).json()["results"]
        assert [row["name"] for row in near] == ["Square north"]
        by_venue = self.client.get("/api/cameras/", {"facility": self.square.pk}).json()
        assert [row["name"] for row in by_venue["results"]] == ["Square north"]
        everything = self.client.get("/api/cameras/", {"region": "astana"}).json()["results"]
        assert {row["name"] for row in everything} == {"Square north", "Far away"}

    def test_counts_readings_and_map_respect_scope(self) -> None:
        self.login(self.coordinator)
        url = f"/api/cameras/{self.camera.pk}/counts/"
        at = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
        first = self.client.post(
            url, {"at": at, "count": 450}, format="json", HTTP_IDEMPOTENCY_KEY="c1"
        )
        assert first.status_code == 201, first.content
        assert first.json()["level"] == "warning"
        self.client.post(url, {"at": at, "count": 450}, format="json", HTTP_IDEMPOTENCY_KEY="c1")
        assert DensityReading.objects.count() == 1
        bad = self.client.post(url, {"at": at, "count": -3}, format="json")
        assert bad.status_code == 400 and "count" in bad.json()
        series = self.client.get(f"/api/cameras/{self.camera.pk}/readings/").json()
        assert [row["count"] for row in series] == [450]
        detail = self.client.get(f"/api/cameras/{self.camera.pk}/").json()
        assert detail["latest"]["level"] == "warning"
        features = self.client.get("/api/cameras/map/").json()
        by_name = {f["name"]: f for f in features}
        assert by_name["Square north"]["level"] == "warning"
        assert by_name["Square north"]["colour"] == "#f0a202"
        assert by_name["Far away"]["level"] == "unknown"
        assert "stream_url" not in by_name["Square north"]
        # Another region: the camera, its readings and its counts are unknown (404).
        self.login(self.personas.viewer_other_region)
        assert self.client.get("/api/cameras/map/").json() == []
        assert self.client.get(f"/api/cameras/{self.camera.pk}/readings/").status_code == 404
        assert self.client.post(url, {"at": at, "count": 1}, format="json").status_code == 404
        assert self.client.get("/api/cameras/").json()["results"] == []
        # A dispatcher sees cameras but does not feed counts.
        self.login(self.personas.dispatcher_astana)
        assert self.client.post(url, {"at": at, "count": 1}, format="json").status_code == 403

    def test_deactivate(self) -> None:
        self.login(self.personas.dispatcher_astana)
        url = f"/api/cameras/{self.camera.pk}/deactivate/"
        assert self.client.post(url).status_code == 403
        self.login(self.coordinator)
        done = self.client.post(url)
        assert done.status_code == 200 and done.json()["is_active"] is False
        assert self.client.delete(f"/api/cameras/{self.camera.pk}/").status_code == 405


class CameraPageTests(CoordinatorsMixin):
    def setUp(self) -> None:
        astana = self.personas.astana
        self.square = venue(astana, "Independence Square")
        self.camera = make_camera(astana, "Square north", facility=self.square)
        self.coordinator = self.extra["coordinator_astana"]

    def page(self, user: User, url: str, language: str = "en") -> str:
        self.client.force_login(user)
        answer = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200, (url, answer.status_code)
        return answer.content.decode()

    def test_list_detail_and_other_region(self) -> None:
        services.record_count(acting_user=None, camera=self.camera, at=timezone.now(), count=300)
        listed = self.page(self.personas.dispatcher_astana, "/cameras/")
        assert "Square north" in listed and "Add a camera" not in listed
        detail = self.page(self.personas.dispatcher_astana, f"/cameras/{self.camera.pk}/")
        assert "density-series" in detail and "m²" in detail
        assert self.camera.stream_url not in detail or not self.camera.stream_url
        self.client.force_login(self.personas.viewer_other_region)
        assert self.client.get(f"/cameras/{self.camera.pk}/").status_code == 404
        assert "Square north" not in self.page(self.personas.viewer_other_region, "/cameras/")
        assert self.client.get(f"/cameras/{self.camera.pk}/edit/").status_code == 404
        kazakh = self.page(self.coordinator, f"/cameras/{self.camera.pk}/", "kk")
        assert "Бақылау аймағы" in kazakh

    def test_form_adds_a_camera_with_the_map_picked_area_and_calibration(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get("/cameras/add/").status_code == 200
        lat, lon = 51.1226, 71.4716
        area = square(lat, lon, 20)
        cal = calibration_for(lat, lon, 20)
        form: dict[str, Any] = {
            "name": "Tree east",
            "facility": self.square.pk,
            "owner": owner(self.personas.astana).pk,
            "address": "Independence Square",
            "lat": lat,
            "lon": lon,
            "bearing": "",
            "stream_url": "rtsp://10.0.0.5/stream",
            "is_active": "on",
            "watched_area": json.dumps(area),
        }
        for n in (1, 2, 3, 4):
            form[f"image_x_{n}"], form[f"image_y_{n}"] = cal["image"][n - 1]
            form[f"ground_lon_{n}"], form[f"ground_lat_{n}"] = cal["ground"][n - 1]
        broken = {**form, "image_x_2": form["image_x_1"], "image_y_2": form["image_y_1"]}
        refused = self.client.post("/cameras/add/", broken, format="multipart")
        assert refused.status_code == 200
        assert "Two of the four image points are the same" in refused.content.decode()
        partial = {**form, "ground_lat_4": ""}
        assert (
            "Fill in all four"
            in self.client.post("/cameras/add/", partial, format="multipart").content.decode()
        )
        done = self.client.post("/cameras/add/", form, format="multipart")
        assert done.status_code == 302, done.content.decode()[:2000]
        camera = Camera.objects.get(name="Tree east")
        assert camera.calibration is not None and len(camera.calibration["ground"]) == 4
        assert camera.watched_area_m2 is not None and 395 < camera.watched_area_m2 < 405
        edit = self.client.get(f"/cameras/{camera.pk}/edit/").content.decode()
        assert "id_ground_lat_4" in edit and str(cal["ground"][3][1])[:7] in edit
        self.client.force_login(self.personas.dispatcher_astana)
        assert self.client.get("/cameras/add/").status_code == 403
        assert self.client.get(f"/cameras/{camera.pk}/edit/").status_code == 403

    def test_incident_and_event_pages_list_the_cameras_near(self) -> None:
        services.record_count(acting_user=None, camera=self.camera, at=timezone.now(), count=900)
        incident = Incident.objects.get(type__code="crowd_density")
        page = self.page(self.personas.dispatcher_astana, f"/incidents/{incident.pk}/")
        assert 'id="incident-cameras"' in page and "Square north" in page
        event = GatheringFactory(venue=self.square, name="Tree lighting")
        page = self.page(self.personas.dispatcher_astana, f"/events/{event.pk}/")
        assert 'id="event-cameras"' in page and "Square north" in page
        self.client.force_login(self.personas.viewer_other_region)
        assert self.client.get(f"/events/{event.pk}/").status_code == 404


class CameraPageAccessTests(CoordinatorsMixin, ScopedPageTests):
    """The inherited page proofs: another region's camera is 404, the forms store exactly what
    was posted, refused writes change nothing, the list's queries do not grow with its rows."""

    model = Camera
    list_url = "cameras:list"
    detail_url = "cameras:detail"
    create_url = "cameras:add"
    edit_url = "cameras:edit"
    writer = "coordinator_almaty"
    list_user = "coordinator_almaty"

    def make_object(self, region: Region) -> Camera:
        return make_camera(region, f"Camera in {region.slug}")

    def form_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "name": "Gate 3",
            "owner": owner(region).pk,
            "address": "Gate 3, the square",
            "lat": lat,
            "lon": lon,
        }
