from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase, RegionScopedAPITests
from saqshy.equipment import services
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck
from saqshy.equipment.tests.factories import (
    EquipmentCheckFactory,
    FacilityEquipmentFactory,
    HydrantCheckFactory,
    HydrantFactory,
)
from saqshy.facilities.tests.factories import FacilityFactory


def today() -> dt.date:
    """The services' own today, asked when the test runs (late in the UTC evening it is
    already tomorrow in Astana)."""
    return timezone.localdate()


_numbers = itertools.count(1)


def _near(region: str, north_m: float) -> tuple[float, float]:
    """A point ``north_m`` metres north of the region's test centre."""
    lat, lon = CENTRES[region]
    return lat + north_m / 111_195.0, lon


class HydrantAPITests(RegionScopedAPITests):
    basename = "hydrant"
    model = Hydrant
    writer = "inspector_almaty"

    def make_object(self, region: Region) -> Hydrant:
        hydrant: Hydrant = HydrantFactory(region=region)
        return hydrant

    def create_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "code": f"PG-new-{next(_numbers)}",
            "kind": "pillar",
            "lat": lat + 0.001,
            "lon": lon + 0.001,
            "address": "Abay Avenue 52",
        }

    def update_payload(self) -> dict[str, Any]:
        return {"address": "Dostyk Avenue 1", "notes": "Sign repainted"}

    def check_url(self, hydrant: Hydrant) -> str:
        return reverse("api:hydrant-check", args=[hydrant.pk])

    def test_region_is_derived_from_the_location(self) -> None:
        self.login(self.p.inspector_almaty)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["region"], body["operable"], body["last_checked_on"]), ("almaty", True, None)
        )

    def test_location_outside_every_region_is_a_field_error(self) -> None:
        self.login(self.p.inspector_almaty)
        count = Hydrant.objects.count()
        payload = {**self.create_payload(self.p.almaty), "lat": 10.0, "lon": 10.0}
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("lat", response.json())
        self.assertEqual(Hydrant.objects.count(), count)

    def test_number_is_unique_within_a_region(self) -> None:
        self.login(self.p.inspector_almaty)
        payload = {**self.create_payload(self.p.almaty), "code": self.in_almaty.code}
        response = self.client.post(self.list_url(), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("code", response.json())
        # The same number in another region is another hydrant.
        other = {**self.create_payload(self.p.astana), "code": self.in_almaty.code}
        services.create_hydrant(acting_user=None, **other)

    def test_state_is_not_written_directly(self) -> None:
        self.login(self.p.inspector_almaty)
        response = self.client.patch(
            self.detail_url(self.in_almaty), {"last_checked_on": str(today())}
        )
        self.assertEqual(response.status_code, 200)
        self.in_almaty.refresh_from_db()
        self.assertIsNone(self.in_almaty.last_checked_on)

    def test_geojson(self) -> None:
        self.login(self.p.inspector_almaty)
        response = self.client.get(self.list_url(), {"format": "geojson"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/geo+json")
        body = response.json()
        self.assertEqual(body["type"], "FeatureCollection")
        [feature] = body["features"]
        self.assertEqual(feature["id"], self.in_almaty.pk)
        self.assertEqual(
            feature["geometry"]["coordinates"], [self.in_almaty.lon, self.in_almaty.lat]
        )
        self.assertEqual(feature["properties"]["code"], self.in_almaty.code)

    def test_filters(self) -> None:
        broken = HydrantFactory(
            region=self.p.almaty, kind="water_tank", operable=False, lat=43.30, lon=77.10
        )
        checked = HydrantFactory(region=self.p.almaty, last_checked_on=today(), address="Satpaev 9")
        self.login(self.p.analyst_national)

        def ids(**params: Any) -> set[int]:
            response = self.client.get(self.list_url(), params)
            self.assertEqual(response.status_code, 200, response.content)
            return {item["id"] for item in response.json()["results"]}

        self.assertEqual(ids(region="almaty"), {self.in_almaty.pk, broken.pk, checked.pk})
        self.assertEqual(ids(operable="false"), {broken.pk})
        self.assertEqual(ids(kind="water_tank"), {broken.pk})
        self.assertEqual(ids(bbox="77.05,43.25,77.15,43.35"), {broken.pk})
        self.assertEqual(ids(q="satpaev"), {checked.pk})
        self.assertNotIn(checked.pk, ids(not_checked_since=str(today() - dt.timedelta(days=10))))
        self.assertIn(broken.pk, ids(not_checked_since=str(today())))
        self.assertEqual(self.client.get(self.list_url(), {"bbox": "1,2"}).status_code, 400)

    def test_check_updates_the_hydrant_in_one_audited_change(self) -> None:
        inspector = self.p.inspector_almaty
        self.login(inspector)
        response = self.client.post(
            self.check_url(self.in_almaty),
            {
                "checked_on": str(today()),
                "operable": False,
                "pressure_ok": False,
                "access_clear": True,
                "note": "No pressure, valve frozen",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["checked_by"], "inspector_almaty")
        self.in_almaty.refresh_from_db()
        self.assertEqual(
            (self.in_almaty.operable, self.in_almaty.last_checked_on), (False, today())
        )
        check = HydrantCheck.objects.get(pk=response.json()["id"])
        self.assertEqual((check.hydrant, check.checked_by), (self.in_almaty, inspector))
        created = AuditEntry.objects.get(
            object_type="equipment.hydrantcheck", object_id=str(check.pk), action="create"
        )
        updated = AuditEntry.objects.get(
            object_type="equipment.hydrant", object_id=str(self.in_almaty.pk), action="update"
        )
        self.assertEqual(updated.before, {"last_checked_on": None, "operable": True})
        self.assertEqual(updated.after, {"last_checked_on": str(today()), "operable": False})
        self.assertEqual((created.actor_id, updated.actor_id), (inspector.pk, inspector.pk))
        self.assertEqual(created.region_id, self.p.almaty.pk)
        self.assertTrue(created.request_id)
        self.assertEqual(created.request_id, updated.request_id)

    def test_an_older_check_is_history_and_leaves_the_state(self) -> None:
        self.login(self.p.inspector_almaty)
        url = self.check_url(self.in_almaty)
        self.client.post(url, {"checked_on": str(today()), "operable": True}, format="json")
        older = {"checked_on": str(today() - dt.timedelta(days=30)), "operable": False}
        self.assertEqual(self.client.post(url, older, format="json").status_code, 201)
        self.in_almaty.refresh_from_db()
        self.assertEqual((self.in_almaty.operable, self.in_almaty.last_checked_on), (True, today()))
        history = self.client.get(reverse("api:hydrant-checks", args=[self.in_almaty.pk])).json()
        self.assertEqual(
            [c["checked_on"] for c in history["results"]], [older["checked_on"], str(today())][::-1]
        )

    def test_bad_check_changes_nothing(self) -> None:
        self.login(self.p.inspector_almaty)
        audits = AuditEntry.objects.count()
        future = {"checked_on": str(today() + dt.timedelta(days=1)), "operable": False}
        response = self.client.post(self.check_url(self.in_almaty), future, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("checked_on", response.json())
        response = self.client.post(
            self.check_url(self.in_almaty), {"checked_on": str(today())}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("operable", response.json())
        self.assertEqual((HydrantCheck.objects.count(), AuditEntry.objects.count()), (0, audits))
        self.in_almaty.refresh_from_db()
        self.assertTrue(self.in_almaty.operable)

    def test_check_scope(self) -> None:
        body = {"checked_on": str(today()), "operable": False}
        self.login(self.p.inspector_almaty)
        response = self.client.post(self.check_url(self.in_astana), body, format="json")
        self.assertEqual(response.status_code, 404)
        self.login(self.p.dispatcher_astana)
        response = self.client.post(self.check_url(self.in_astana), body, format="json")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(HydrantCheck.objects.exists())

    def test_delete_takes_the_check_history_with_it_audited(self) -> None:
        check = HydrantCheckFactory(hydrant=self.in_almaty)
        self.login(self.p.inspector_almaty)
        self.assertEqual(self.client.delete(self.detail_url(self.in_almaty)).status_code, 204)
        self.assertFalse(HydrantCheck.objects.filter(pk=check.pk).exists())
        entry = AuditEntry.objects.get(
            object_type="equipment.hydrantcheck", object_id=str(check.pk), action="delete"
        )
        self.assertEqual(entry.region_id, self.p.almaty.pk)


class NearestHydrantsAPITests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.facility = FacilityFactory(region=p.almaty, name="Almaty Arena")
        self.far = HydrantFactory(region=p.almaty, code="far", lat=_near("almaty", 900)[0])
        self.near = HydrantFactory(region=p.almaty, code="near", lat=_near("almaty", 100)[0])
        self.broken = HydrantFactory(
            region=p.almaty, code="broken", lat=_near("almaty", 40)[0], operable=False
        )
        self.middle = HydrantFactory(region=p.almaty, code="middle", lat=_near("almaty", 300)[0])
        self.outside = HydrantFactory(region=p.almaty, code="3km", lat=_near("almaty", 3000)[0])
        self.url = reverse("api:hydrant-nearest")

    def test_nearest_operable_sorted_with_distances(self) -> None:
        self.login(self.personas.inspector_almaty)
        response = self.client.get(self.url, {"facility": self.facility.pk, "k": 3})
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual((body["facility"], body["count"]), (self.facility.pk, 3))
        self.assertEqual([h["code"] for h in body["results"]], ["near", "middle", "far"])
        metres = [h["distance_m"] for h in body["results"]]
        self.assertEqual(metres, sorted(metres))
        self.assertAlmostEqual(metres[0], 100, delta=1)
        self.assertAlmostEqual(metres[2], 900, delta=2)

    def test_k_and_radius(self) -> None:
        self.login(self.personas.inspector_almaty)
        response = self.client.get(self.url, {"facility": self.facility.pk, "k": 1})
        self.assertEqual([h["code"] for h in response.json()["results"]], ["near"])
        response = self.client.get(self.url, {"facility": self.facility.pk, "k": 10})
        self.assertEqual([h["code"] for h in response.json()["results"]], ["near", "middle", "far"])
        response = self.client.get(self.url, {"facility": self.facility.pk, "k": 10, "max_m": 5000})
        self.assertEqual(response.json()["results"][-1]["code"], "3km")

    def test_geojson(self) -> None:
        self.login(self.personas.inspector_almaty)
        response = self.client.get(self.url, {"facility": self.facility.pk, "format": "geojson"})
        self.assertEqual(response.status_code, 200)
        features = response.json()["features"]
        self.assertEqual(features[0]["properties"]["code"], "near")
        self.assertIn("distance_m", features[0]["properties"])

    def test_facility_outside_scope_is_404_and_bad_input_is_400(self) -> None:
        elsewhere = FacilityFactory(region=self.personas.astana)
        self.login(self.personas.inspector_almaty)
        self.assertEqual(self.client.get(self.url, {"facility": elsewhere.pk}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"facility": 10**9}).status_code, 404)
        self.assertEqual(self.client.get(self.url).status_code, 400)
        response = self.client.get(self.url, {"facility": self.facility.pk, "k": 0})
        self.assertEqual(response.status_code, 400)
        self.login(self.personas.viewer_other_region)  # sees facilities, not hydrants
        self.assertEqual(self.client.get(self.url, {"facility": self.facility.pk}).status_code, 403)

    def test_hydrants_outside_the_callers_scope_are_not_shown(self) -> None:
        lat, lon = _near("almaty", 10)
        # Registered to Astana (e.g. a data error) but standing next to the facility.
        HydrantFactory(region=self.personas.astana, code="astana", lat=lat, lon=lon)
        self.login(self.personas.inspector_almaty)
        codes = [
            h["code"]
            for h in self.client.get(self.url, {"facility": self.facility.pk}).json()["results"]
        ]
        self.assertNotIn("astana", codes)
        self.login(self.personas.analyst_national)
        codes = [
            h["code"]
            for h in self.client.get(self.url, {"facility": self.facility.pk}).json()["results"]
        ]
        self.assertEqual(codes[0], "astana")


class FacilityEquipmentAPITests(RegionScopedAPITests):
    refused_create = (400, "facility")
    basename = "facilityequipment"
    model = FacilityEquipment
    writer = "inspector_almaty"

    def make_object(self, region: Region) -> FacilityEquipment:
        equipment: FacilityEquipment = FacilityEquipmentFactory(facility__region=region)
        return equipment

    def create_payload(self, region: Region) -> dict[str, Any]:
        facility = FacilityFactory(region=region)
        return {
            "facility": facility.pk,
            "kind": "extinguisher",
            "quantity": 6,
            "model_name": "OP-5(z)",
            "next_check_due": str(today() + dt.timedelta(days=20)),
        }

    def update_payload(self) -> dict[str, Any]:
        return {"quantity": 8, "notes": "Two added in the foyer"}

    def check_url(self, equipment: FacilityEquipment) -> str:
        return reverse("api:facilityequipment-check", args=[equipment.pk])

    def test_check_updates_the_equipment_in_one_audited_change(self) -> None:
        inspector = self.p.inspector_almaty
        self.login(inspector)
        due = today() + dt.timedelta(days=90)
        response = self.client.post(
            self.check_url(self.in_almaty),
            {
                "checked_on": str(today()),
                "in_order": False,
                "note": "2 of 4 discharged",
                "next_check_due": str(due),
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.in_almaty.refresh_from_db()
        self.assertEqual(
            (
                self.in_almaty.in_order,
                self.in_almaty.last_checked_on,
                self.in_almaty.next_check_due,
            ),
            (False, today(), due),
        )
        updated = AuditEntry.objects.get(
            object_type="equipment.facilityequipment",
            object_id=str(self.in_almaty.pk),
            action="update",
        )
        self.assertEqual(
            updated.after,
            {"in_order": False, "last_checked_on": str(today()), "next_check_due": str(due)},
        )
        created = AuditEntry.objects.get(object_type="equipment.equipmentcheck", action="create")
        self.assertEqual((created.actor_id, created.region_id), (inspector.pk, self.p.almaty.pk))
        self.assertEqual(created.request_id, updated.request_id)
        check = EquipmentCheck.objects.get()
        self.assertEqual((check.in_order, check.checked_by), (False, inspector))

    def test_next_check_must_come_after_the_check(self) -> None:
        self.login(self.p.inspector_almaty)
        response = self.client.post(
            self.check_url(self.in_almaty),
            {"checked_on": str(today()), "in_order": True, "next_check_due": str(today())},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("next_check_due", response.json())
        self.assertFalse(EquipmentCheck.objects.exists())

    def test_check_without_a_new_date_keeps_the_planned_one(self) -> None:
        planned = today() + dt.timedelta(days=10)
        FacilityEquipment.objects.filter(pk=self.in_almaty.pk).update(next_check_due=planned)
        self.login(self.p.inspector_almaty)
        response = self.client.post(
            self.check_url(self.in_almaty),
            {"checked_on": str(today()), "in_order": True},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.in_almaty.refresh_from_db()
        self.assertEqual(
            (self.in_almaty.last_checked_on, self.in_almaty.next_check_due), (today(), planned)
        )

    def test_check_scope(self) -> None:
        body = {"checked_on": str(today()), "in_order": False}
        self.login(self.p.inspector_almaty)
        self.assertEqual(self.client.post(self.check_url(self.in_astana), body).status_code, 404)
        self.login(self.p.dispatcher_astana)
        self.assertEqual(self.client.post(self.check_url(self.in_astana), body).status_code, 403)
        self.assertFalse(EquipmentCheck.objects.exists())

    def test_filters(self) -> None:
        late = FacilityEquipmentFactory(
            facility=self.in_almaty.facility,
            kind="fire_alarm",
            next_check_due=today() - dt.timedelta(days=1),
            in_order=False,
        )
        FacilityEquipment.objects.filter(pk=self.in_almaty.pk).update(next_check_due=today())
        self.login(self.p.analyst_national)

        def ids(**params: Any) -> set[int]:
            response = self.client.get(self.list_url(), params)
            self.assertEqual(response.status_code, 200, response.content)
            return {item["id"] for item in response.json()["results"]}

        self.assertEqual(ids(overdue="true"), {late.pk})
        self.assertEqual(ids(overdue="false"), {self.in_almaty.pk, self.in_astana.pk})
        self.assertEqual(ids(in_order="false"), {late.pk})
        self.assertEqual(ids(kind="fire_alarm"), {late.pk})
        self.assertEqual(ids(region="astana"), {self.in_astana.pk})
        self.assertEqual(ids(facility=self.in_almaty.facility_id), {self.in_almaty.pk, late.pk})
        [item] = self.client.get(self.list_url(), {"overdue": "true"}).json()["results"]
        self.assertTrue(item["overdue"])

    def test_delete_takes_the_check_history_with_it_audited(self) -> None:
        check = EquipmentCheckFactory(equipment=self.in_almaty)
        self.login(self.p.inspector_almaty)
        self.assertEqual(self.client.delete(self.detail_url(self.in_almaty)).status_code, 204)
        entry = AuditEntry.objects.get(
            object_type="equipment.equipmentcheck", object_id=str(check.pk), action="delete"
        )
        self.assertEqual(entry.region_id, self.p.almaty.pk)
