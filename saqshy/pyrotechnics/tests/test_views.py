"""The pages obey the same scope as the API and save through the services."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.urls import reverse

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.pyrotechnics.models import Outlet, Raid, Seizure
from saqshy.pyrotechnics.tests.factories import (
    OutletFactory,
    RaidFactory,
    RaidVisitFactory,
    SeizureFactory,
    make_raider,
    today,
)


class PageTestCase(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.raider = make_raider(cls.personas)
        p = cls.personas
        cls.almaty_kiosk = OutletFactory(region=p.almaty, name="Almaty Kiosk")
        cls.expired = OutletFactory(
            region=p.almaty,
            name="Stale Depot",
            kind="storage",
            certificate_expires=today() - datetime.timedelta(days=2),
        )
        cls.astana_kiosk = OutletFactory(region=p.astana, name="Astana Kiosk")
        cls.almaty_raid = RaidFactory(region=p.almaty, team="Team Alatau")
        cls.astana_raid = RaidFactory(region=p.astana, team="Team Esil")
        cls.visit = RaidVisitFactory(raid=cls.almaty_raid, outlet=cls.almaty_kiosk)


class OverviewPageTests(PageTestCase):
    def test_login_required(self) -> None:
        response = self.client.get(reverse("pyrotechnics:overview"))
        self.assertRedirects(response, f"{reverse('login')}?next=/pyrotechnics/")

    def test_totals_per_region_in_scope(self) -> None:
        SeizureFactory(outlet=self.almaty_kiosk, lines=[{"product": "Salute", "units": 700}])
        SeizureFactory(outlet=self.astana_kiosk, lines=[{"product": "Salute", "units": 11}])
        self.client.force_login(self.personas.planner_almaty)
        response = self.client.get(reverse("pyrotechnics:overview"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual([row.region for row in response.context["rows"]], [self.personas.almaty])
        self.assertEqual(response.context["rows"][0].units_uncertified, 700)
        for name in ("outlet-list", "raid-list", "seizure-list"):
            self.assertContains(response, reverse(f"pyrotechnics:{name}"))

    def test_bad_dates_are_shown_not_crashed_on(self) -> None:
        self.client.force_login(self.personas.analyst_national)
        response = self.client.get(reverse("pyrotechnics:overview"), {"date_from": "soon"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("date_from", response.context["form"].errors)

    def test_no_access_without_grants(self) -> None:
        self.client.force_login(self.personas.no_grants)
        self.assertEqual(self.client.get(reverse("pyrotechnics:overview")).status_code, 403)


class OutletPageTests(PageTestCase):
    def test_list_shows_only_granted_region_and_flags_expired(self) -> None:
        self.client.force_login(self.raider)
        response = self.client.get(reverse("pyrotechnics:outlet-list"))
        self.assertContains(response, "Almaty Kiosk")
        self.assertNotContains(response, "Astana Kiosk")
        self.assertContains(response, 'class="flag-bad"', count=1)
        self.assertContains(response, "Certificate expired")
        response = self.client.get(reverse("pyrotechnics:outlet-list"), {"expired": "true"})
        self.assertContains(response, "Stale Depot")
        self.assertNotContains(response, "Almaty Kiosk")

    def test_detail_flags_expired(self) -> None:
        self.client.force_login(self.raider)
        response = self.client.get(reverse("pyrotechnics:outlet-detail", args=[self.expired.pk]))
        self.assertContains(response, 'class="flag-bad"')
        response = self.client.get(
            reverse("pyrotechnics:outlet-detail", args=[self.almaty_kiosk.pk])
        )
        self.assertNotContains(response, 'class="flag-bad"')

    def test_other_region_pages_are_404(self) -> None:
        self.client.force_login(self.raider)
        pk = self.astana_kiosk.pk
        for name in ("outlet-detail", "outlet-edit"):
            self.assertEqual(
                self.client.get(reverse(f"pyrotechnics:{name}", args=[pk])).status_code, 404
            )

    def test_reader_cannot_open_the_forms(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        url = reverse("pyrotechnics:outlet-edit", args=[self.astana_kiosk.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.get(reverse("pyrotechnics:outlet-create")).status_code, 403)

    def test_create_and_edit_through_the_services(self) -> None:
        self.client.force_login(self.raider)
        lat, lon = CENTRES["almaty"]
        data = {
            "kind": "retail",
            "name": "New Year Market Stall",
            "lat": lat,
            "lon": lon,
            "certificate_number": "KZ-9",
            "certificate_expires": str(today() + datetime.timedelta(days=10)),
            "active": "on",
        }
        response = self.client.post(reverse("pyrotechnics:outlet-create"), data)
        outlet = Outlet.objects.get(name="New Year Market Stall")
        self.assertRedirects(response, reverse("pyrotechnics:outlet-detail", args=[outlet.pk]))
        self.assertEqual(outlet.region, self.personas.almaty)
        data["certificate_number"] = "KZ-10"
        url = reverse("pyrotechnics:outlet-edit", args=[outlet.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url, data)
        entry = AuditEntry.objects.get(object_id=str(outlet.pk), action="update")
        self.assertEqual(entry.after, {"certificate_number": "KZ-10"})
        self.assertEqual(entry.actor_id, self.raider.pk)

    def test_create_elsewhere_shows_the_refusal(self) -> None:
        self.client.force_login(self.raider)
        lat, lon = CENTRES["astana"]
        count = Outlet.objects.count()
        response = self.client.post(
            reverse("pyrotechnics:outlet-create"),
            {"kind": "retail", "name": "X", "lat": lat, "lon": lon},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You may not add a pyrotechnics outlet in this region.")
        self.assertEqual(Outlet.objects.count(), count)


class RaidPageTests(PageTestCase):
    def test_list_and_detail(self) -> None:
        self.client.force_login(self.raider)
        response = self.client.get(reverse("pyrotechnics:raid-list"))
        self.assertContains(response, "Team Alatau")
        self.assertNotContains(response, "Team Esil")
        url = reverse("pyrotechnics:raid-detail", args=[self.almaty_raid.pk])
        response = self.client.get(url)
        self.assertContains(response, "Almaty Kiosk")
        self.assertContains(
            response,
            reverse("pyrotechnics:visit-result", args=[self.almaty_raid.pk, self.visit.pk]),
        )
        other = reverse("pyrotechnics:raid-detail", args=[self.astana_raid.pk])
        self.assertEqual(self.client.get(other).status_code, 404)

    def test_record_a_result(self) -> None:
        self.client.force_login(self.raider)
        url = reverse("pyrotechnics:visit-result", args=[self.almaty_raid.pk, self.visit.pk])
        response = self.client.post(url, {"result": "closed", "note": "Sealed"})
        self.assertRedirects(
            response, reverse("pyrotechnics:raid-detail", args=[self.almaty_raid.pk])
        )
        self.visit.refresh_from_db()
        self.assertEqual((self.visit.result, self.visit.note), ("closed", "Sealed"))

    def test_reader_cannot_record_a_result(self) -> None:
        visit = RaidVisitFactory(raid=self.astana_raid, outlet=self.astana_kiosk)
        self.client.force_login(self.personas.dispatcher_astana)
        detail = reverse("pyrotechnics:raid-detail", args=[self.astana_raid.pk])
        response = self.client.get(detail)
        self.assertNotContains(response, 'name="result"')
        url = reverse("pyrotechnics:visit-result", args=[self.astana_raid.pk, visit.pk])
        response = self.client.post(url, {"result": "closed"}, follow=True)
        self.assertContains(response, "You may not change a raid visit in this region.")
        visit.refresh_from_db()
        self.assertEqual(visit.result, "pending")

    def test_plan_a_raid_with_a_route(self) -> None:
        self.client.force_login(self.raider)
        form = self.client.get(reverse("pyrotechnics:raid-create"))
        self.assertContains(form, "Almaty Kiosk")
        self.assertNotContains(form, "Astana Kiosk")
        response = self.client.post(
            reverse("pyrotechnics:raid-create"),
            {
                "planned_on": str(today()),
                "region": self.personas.almaty.pk,
                "team": "Team Medeu",
                "status": "planned",
                "outlets": [self.almaty_kiosk.pk, self.expired.pk],
            },
        )
        raid = Raid.objects.get(team="Team Medeu")
        self.assertRedirects(response, reverse("pyrotechnics:raid-detail", args=[raid.pk]))
        self.assertEqual(raid.visits.count(), 2)

    def test_change_status(self) -> None:
        self.client.force_login(self.raider)
        url = reverse("pyrotechnics:raid-status", args=[self.almaty_raid.pk])
        self.client.post(url, {"status": "done"})
        self.almaty_raid.refresh_from_db()
        self.assertEqual(self.almaty_raid.status, "done")


class SeizurePageTests(PageTestCase):
    def test_record_with_lines(self) -> None:
        self.client.force_login(self.raider)
        url = reverse("pyrotechnics:seizure-create")
        form = self.client.get(url, {"outlet": self.almaty_kiosk.pk, "raid": self.almaty_raid.pk})
        self.assertEqual(form.status_code, 200)
        self.assertEqual(form.context["form"].initial["outlet"], str(self.almaty_kiosk.pk))
        data = {
            "outlet": self.almaty_kiosk.pk,
            "raid": self.almaty_raid.pk,
            "seized_on": str(today()),
            "notes": "",
            "lines-TOTAL_FORMS": 4,
            "lines-INITIAL_FORMS": 0,
            "lines-0-product": "Battery 25 shots",
            "lines-0-units": 40,
            "lines-0-boxes": 2,
            "lines-1-product": "Sparklers",
            "lines-1-certified": "on",
            "lines-1-units": 10,
            "lines-1-boxes": 0,
            **{f"lines-{i}-{k}": v for i in (2, 3) for k, v in (("units", 0), ("boxes", 0))},
        }
        response = self.client.post(url, data)
        seizure = Seizure.objects.get(outlet=self.almaty_kiosk)
        self.assertRedirects(response, reverse("pyrotechnics:seizure-detail", args=[seizure.pk]))
        self.assertEqual(seizure.line_totals()["units_uncertified"], 40)
        self.assertEqual(seizure.lines.count(), 2)
        listing = self.client.get(reverse("pyrotechnics:seizure-list"))
        self.assertContains(listing, "40 / 2")

    def test_no_lines_shows_an_error_and_saves_nothing(self) -> None:
        self.client.force_login(self.raider)
        data = {
            "outlet": self.almaty_kiosk.pk,
            "seized_on": str(today()),
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 0,
            "lines-0-units": 0,
            "lines-0-boxes": 0,
        }
        response = self.client.post(reverse("pyrotechnics:seizure-create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Add at least one line")
        self.assertFalse(Seizure.objects.exists())

    def test_list_and_detail_scope(self) -> None:
        mine = SeizureFactory(outlet=self.almaty_kiosk, notes="mine")
        theirs = SeizureFactory(outlet=self.astana_kiosk)
        self.client.force_login(self.raider)
        response = self.client.get(reverse("pyrotechnics:seizure-list"))
        self.assertContains(response, reverse("pyrotechnics:seizure-detail", args=[mine.pk]))
        self.assertNotContains(response, reverse("pyrotechnics:seizure-detail", args=[theirs.pk]))
        url = reverse("pyrotechnics:seizure-detail", args=[theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_reader_cannot_record(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        response = self.client.get(reverse("pyrotechnics:seizure-create"))
        self.assertEqual(response.status_code, 403)


class AdminTests(PageTestCase):
    def test_pages_render_and_outlet_saves_go_through_the_service(self) -> None:
        self.client.force_login(self.personas.admin)
        for model in ("outlet", "raid", "seizure"):
            for page in ("changelist", "add"):
                url = reverse(f"admin:pyrotechnics_{model}_{page}")
                self.assertEqual(self.client.get(url).status_code, 200, url)
        lat, lon = CENTRES["astana"]
        response = self.client.post(
            reverse("admin:pyrotechnics_outlet_add"),
            {"kind": "storage", "name": "Admin Depot", "lat": lat, "lon": lon, "active": "on"},
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        outlet = Outlet.objects.get(name="Admin Depot")
        self.assertEqual(outlet.region, self.personas.astana)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(outlet.pk), action="create"))

    def test_api_root_lists_the_endpoints(self) -> None:
        self.client.force_login(self.personas.analyst_national)
        response = self.client.get("/api/", HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 200)
        self.assertIn("pyrotechnics/outlets", response.json())
