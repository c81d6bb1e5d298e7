"""The warnings API and pages: scoped by region, 400 naming fields, confirm by the road
authority only, If-Match and Idempotency-Key as on every write, the pages in Kazakh."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.roads.choices import SegmentStatus
from saqshy.roads.models import Closure, Segment
from saqshy.roads.tests.factories import make_segment
from saqshy.weather import services
from saqshy.weather.choices import WarningStatus
from saqshy.weather.models import WeatherWarning
from saqshy.weather.tests.factories import as_road_authority

LIST = "/api/weather/warnings/"


def when(hours: float = 0) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(hours=hours)


def make_warning(region: Region, segments: list[Segment] | None = None) -> WeatherWarning:
    return services.create_warning(
        acting_user=None,
        region=region,
        kind="blizzard",
        level="red",
        starts_at=when(),
        ends_at=when(8),
        segments=segments or [],
        max_gust_kmh=85,
        min_temperature_c=-31,
        note="Drifts near Koyandy",
    )


class WarningScopeTests(RegionScopedAPITests):
    basename = "weatherwarning"
    model = WeatherWarning
    reader = "analyst_national"
    supports = frozenset({"create"})

    def make_object(self, region: Region) -> WeatherWarning:
        return make_warning(region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "region": region.slug,
            "kind": "storm_wind",
            "level": "orange",
            "starts_at": when().isoformat(),
            "ends_at": when(6).isoformat(),
            "max_gust_kmh": 75,
        }

    def update_payload(self) -> dict[str, Any]:
        return {"note": "changed"}


class WarningAPITests(PersonaTestCase):
    segment: ClassVar[Segment]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        as_road_authority(cls.personas.planner_astana, cls.personas.astana)
        cls.segment = make_segment(2, 4, cls.personas.astana)

    def setUp(self) -> None:
        self.warning = make_warning(self.personas.astana, [self.segment])

    def test_bad_input_is_400_naming_the_fields(self) -> None:
        self.login(self.personas.dispatcher_astana)
        body: dict[str, Any] = {
            "region": "astana",
            "kind": "tornado",
            "level": "orange",
            "starts_at": when(5).isoformat(),
            "ends_at": when(1).isoformat(),
            "segments": [999999],
        }
        response = self.client.post(LIST, body, format="json")
        assert response.status_code == 400
        assert {"kind", "segments"} <= set(response.json())
        body.update(kind="blizzard", segments=[])
        response = self.client.post(LIST, body, format="json")
        assert response.status_code == 400
        assert "ends_at" in response.json()
        body.update(ends_at=when(9).isoformat(), max_gust_kmh=1000)
        response = self.client.post(LIST, body, format="json")
        assert response.status_code == 400 and "max_gust_kmh" in response.json()
        body.update(max_gust_kmh=80, note="a\x00b")
        response = self.client.post(LIST, body, format="json")
        assert response.status_code == 400 and "note" in response.json()
        assert WeatherWarning.objects.count() == 1

    def test_a_dispatcher_enters_a_warning_once_with_an_idempotency_key(self) -> None:
        self.login(self.personas.dispatcher_astana)
        body = {
            "region": "astana",
            "kind": "blizzard",
            "level": "orange",
            "starts_at": when().isoformat(),
            "ends_at": when(6).isoformat(),
            "segments": [self.segment.pk],
            "note": "Snowdrifts",
        }
        first = self.client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
        assert first.status_code == 201, first.content
        assert first.json()["status"] == "proposed"
        assert [s["title"] for s in first.json()["road_segments"]] == [self.segment.title]
        assert first.json()["note"] == "Snowdrifts"
        again = self.client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
        assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
        assert WeatherWarning.objects.count() == 2

    def test_the_dispatcher_may_not_confirm_the_road_authority_may(self) -> None:
        url = f"{LIST}{self.warning.pk}/confirm/"
        self.login(self.personas.dispatcher_astana)
        assert self.client.post(url, {}, format="json").status_code == 403
        self.login(self.personas.planner_almaty)
        assert self.client.post(url, {}, format="json").status_code == 404
        assert not Closure.objects.exists()
        self.login(self.personas.planner_astana)
        etag = self.client.get(f"{LIST}{self.warning.pk}/")["ETag"]
        stale = '"0-stale"'
        assert self.client.post(url, {}, format="json", HTTP_IF_MATCH=stale).status_code == 412
        done = self.client.post(url, {"note": "Closed"}, format="json", HTTP_IF_MATCH=etag)
        assert done.status_code == 200, done.content
        assert done.json()["status"] == WarningStatus.CONFIRMED
        assert len(done.json()["closures"]) == 1
        self.segment.refresh_from_db()
        assert self.segment.status == SegmentStatus.CLOSED
        assert self.client.post(url, {}, format="json").status_code == 409

    def test_dismiss_closes_nothing(self) -> None:
        self.login(self.personas.dispatcher_astana)
        url = f"{LIST}{self.warning.pk}/dismiss/"
        response = self.client.post(url, {"note": "Cleared"}, format="json")
        assert response.status_code == 200
        assert response.json()["status"] == WarningStatus.DISMISSED
        self.segment.refresh_from_db()
        assert self.segment.status == SegmentStatus.OPEN

    def test_segments_of_another_region_stay_hidden(self) -> None:
        elsewhere = make_segment(1, 3, self.personas.almaty)
        both = make_warning(self.personas.astana, [self.segment, elsewhere])
        self.login(self.personas.dispatcher_astana)
        shown = self.client.get(f"{LIST}{both.pk}/").json()["road_segments"]
        assert [s["id"] for s in shown] == [self.segment.pk]
        self.login(self.personas.analyst_national)
        shown = self.client.get(f"{LIST}{both.pk}/").json()["road_segments"]
        assert {s["id"] for s in shown} == {self.segment.pk, elsewhere.pk}

    def test_the_map_shows_active_warnings_in_scope(self) -> None:
        self.login(self.personas.dispatcher_astana)
        features = self.client.get(f"{LIST}map/").json()["features"]
        assert [f["properties"]["id"] for f in features] == [self.warning.pk]
        assert features[0]["geometry"]["type"] == "MultiLineString"
        self.login(self.personas.viewer_other_region)
        assert self.client.get(f"{LIST}map/").json()["features"] == []


class WarningPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        as_road_authority(cls.personas.planner_astana, cls.personas.astana)

    def client_in(self, user: Any, language: str = "kk") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    def test_the_list_and_detail_in_kazakh(self) -> None:
        segment = make_segment(2, 4, self.personas.astana)
        warning = make_warning(self.personas.astana, [segment])
        client = self.client_in(self.personas.planner_astana)
        page = client.get(reverse("weather:list"), {"region": "astana", "status": "proposed"})
        assert page.status_code == 200
        text = page.content.decode()
        assert "Ауа райы ескертулері" in text
        assert "Боран" in text
        detail = client.get(reverse("weather:detail", args=[warning.pk])).content.decode()
        assert "Растау және жолды жабу" in detail
        assert "Drifts near Koyandy" in detail
        assert timezone.localtime(warning.starts_at).strftime("%d.%m.%Y %H:%M") in detail
        other = self.client_in(self.personas.viewer_other_region)
        assert other.get(reverse("weather:detail", args=[warning.pk])).status_code == 404

    def test_confirm_and_dismiss_buttons(self) -> None:
        segment = make_segment(2, 4, self.personas.astana)
        warning = make_warning(self.personas.astana, [segment])
        dispatcher = self.client_in(self.personas.dispatcher_astana, "ru")
        detail = dispatcher.get(reverse("weather:detail", args=[warning.pk])).content.decode()
        assert reverse("weather:dismiss", args=[warning.pk]) in detail
        assert reverse("weather:confirm", args=[warning.pk]) not in detail
        dispatcher.post(reverse("weather:confirm", args=[warning.pk]), {"note": "x"})
        warning.refresh_from_db()
        assert warning.status == WarningStatus.PROPOSED
        planner = self.client_in(self.personas.planner_astana)
        planner.post(reverse("weather:confirm", args=[warning.pk]), {"note": "Жабылды"})
        warning.refresh_from_db()
        segment.refresh_from_db()
        assert (warning.status, segment.status) == (WarningStatus.CONFIRMED, SegmentStatus.CLOSED)

    def test_the_form_shows_field_errors(self) -> None:
        client = self.client_in(self.personas.dispatcher_astana)
        url = reverse("weather:create")
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "region": self.personas.astana.pk,
                "kind": "blizzard",
                "level": "red",
                "starts_at": "2026-12-31T20:00",
                "ends_at": "2026-12-31T18:00",
                "max_gust_kmh": "abc",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert {"ends_at", "max_gust_kmh"} <= set(errors)
        assert not WeatherWarning.objects.exists()
        response = client.post(
            url,
            {
                "region": self.personas.astana.pk,
                "kind": "blizzard",
                "level": "red",
                "starts_at": "2026-12-31T18:00",
                "ends_at": "2027-01-01T08:00",
                "note": "Боран",
            },
        )
        warning = WeatherWarning.objects.get()
        assert response.status_code == 302 and warning.note == "Боран"
        refused = client.post(url, {"region": self.personas.astana.pk, "note": "a\x00"})
        assert refused.status_code == 400
        self.client_in(self.personas.viewer_other_region).get(url)
        assert self.client_in(self.personas.viewer_other_region).get(url).status_code == 403


class WarningMapTests(PersonaTestCase):
    def test_the_situation_map_loads_the_layer_for_those_who_see_warnings(self) -> None:
        client = Client()
        client.force_login(self.personas.dispatcher_astana)
        client.cookies["django_language"] = "kk"
        page = client.get(reverse("situation:map")).content.decode()
        assert "weather/map-weather.js" in page
        assert 'id="layer-weather"' in page
        assert "weatherUrl" in page
        assert "weatherText" in page and '"until": "until"' not in page  # words in Kazakh
        client.force_login(self.personas.no_grants)
        page = client.get(reverse("situation:map")).content.decode()
        assert "weatherUrl" not in page
