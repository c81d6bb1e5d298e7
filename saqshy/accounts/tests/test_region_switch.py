"""The region switch in the header: lists open on the chosen region, within one's grants."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from saqshy.accounts.models import Agency, Grant, Role, User
from saqshy.accounts.regions import SESSION_KEY
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.tests.factories import GatheringFactory


class RegionSwitchTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        p = cls.personas = make_personas()
        cls.multi = User.objects.create_user(username="coordinator_two", password="pw")
        commission = Agency.objects.get(code="commission")
        role = Role.objects.get(slug="commission-analyst")
        for region in (p.astana, p.almaty):
            Grant.objects.create(user=cls.multi, agency=commission, role=role, region=region)
        GatheringFactory(
            venue=FacilityFactory(region=p.almaty), region=p.almaty, name="Almaty Tree"
        )
        GatheringFactory(
            venue=FacilityFactory(region=p.astana), region=p.astana, name="Astana Gala"
        )

    def switch(self, region: str, next_url: str = "/events/") -> Any:
        return self.client.post(reverse("accounts:region"), {"region": region, "next": next_url})

    def test_a_multi_region_user_switches_and_the_lists_follow(self) -> None:
        self.client.force_login(self.multi)
        page = self.client.get(reverse("gatherings:list"))
        self.assertContains(page, 'id="region-switch"')
        self.assertContains(page, "Almaty Tree")
        self.assertContains(page, "Astana Gala")
        response = self.switch("almaty", reverse("gatherings:list"))
        self.assertRedirects(response, reverse("gatherings:list"), fetch_redirect_response=False)
        page = self.client.get(reverse("gatherings:list"))
        self.assertContains(page, "Almaty Tree")
        self.assertNotContains(page, "Astana Gala")
        self.assertContains(page, '<option value="almaty" selected>', html=False)
        # The list's own filter still wins; "all" lifts the switch.
        page = self.client.get(reverse("gatherings:list"), {"region": "astana"})
        self.assertContains(page, "Astana Gala")
        self.assertNotContains(page, "Almaty Tree")
        self.switch("all")
        page = self.client.get(reverse("gatherings:list"))
        self.assertContains(page, "Astana Gala")
        self.assertContains(page, "Almaty Tree")

    def test_a_single_region_user_sees_no_switch(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        page = self.client.get(reverse("gatherings:list"))
        self.assertNotContains(page, 'id="region-switch"')
        self.assertNotContains(page, 'name="region" id="id_region"')

    def test_a_region_outside_ones_grants_is_refused(self) -> None:
        self.client.force_login(self.multi)
        self.switch("almaty")
        for slug in ("shymkent", "", "nowhere"):
            response = self.switch(slug)
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.session[SESSION_KEY], "almaty")
        self.client.force_login(self.personas.planner_almaty)
        self.assertEqual(self.switch("astana").status_code, 400)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_the_page_returned_to_drops_its_own_region_filter(self) -> None:
        self.client.force_login(self.multi)
        response = self.switch("almaty", "/events/?region=astana&status=draft&page=3")
        self.assertRedirects(response, "/events/?status=draft", fetch_redirect_response=False)

    def test_an_unsafe_next_is_ignored(self) -> None:
        self.client.force_login(self.multi)
        for unsafe in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
            response = self.switch("almaty", unsafe)
            self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_signing_in_is_required_and_get_is_refused(self) -> None:
        self.assertEqual(self.switch("almaty").status_code, 302)
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.client.force_login(self.multi)
        self.assertEqual(self.client.get(reverse("accounts:region")).status_code, 405)

    def test_the_map_opens_on_the_switched_region(self) -> None:
        self.client.force_login(self.multi)
        self.switch("almaty")
        page = self.client.get(reverse("situation:map"))
        start = page.context["map_config"]["start"]
        almaty = self.personas.almaty
        self.assertEqual((start["lat"], start["lon"]), (almaty.centre_lat, almaty.centre_lon))
