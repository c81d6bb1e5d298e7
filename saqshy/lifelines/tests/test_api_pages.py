"""Pages and API are scoped by region; only the energy agency restores an outage."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.ingest.services import system_user
from saqshy.lifelines.choices import OutageStatus
from saqshy.lifelines.models import Outage
from saqshy.lifelines.monitor import check_readings
from saqshy.lifelines.tests.factories import (
    energy_agency,
    energy_planner,
    make_site,
    reading,
    start,
)


class LifelinesAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.site = make_site(cls.personas.astana)
        t0 = start()
        for minutes in range(0, 20, 5):
            at = t0 + dt.timedelta(minutes=minutes)
            check_readings(
                [reading(cls.site.gateway, "pressure", 1.0, at)], acting_user=system_user()
            )
        cls.outage = Outage.objects.get()
        cls.energy = energy_planner(cls.personas.astana)

    def test_everyone_with_a_grant_in_the_region_views_the_register(self) -> None:
        self.login(self.personas.dispatcher_astana)
        listed = self.client.get("/api/lifelines/outages/")
        assert listed.status_code == 200
        assert [row["id"] for row in listed.json()["results"]] == [self.outage.pk]
        assert self.client.get(f"/api/lifelines/sites/{self.site.pk}/").status_code == 200
        readings = self.client.get(f"/api/lifelines/sites/{self.site.pk}/readings/")
        assert readings.status_code == 200 and len(readings.json()) == 4
        alerts = self.client.get("/api/lifelines/alerts/")
        assert alerts.json()["results"][0]["parameter"] == "pressure"

    def test_another_region_sees_nothing(self) -> None:
        self.login(self.personas.viewer_other_region)
        assert self.client.get("/api/lifelines/outages/").json()["results"] == []
        assert self.client.get(f"/api/lifelines/outages/{self.outage.pk}/").status_code == 404
        assert self.client.get(f"/api/lifelines/sites/{self.site.pk}/").status_code == 404
        self.client.force_login(self.personas.viewer_other_region)
        page = self.client.get(reverse("lifelines:outage-detail", args=[self.outage.pk]))
        assert page.status_code == 404

    def test_police_may_not_restore_the_energy_agency_may(self) -> None:
        url = f"/api/lifelines/outages/{self.outage.pk}/restore/"
        self.login(self.personas.dispatcher_astana)
        assert self.client.post(url, {}, format="json").status_code == 403
        self.login(self.personas.planner_astana)
        assert (
            self.client.patch(
                f"/api/lifelines/outages/{self.outage.pk}/", {"cause": "x"}, format="json"
            ).status_code
            == 403
        )
        self.login(self.energy)
        patched = self.client.patch(
            f"/api/lifelines/outages/{self.outage.pk}/",
            {"cause": "Pump failure", "estimated_restoration": "2030-01-01T06:00:00+05:00"},
            format="json",
        )
        assert patched.status_code == 200, patched.content
        restored = self.client.post(url, {}, format="json")
        assert restored.status_code == 200, restored.content
        assert restored.json()["status"] == OutageStatus.RESTORED
        self.outage.refresh_from_db()
        assert self.outage.cause == "Pump failure"
        assert self.outage.incident.status == "closed"

    def test_the_map_shows_the_outage_area(self) -> None:
        self.login(self.personas.dispatcher_astana)
        body = self.client.get("/api/lifelines/sites/map/").json()
        [feature] = body["features"]
        assert feature["properties"]["state"] == "outage"
        assert feature["properties"]["area"]["type"] == "Polygon"
        assert feature["properties"]["outage_people"] == 1200

    def test_pages_render_for_a_viewer_and_offer_restoring_to_the_energy_agency(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        for name, args in (
            ("lifelines:outages", []),
            ("lifelines:sites", []),
            ("lifelines:site-detail", [self.site.pk]),
            ("lifelines:outage-detail", [self.outage.pk]),
        ):
            response = self.client.get(reverse(name, args=args))
            assert response.status_code == 200, name
        detail = reverse("lifelines:outage-detail", args=[self.outage.pk])
        restore = reverse("lifelines:outage-restore", args=[self.outage.pk])
        assert restore not in self.client.get(detail).content.decode()
        assert self.client.post(restore).status_code == 403
        self.client.force_login(self.energy)
        assert restore in self.client.get(detail).content.decode()
        assert self.client.post(restore).status_code == 302
        self.outage.refresh_from_db()
        assert self.outage.status == OutageStatus.RESTORED

    def test_a_user_who_sees_no_site_gets_no_layer(self) -> None:
        from saqshy.accounts.models import Grant, Role, User

        social = User.objects.create_user(username="social_astana", password="pw")
        Grant.objects.create(
            user=social,
            agency=energy_agency(self.personas.astana),
            role=Role.objects.get(slug="social-services"),
            region=self.personas.astana,
        )
        self.client.force_login(social)
        page = self.client.get(reverse("situation:map")).content.decode()
        assert "lifelinesUrl" not in page
        assert 'id="layer-lifelines"' not in page

    def test_the_situation_map_loads_the_layer_with_its_legend_and_words(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        page = self.client.get(reverse("situation:map")).content.decode()
        assert "lifelines/map-lifelines.js" in page
        assert 'id="layer-lifelines"' in page
        assert "lifelinesUrl" in page
