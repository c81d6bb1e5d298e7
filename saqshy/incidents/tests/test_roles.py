"""Who may end a call and take a unit off the road: roles as data (``accounts/roles.py``).

A dispatcher closes or cancels only the calls their own agency took; the duty officer any call
of the region. Taking a unit out of service needs ``incidents.withdraw_unit`` and a reason.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Grant, Role, User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.incidents.models import Incident, Unit
from saqshy.incidents.tests.factories import UnitFactory, agency, dispatcher, incident_type


class EndingCallsTests(PersonaTestCase):
    police: User
    rescue: User
    duty_officer: User
    field_officer: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        almaty = cls.personas.almaty
        cls.police = dispatcher("police_desk", "police-almaty", almaty)
        cls.rescue = dispatcher("rescue_desk", "des-almaty", almaty)
        cls.duty_officer = User.objects.create_user(username="duty_almaty")
        Grant.objects.create(
            user=cls.duty_officer,
            agency=agency("akimat-almaty", "akimat", almaty),
            role=Role.objects.get(slug="duty-officer"),
            region=almaty,
        )
        cls.field_officer = User.objects.create_user(username="field_almaty")
        Grant.objects.create(
            user=cls.field_officer,
            agency=agency("police-almaty", region=almaty),
            role=Role.objects.get(slug="field-officer"),
            region=almaty,
        )
        incident_type("crime")

    def setUp(self) -> None:
        self.login(self.police)
        lat, lon = CENTRES["almaty"]
        response = self.client.post(
            reverse("api:incident-list"), {"type": "crime", "lat": lat, "lon": lon}
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.incident = Incident.objects.get(pk=response.json()["id"])

    def _snapshot(self) -> tuple[dict[str, Any], int]:
        return Incident.objects.filter(
            pk=self.incident.pk
        ).values().get(), AuditEntry.objects.count()

    def test_another_agencys_dispatcher_can_neither_close_nor_cancel(self) -> None:
        self.login(self.rescue)
        before = self._snapshot()
        close = self.client.post(reverse("api:incident-close", args=[self.incident.pk]))
        self.assertEqual(close.status_code, 403)
        self.assertIn("agency that took this call", close.json()["detail"])
        cancel = self.client.post(
            reverse("api:incident-advance", args=[self.incident.pk]), {"status": "cancelled"}
        )
        self.assertEqual(cancel.status_code, 403)
        self.assertEqual(self._snapshot(), before)

    def test_the_page_offers_another_agency_no_close_or_cancel_button(self) -> None:
        self.client.force_login(self.rescue)
        page = self.client.get(reverse("incidents:detail", args=[self.incident.pk]))
        self.assertNotContains(page, 'data-step="closed"')
        self.assertNotContains(page, 'data-step="cancelled"')
        before = self._snapshot()
        self.client.post(
            reverse("incidents:action", args=[self.incident.pk, "advance"]),
            {"status": "cancelled"},
        )
        self.assertEqual(self._snapshot(), before)
        self.client.force_login(self.police)
        page = self.client.get(reverse("incidents:detail", args=[self.incident.pk]))
        self.assertContains(page, 'data-step="closed"')

    def test_the_taking_agency_and_the_duty_officer_may(self) -> None:
        response = self.client.post(
            reverse("api:incident-advance", args=[self.incident.pk]), {"status": "cancelled"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        lat, lon = CENTRES["almaty"]
        second = self.client.post(
            reverse("api:incident-list"), {"type": "crime", "lat": lat + 0.05, "lon": lon}
        ).json()["id"]
        self.login(self.duty_officer)
        response = self.client.post(reverse("api:incident-close", args=[second]))
        self.assertEqual(response.status_code, 200, response.content)

    def test_taking_a_unit_out_of_service_needs_the_role_and_a_reason(self) -> None:
        car = UnitFactory(region=self.personas.almaty, call_sign="P-7")
        url = reverse("api:unit-detail", args=[car.pk])
        before = Unit.objects.filter(pk=car.pk).values().get()
        self.login(self.field_officer)
        refused = self.client.patch(url, {"status": "out_of_service", "status_reason": "Tyre"})
        self.assertEqual(refused.status_code, 403)
        self.login(self.police)
        no_reason = self.client.patch(url, {"status": "out_of_service"})
        self.assertEqual(no_reason.status_code, 400)
        self.assertIn("status_reason", no_reason.json())
        self.assertEqual(Unit.objects.filter(pk=car.pk).values().get(), before)
        done = self.client.patch(url, {"status": "out_of_service", "status_reason": "Flat tyre"})
        self.assertEqual(done.status_code, 200, done.content)
        car.refresh_from_db()
        self.assertEqual((car.status, car.status_reason), ("out_of_service", "Flat tyre"))
        entry = AuditEntry.objects.filter(
            object_type="incidents.unit", object_id=str(car.pk)
        ).last()
        assert entry is not None
        self.assertEqual(entry.after["status_reason"], "Flat tyre")
        self.login(self.field_officer)
        back = self.client.patch(url, {"status": "available"})
        self.assertEqual(back.status_code, 200, back.content)
        car.refresh_from_db()
        self.assertEqual((car.status, car.status_reason), ("available", ""))

    def test_the_unit_board_offers_out_of_service_only_to_whom_may(self) -> None:
        UnitFactory(region=self.personas.almaty, call_sign="P-8")
        self.client.force_login(self.field_officer)
        board = self.client.get(reverse("units:board"))
        self.assertContains(board, "P-8")
        self.assertNotContains(board, 'data-set="out_of_service"')
        self.client.force_login(self.police)
        board = self.client.get(reverse("units:board"))
        self.assertContains(board, 'data-set="out_of_service"')
        self.assertContains(board, 'name="reason" required')
