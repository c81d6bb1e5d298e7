"""The pyrotechnics API: the shared access tests, plus each endpoint's own rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.accounts.models import Region
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.pyrotechnics.models import Outlet, Raid, Seizure, SeizureLine
from saqshy.pyrotechnics.tests.factories import (
    OutletFactory,
    RaidFactory,
    RaidVisitFactory,
    SeizureFactory,
    make_raider,
    today,
)


class RaiderMixin:
    """Adds ``raider_almaty`` (writes pyrotechnics records in Almaty only) to the personas."""

    writer = "raider_almaty"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        make_raider(cls.personas)


class OutletAPITests(RaiderMixin, RegionScopedAPITests):
    basename = "outlet"
    model = Outlet

    def make_object(self, region: Region) -> Outlet:
        return OutletFactory(region=region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "kind": "storage",
            "name": "Warehouse 4",
            "operator": "TOO Fejerverk",
            "lat": lat + 0.002,
            "lon": lon + 0.002,
            "certificate_number": "KZ.0001",
            "certificate_expires": str(today() + datetime.timedelta(days=30)),
        }

    def update_payload(self) -> dict[str, Any]:
        return {"certificate_number": "KZ.0002", "active": False}

    def test_region_is_derived_from_the_location(self) -> None:
        self.login(self.p.raider_almaty)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["region"], "almaty")
        self.assertFalse(response.json()["certificate_expired"])

    def test_without_a_location_the_linked_facility_gives_it(self) -> None:
        mall = FacilityFactory(region=self.p.almaty, kind="mall", lat=43.2, lon=76.9)
        self.login(self.p.raider_almaty)
        response = self.client.post(
            self.list_url(), {"kind": "retail", "name": "Kiosk in Mega", "facility": mall.pk}
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["lat"], body["lon"], body["region"]), (43.2, 76.9, "almaty"))

    def test_neither_location_nor_facility_names_the_field(self) -> None:
        self.login(self.p.raider_almaty)
        response = self.client.post(self.list_url(), {"kind": "retail", "name": "Nowhere"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("lat", response.json())

    def test_a_facility_out_of_sight_is_not_accepted(self) -> None:
        elsewhere = FacilityFactory(region=self.p.astana)
        self.login(self.p.raider_almaty)
        payload = {**self.create_payload(self.p.almaty), "facility": elsewhere.pk}
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("facility", response.json())

    def test_expired_certificate_is_flagged_and_filterable(self) -> None:
        expired = OutletFactory(
            region=self.p.almaty, certificate_expires=today() - datetime.timedelta(days=1)
        )
        missing = OutletFactory(region=self.p.almaty, certificate_expires=None)
        last_day = OutletFactory(region=self.p.almaty, certificate_expires=today())
        self.login(self.p.raider_almaty)
        body = self.client.get(self.list_url(), {"page_size": 100}).json()
        flags = {item["id"]: item["certificate_expired"] for item in body["results"]}
        self.assertTrue(flags[expired.pk])
        self.assertTrue(flags[missing.pk])
        self.assertFalse(flags[last_day.pk])
        self.assertFalse(flags[self.in_almaty.pk])
        listed = self._ids(self.client.get(self.list_url(), {"expired": "true"}))
        self.assertEqual(listed, {expired.pk, missing.pk})
        listed = self._ids(self.client.get(self.list_url(), {"expired": "false"}))
        self.assertEqual(listed, {last_day.pk, self.in_almaty.pk})

    def test_filters_and_geojson(self) -> None:
        storage = OutletFactory(region=self.p.almaty, kind="storage", name="Depot Alatau")
        self.login(self.p.analyst_national)
        self.assertEqual(
            self._ids(self.client.get(self.list_url(), {"kind": "storage"})), {storage.pk}
        )
        self.assertEqual(self._ids(self.client.get(self.list_url(), {"q": "alatau"})), {storage.pk})
        ids = self._ids(self.client.get(self.list_url(), {"region": "astana"}))
        self.assertEqual(ids, {self.in_astana.pk})
        response = self.client.get(self.list_url(), {"format": "geojson", "kind": "storage"})
        body = response.json()
        self.assertEqual(body["type"], "FeatureCollection")
        lat, lon = CENTRES["almaty"]
        self.assertEqual(body["features"][0]["geometry"]["coordinates"], [lon, lat])
        self.assertIn("certificate_expired", body["features"][0]["properties"])

    def test_outlet_with_a_visit_cannot_be_deleted(self) -> None:
        raid = RaidFactory(region=self.p.almaty)
        RaidVisitFactory(raid=raid, outlet=self.in_almaty)
        self.login(self.p.raider_almaty)
        response = self.client.delete(self.detail_url(self.in_almaty))
        self.assertEqual(response.status_code, 400)
        self.assertTrue(Outlet.objects.filter(pk=self.in_almaty.pk).exists())


class RaidAPITests(RaiderMixin, RegionScopedAPITests):
    basename = "raid"
    model = Raid

    def make_object(self, region: Region) -> Raid:
        return RaidFactory(region=region)

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {"planned_on": str(today()), "region": region.slug, "team": "Group 3"}

    def update_payload(self) -> dict[str, Any]:
        return {"team": "Group 7", "status": "in_progress"}

    def test_create_with_route_writes_one_audit_entry_per_row(self) -> None:
        first, second = OutletFactory(region=self.p.almaty), OutletFactory(region=self.p.almaty)
        self.login(self.p.raider_almaty)
        payload = {
            **self.create_payload(self.p.almaty),
            "agency": "police-almaty",
            "outlets": [first.pk, second.pk],
        }
        audits = AuditEntry.objects.count()
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual({v["outlet"] for v in body["visits"]}, {first.pk, second.pk})
        self.assertEqual({v["result"] for v in body["visits"]}, {"pending"})
        self.assertEqual(AuditEntry.objects.count(), audits + 3)
        types = set(AuditEntry.objects.order_by("-id")[:3].values_list("object_type", flat=True))
        self.assertEqual(types, {"pyrotechnics.raid", "pyrotechnics.raidvisit"})

    def test_outlet_in_another_region_names_the_field_and_saves_nothing(self) -> None:
        in_astana = OutletFactory(region=self.p.astana)
        self.login(self.p.admin)
        count, audits = Raid.objects.count(), AuditEntry.objects.count()
        payload = {**self.create_payload(self.p.almaty), "outlets": [in_astana.pk]}
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("outlets", response.json())
        self.assertEqual((Raid.objects.count(), AuditEntry.objects.count()), (count, audits))

    def test_an_outlet_out_of_sight_is_not_accepted(self) -> None:
        in_astana = OutletFactory(region=self.p.astana)
        self.login(self.p.raider_almaty)
        payload = {**self.create_payload(self.p.almaty), "outlets": [in_astana.pk]}
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("outlets", response.json())

    def test_record_result(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        visit = RaidVisitFactory(raid=self.in_almaty, outlet=outlet)
        url = reverse("api:raid-record-result", args=[self.in_almaty.pk])
        self.login(self.p.raider_almaty)
        response = self.client.post(
            url, {"outlet": outlet.pk, "result": "violation", "note": "No certificate shown"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        visit.refresh_from_db()
        self.assertEqual((visit.result, visit.note), ("violation", "No certificate shown"))
        entry = AuditEntry.objects.get(object_type="pyrotechnics.raidvisit", action="update")
        self.assertEqual(entry.after, {"note": "No certificate shown", "result": "violation"})
        other = OutletFactory(region=self.p.almaty)
        response = self.client.post(url, {"outlet": other.pk, "result": "compliant"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("outlet", response.json())
        response = self.client.post(url, {"outlet": outlet.pk, "result": "nonsense"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("result", response.json())

    def test_record_result_needs_the_right_to_change_visits(self) -> None:
        outlet = OutletFactory(region=self.p.astana)
        visit = RaidVisitFactory(raid=self.in_astana, outlet=outlet)
        url = reverse("api:raid-record-result", args=[self.in_astana.pk])
        self.login(self.p.dispatcher_astana)
        response = self.client.post(url, {"outlet": outlet.pk, "result": "closed"})
        self.assertEqual(response.status_code, 403)
        self.login(self.p.raider_almaty)
        response = self.client.post(url, {"outlet": outlet.pk, "result": "closed"})
        self.assertEqual(response.status_code, 404)
        visit.refresh_from_db()
        self.assertEqual(visit.result, "pending")

    def test_filters(self) -> None:
        done = RaidFactory(
            region=self.p.almaty, status="done", planned_on=today() - datetime.timedelta(days=3)
        )
        self.login(self.p.analyst_national)
        self.assertEqual(self._ids(self.client.get(self.list_url(), {"status": "done"})), {done.pk})
        since = str(today() - datetime.timedelta(days=1))
        ids = self._ids(self.client.get(self.list_url(), {"date_from": since, "region": "almaty"}))
        self.assertEqual(ids, {self.in_almaty.pk})
        ids = self._ids(self.client.get(self.list_url(), {"date_to": str(done.planned_on)}))
        self.assertEqual(ids, {done.pk})
        response = self.client.get(self.list_url(), {"date_from": "31.13.2026"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("date_from", response.json())

    def test_list_with_routes_has_no_n_plus_one(self) -> None:
        self.login(self.p.analyst_national)
        for raid in (self.in_almaty, self.in_astana):
            RaidVisitFactory(raid=raid, outlet=OutletFactory(region=raid.region))
        self.client.get(self.list_url())
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.list_url())
        for _ in range(4):
            raid = RaidFactory(region=self.p.almaty)
            for _ in range(3):
                RaidVisitFactory(raid=raid, outlet=OutletFactory(region=self.p.almaty))
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.list_url())
        self.assertEqual(len(many), len(few))


class SeizureAPITests(RaiderMixin, RegionScopedAPITests):
    basename = "seizure"
    model = Seizure

    LINES = [
        {"product": "Battery 49 shots", "certified": False, "units": 120, "boxes": 6},
        {"product": "Sparklers", "certified": True, "units": 40, "boxes": 0},
    ]

    def make_object(self, region: Region) -> Seizure:
        lines = [dict(line) for line in self.LINES]
        return SeizureFactory(outlet=OutletFactory(region=region), lines=lines)

    def create_payload(self, region: Region) -> dict[str, Any]:
        return {
            "outlet": OutletFactory(region=region).pk,
            "seized_on": str(today()),
            "notes": "Sold from a car boot",
            "lines": self.LINES,
        }

    def update_payload(self) -> dict[str, Any]:
        return {"notes": "Handed to the evidence store", "seized_on": "2026-12-29"}

    def test_nested_create_audits_every_row(self) -> None:
        self.login(self.p.raider_almaty)
        audits = AuditEntry.objects.count()
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["region"], "almaty")
        self.assertEqual(len(body["lines"]), 2)
        self.assertEqual(
            body["totals"],
            {
                "units_certified": 40,
                "units_uncertified": 120,
                "boxes_certified": 0,
                "boxes_uncertified": 6,
            },
        )
        new = AuditEntry.objects.filter(pk__gt=0).order_by("-id")[:3]
        self.assertEqual(AuditEntry.objects.count(), audits + 3)
        self.assertEqual(
            sorted(e.object_type for e in new),
            ["pyrotechnics.seizure", "pyrotechnics.seizureline", "pyrotechnics.seizureline"],
        )

    def test_one_bad_line_saves_nothing(self) -> None:
        self.login(self.p.raider_almaty)
        counts = (Seizure.objects.count(), SeizureLine.objects.count(), AuditEntry.objects.count())
        payload = self.create_payload(self.p.almaty)
        payload["lines"] = [
            self.LINES[0],
            {"product": "Rockets", "units": -5, "boxes": 1},
            {"product": "", "units": 1},
        ]
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        errors = response.json()["lines"]  # by line index, only the lines in error
        self.assertEqual(set(errors), {"1", "2"})
        self.assertIn("units", errors["1"])
        self.assertIn("product", errors["2"])
        after = (Seizure.objects.count(), SeizureLine.objects.count(), AuditEntry.objects.count())
        self.assertEqual(after, counts)

    def test_a_line_with_nothing_seized_is_refused_by_the_service(self) -> None:
        self.login(self.p.raider_almaty)
        count = Seizure.objects.count()
        payload = self.create_payload(self.p.almaty)
        payload["lines"] = [self.LINES[0], {"product": "Empty box", "units": 0, "boxes": 0}]
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Line 2", response.json()["lines"][0])
        self.assertEqual(Seizure.objects.count(), count)

    def test_lines_are_required(self) -> None:
        self.login(self.p.raider_almaty)
        payload = self.create_payload(self.p.almaty)
        without_lines = {k: v for k, v in payload.items() if k != "lines"}
        for body in ({**payload, "lines": []}, without_lines):
            response = self.client.post(self.list_url(), body)
            self.assertEqual(response.status_code, 400)
            self.assertIn("lines", response.json())

    def test_raid_in_another_region_names_the_field(self) -> None:
        self.login(self.p.admin)
        payload = {
            **self.create_payload(self.p.almaty),
            "raid": RaidFactory(region=self.p.astana).pk,
        }
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("raid", response.json())

    def test_replacing_lines_audits_deletions_and_creations(self) -> None:
        self.login(self.p.raider_almaty)
        old_lines = list(self.in_almaty.lines.values_list("pk", flat=True))
        response = self.client.patch(
            self.detail_url(self.in_almaty),
            {"lines": [{"product": "Roman candles", "units": 7, "boxes": 1}]},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual([line["product"] for line in response.json()["lines"]], ["Roman candles"])
        deleted = AuditEntry.objects.filter(object_type="pyrotechnics.seizureline", action="delete")
        self.assertEqual(sorted(int(e.object_id) for e in deleted), sorted(old_lines))
        self.assertEqual(
            AuditEntry.objects.filter(
                object_type="pyrotechnics.seizureline", action="create"
            ).count(),
            1,
        )

    def test_filters(self) -> None:
        raid = RaidFactory(region=self.p.almaty)
        during = SeizureFactory(
            outlet=OutletFactory(region=self.p.almaty),
            raid=raid,
            seized_on=today() - datetime.timedelta(days=5),
            lines=[{"product": "Fountain XL", "units": 3}],
        )
        self.login(self.p.analyst_national)
        self.assertEqual(
            self._ids(self.client.get(self.list_url(), {"raid": raid.pk})), {during.pk}
        )
        ids = self._ids(self.client.get(self.list_url(), {"outlet": during.outlet_id}))
        self.assertEqual(ids, {during.pk})
        self.assertEqual(
            self._ids(self.client.get(self.list_url(), {"q": "fountain"})), {during.pk}
        )
        ids = self._ids(self.client.get(self.list_url(), {"date_to": str(during.seized_on)}))
        self.assertEqual(ids, {during.pk})
        ids = self._ids(self.client.get(self.list_url(), {"region": "astana"}))
        self.assertEqual(ids, {self.in_astana.pk})


class TotalsAPITests(PersonaTestCase):
    def setUp(self) -> None:
        self.url = reverse("api:pyrotechnics-totals")

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.personas
        for region in (p.almaty, p.astana):
            outlet = OutletFactory(region=region, certificate_expires=None)
            raid = RaidFactory(region=region, status="done")
            RaidVisitFactory(raid=raid, outlet=outlet, result="violation")
            SeizureFactory(outlet=outlet, raid=raid, lines=[{"product": "Salute", "units": 700}])

    def test_shape_and_scope(self) -> None:
        self.login(self.personas.planner_almaty)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual([row["region"] for row in body["results"]], ["almaty"])
        row = body["results"][0]
        self.assertEqual(
            {k: v for k, v in row.items() if k not in {"region", "region_name"}},
            {
                "raids_done": 1,
                "outlets_checked": 1,
                "violations": 1,
                "units_certified": 0,
                "units_uncertified": 700,
                "boxes_certified": 0,
                "boxes_uncertified": 0,
                "outlets_expired": 1,
            },
        )
        self.assertEqual(body["total"]["units_uncertified"], 700)
        self.assertIsNone(body["total"]["region"])

    def test_national_sees_every_region_and_can_pick_one(self) -> None:
        self.login(self.personas.analyst_national)
        body = self.client.get(self.url).json()
        self.assertEqual(body["total"]["units_uncertified"], 1400)
        body = self.client.get(self.url, {"region": "astana"}).json()
        self.assertEqual([row["region"] for row in body["results"]], ["astana"])

    def test_a_region_out_of_scope_shows_nothing(self) -> None:
        self.login(self.personas.planner_almaty)
        body = self.client.get(self.url, {"region": "astana"}).json()
        self.assertEqual(body["results"], [])
        self.assertEqual(body["total"]["units_uncertified"], 0)

    def test_period(self) -> None:
        self.login(self.personas.analyst_national)
        tomorrow = str(today() + datetime.timedelta(days=1))
        body = self.client.get(self.url, {"date_from": tomorrow}).json()
        self.assertEqual(body["total"]["raids_done"], 0)
        self.assertEqual(body["total"]["units_uncertified"], 0)
        self.assertEqual(body["total"]["outlets_expired"], 2)
        self.assertEqual(body["date_from"], tomorrow)

    def test_bad_parameters_name_the_field(self) -> None:
        self.login(self.personas.analyst_national)
        for params, field in (
            ({"date_from": "yesterday"}, "date_from"),
            ({"date_to": "2026-13-01"}, "date_to"),
            ({"date_from": "2027-01-10", "date_to": "2027-01-01"}, "date_to"),
            ({"region": "atlantis"}, "region"),
        ):
            response = self.client.get(self.url, params)
            self.assertEqual(response.status_code, 400, params)
            self.assertIn(field, response.json())

    def test_access(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 401)
        self.login(self.personas.no_grants)
        self.assertEqual(self.client.get(self.url).status_code, 403)


class SchemaTests(PersonaTestCase):
    def test_endpoints_are_in_the_schema(self) -> None:
        self.login(self.personas.analyst_national)
        response = self.client.get(reverse("api:schema"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in (
            "/api/pyrotechnics/outlets/",
            "/api/pyrotechnics/raids/{id}/record-result/",
            "/api/pyrotechnics/seizures/",
            "/api/pyrotechnics/totals/",
        ):
            self.assertIn(path, paths)
