"""The dispatcher's desk (issue 10): the taking agency as a field, the agency-first queue on the
map, the incident card and the incident page sharing the ranked recommendations, the unit board
with units at work first, and the call-acknowledgement norm."""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from saqshy.accounts.models import Grant, Role, User
from saqshy.accounts.queries import norm
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Incident, Unit
from saqshy.incidents.tests.factories import (
    IncidentFactory,
    UnitFactory,
    agency,
    dispatcher,
    incident_type,
)


class DeskTests(TestCase):
    personas: Personas
    police: User
    fire: User
    duty: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        p = cls.personas
        cls.police = dispatcher("disp_police", "police-almaty", p.almaty)
        cls.fire = dispatcher("disp_fire", "des-almaty", p.almaty)
        cls.duty = User.objects.create_user(username="duty_almaty", password="pw-duty_almaty")
        Grant.objects.create(
            user=cls.duty,
            agency=agency("des-almaty"),
            role=Role.objects.get(slug="duty-officer"),
            region=p.almaty,
        )
        cls.lat, cls.lon = CENTRES["almaty"]

    def _report(self, user: User, code: str, dlat: float = 0.0) -> Incident:
        return services.report_incident(
            acting_user=user, type=incident_type(code), lat=self.lat + dlat, lon=self.lon
        )

    def test_intake_records_the_taking_agency_and_the_api_filters_by_it(self) -> None:
        theirs = self._report(self.fire, "fire")
        ours = self._report(self.police, "crime", 0.01)
        self.assertEqual(theirs.agency, agency("des-almaty"))
        self.assertEqual(ours.agency, agency("police-almaty"))
        api = APIClient()
        api.force_authenticate(self.police)
        body = api.get("/api/incidents/", {"agency": "des-almaty"}).json()
        self.assertEqual([r["id"] for r in body["results"]], [theirs.pk])
        self.assertEqual(body["results"][0]["agency"], "des-almaty")
        mine = api.get("/api/incidents/", {"mine": "true"}).json()
        self.assertEqual([r["id"] for r in mine["results"]], [ours.pk])
        # The incident page shows it.
        self.client.force_login(self.police)
        page = self.client.get(reverse("incidents:detail", args=[ours.pk]))
        self.assertContains(page, 'id="incident-agency">police-almaty<')

    def test_the_migration_fills_the_agency_from_the_recorder(self) -> None:
        incident = self._report(self.fire, "fire")
        system = IncidentFactory(region=self.personas.almaty)
        Incident.objects.update(agency=None)
        migration = importlib.import_module("saqshy.incidents.migrations.0006_incident_agency")
        migration.fill_agency(django_apps, None)
        incident.refresh_from_db()
        system.refresh_from_db()
        self.assertEqual(incident.agency, agency("des-almaty"))
        self.assertIsNone(system.agency)

    def test_the_queue_shows_my_agency_and_can_widen(self) -> None:
        theirs = self._report(self.fire, "fire")
        ours = self._report(self.police, "crime", 0.01)
        system = IncidentFactory(region=self.personas.almaty, type=incident_type("medical"))
        self.client.force_login(self.police)
        mine = self.client.get(reverse("incidents:desk-queue")).content.decode()
        self.assertIn('data-scope="mine"', mine)
        self.assertIn(f'data-incident-id="{ours.pk}"', mine)
        self.assertIn(f'data-incident-id="{system.pk}"', mine)  # the region's own: everyone's
        self.assertNotIn(f'data-incident-id="{theirs.pk}"', mine)
        self.assertIn('data-hidden="1"', mine)
        every = self.client.get(reverse("incidents:desk-queue"), {"scope": "all"}).content
        text = every.decode()
        self.assertIn(f'data-incident-id="{theirs.pk}"', text)
        # Own calls before the other agency's, though the fire is more urgent.
        self.assertLess(
            text.index(f'data-incident-id="{ours.pk}"'),
            text.index(f'data-incident-id="{theirs.pk}"'),
        )
        # The duty officer (every agency) sees every call by default.
        self.client.force_login(self.duty)
        duty = self.client.get(reverse("incidents:desk-queue")).content.decode()
        self.assertIn('data-scope="all"', duty)
        self.assertIn(f'data-incident-id="{theirs.pk}"', duty)

    def test_the_incident_list_filters_my_agency_and_shows_the_agency(self) -> None:
        theirs = self._report(self.fire, "fire")
        ours = self._report(self.police, "crime", 0.01)
        self.client.force_login(self.police)
        every = self.client.get(reverse("incidents:list"))
        self.assertContains(every, f'data-incident="{theirs.pk}"')
        self.assertContains(every, 'data-agency="des-almaty"')
        mine = self.client.get(reverse("incidents:list"), {"agency": "mine"})
        self.assertContains(mine, f'data-incident="{ours.pk}"')
        self.assertNotContains(mine, f'data-incident="{theirs.pk}"')

    def test_user_text_in_the_queue_and_card_is_escaped(self) -> None:
        incident = services.report_incident(
            acting_user=self.police,
            type=incident_type("crime"),
            lat=self.lat,
            lon=self.lon,
            address="<img src=x onerror=alert(1)>",
            description="<script>alert(2)</script>",
        )
        self.client.force_login(self.police)
        for url in (
            reverse("incidents:desk-queue"),
            reverse("incidents:desk-card", args=[incident.pk]),
        ):
            body = self.client.get(url).content.decode()
            self.assertNotIn("<img src=x", body)
            self.assertNotIn("<script>alert", body)
            self.assertIn("&lt;img src=x", body)

    def test_the_card_and_the_page_offer_the_same_recommendations(self) -> None:
        incident = self._report(self.police, "crime")
        car = UnitFactory(region=self.personas.almaty, call_sign="P-1")
        self.client.force_login(self.police)
        card = self.client.get(reverse("incidents:desk-card", args=[incident.pk]))
        # The card asks for its ranking separately (it may take a moment the first time).
        recs_url = reverse("incidents:desk-recommendations", args=[incident.pk])
        self.assertContains(card, f'data-src="{recs_url}"')
        recs = self.client.get(recs_url)
        page = self.client.get(reverse("incidents:detail", args=[incident.pk]))
        for response in (recs, page):
            self.assertContains(response, 'id="recommendations"')
            self.assertContains(response, f'data-unit-id="{car.pk}"')
            self.assertContains(response, f'name="units" value="{car.pk}"')
        # The card's buttons follow the state machine; another region's incident is a 404.
        self.assertContains(card, 'data-advance="cancelled"')
        self.assertNotContains(card, 'data-advance="dispatched"')
        other = IncidentFactory(region=self.personas.astana)
        missing = self.client.get(reverse("incidents:desk-card", args=[other.pk]))
        self.assertEqual(missing.status_code, 404)

    def test_the_unit_board_lists_units_at_work_before_available_ones(self) -> None:
        incident = self._report(self.police, "crime")
        UnitFactory(region=self.personas.almaty, call_sign="P-FREE")
        busy: Unit = UnitFactory(region=self.personas.almaty, call_sign="P-BUSY")
        services.dispatch(acting_user=self.police, incident=incident, units=[busy])
        self.client.force_login(self.police)
        body = self.client.get(reverse("units:board")).content.decode()
        at_work = body.index('data-column="dispatched"')
        self.assertLess(at_work, body.index('data-column="available"'))
        # Taking a unit out of service asks for a reason (a required field).
        self.assertIn('name="reason" required', body)

    def test_the_call_acknowledgement_norm_is_data_on_the_map(self) -> None:
        self.assertEqual(norm("call_acknowledgement_seconds"), 30.0)
        self.client.force_login(self.police)
        response = self.client.get(reverse("situation:map"))
        self.assertContains(response, '"ackSeconds": 30.0')
