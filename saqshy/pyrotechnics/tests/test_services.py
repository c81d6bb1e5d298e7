"""Each service rule: where records may live, what is refused, and that refusals write nothing."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from saqshy.accounts.models import Region
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.pyrotechnics import services
from saqshy.pyrotechnics.models import (
    Outlet,
    Raid,
    RaidVisit,
    Seizure,
    SeizureLine,
    expired_certificate_q,
)
from saqshy.pyrotechnics.tests.factories import (
    OutletFactory,
    RaidFactory,
    RaidVisitFactory,
    SeizureFactory,
    make_raider,
    today,
)


def _outlet(region: Region, **fields: Any) -> Outlet:
    outlet: Outlet = OutletFactory(region=region, **fields)
    return outlet


def _raid(region: Region, **fields: Any) -> Raid:
    raid: Raid = RaidFactory(region=region, **fields)
    return raid


def _state() -> tuple[int, ...]:
    return (
        Outlet.objects.count(),
        Raid.objects.count(),
        RaidVisit.objects.count(),
        Seizure.objects.count(),
        SeizureLine.objects.count(),
        AuditEntry.objects.count(),
    )


class ServiceTestCase(PersonaTestCase, abstract=True):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.raider = make_raider(cls.personas)

    def setUp(self) -> None:
        self.p = self.personas


class CertificateTests(ServiceTestCase):
    def test_flag_and_filter_agree(self) -> None:
        day = datetime.timedelta(days=1)
        cases = {
            None: True,
            today() - 365 * day: True,
            today() - day: True,
            today(): False,
            today() + day: False,
        }
        outlets = {
            expires: OutletFactory(region=self.p.almaty, certificate_expires=expires)
            for expires in cases
        }
        flagged = set(Outlet.objects.filter(expired_certificate_q()).values_list("pk", flat=True))
        for expires, expected in cases.items():
            outlet = outlets[expires]
            self.assertEqual(outlet.certificate_expired, expected, expires)
            self.assertEqual(outlet.pk in flagged, expected, expires)

    def test_expired_as_of_another_day(self) -> None:
        outlet = OutletFactory(region=self.p.almaty, certificate_expires=today())
        tomorrow = today() + datetime.timedelta(days=1)
        self.assertTrue(Outlet.objects.filter(expired_certificate_q(tomorrow), pk=outlet.pk))


class OutletServiceTests(ServiceTestCase):
    def test_location_from_the_facility(self) -> None:
        mall = FacilityFactory(region=self.p.almaty, kind="mall")
        outlet = services.create_outlet(
            acting_user=self.raider, kind="retail", name="Kiosk", facility=mall
        )
        self.assertEqual((outlet.lat, outlet.lon, outlet.region), (mall.lat, mall.lon, mall.region))

    def test_facility_elsewhere_than_the_location_names_the_facility(self) -> None:
        mall = FacilityFactory(region=self.p.astana, kind="mall")
        lat, lon = CENTRES["almaty"]
        with self.assertRaises(ValidationError) as caught:
            services.create_outlet(
                acting_user=None, kind="retail", name="K", facility=mall, lat=lat, lon=lon
            )
        self.assertIn("facility", caught.exception.message_dict)

    def test_location_outside_every_region_names_lat(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.create_outlet(acting_user=None, kind="retail", name="K", lat=10.0, lon=10.0)
        self.assertIn("lat", caught.exception.message_dict)

    def test_moving_an_outlet_out_of_the_writers_region_is_refused(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        before = _state()
        lat, lon = CENTRES["astana"]
        with self.assertRaises(PermissionDenied):
            services.update_outlet(acting_user=self.raider, outlet=outlet, lat=lat, lon=lon)
        self.assertEqual(_state(), before)
        outlet.refresh_from_db()
        self.assertEqual(outlet.region, self.p.almaty)

    def test_an_outlet_with_seizures_is_kept(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        SeizureFactory(outlet=outlet)
        with self.assertRaises(ValidationError):
            services.delete_outlet(acting_user=self.raider, outlet=outlet)
        self.assertTrue(Outlet.objects.filter(pk=outlet.pk).exists())


class RaidServiceTests(ServiceTestCase):
    def test_outlets_must_be_in_the_raids_region(self) -> None:
        here, there = _outlet(self.p.almaty), _outlet(self.p.astana)
        before = _state()
        with self.assertRaises(ValidationError) as caught:
            services.create_raid(
                acting_user=None,
                region=self.p.almaty,
                planned_on=today(),
                outlets=[here, there],
            )
        self.assertEqual(list(caught.exception.message_dict), ["outlets"])
        self.assertIn(str(there), caught.exception.message_dict["outlets"][0])
        self.assertEqual(_state(), before)

    def test_a_visit_outside_the_raids_region_is_invalid_on_the_model(self) -> None:
        raid = _raid(self.p.almaty)
        visit = RaidVisit(raid=raid, outlet=_outlet(self.p.astana))
        with self.assertRaises(ValidationError) as caught:
            visit.full_clean()
        self.assertIn("outlet", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.add_visit(acting_user=None, raid=raid, outlet=visit.outlet)

    def test_moving_a_raid_away_from_its_outlets_names_the_region(self) -> None:
        raid = RaidFactory(region=self.p.almaty)
        RaidVisitFactory(raid=raid, outlet=OutletFactory(region=self.p.almaty))
        with self.assertRaises(ValidationError) as caught:
            services.update_raid(acting_user=None, raid=raid, region=self.p.astana)
        self.assertIn("region", caught.exception.message_dict)
        raid.refresh_from_db()
        self.assertEqual(raid.region, self.p.almaty)

    def test_route_changes(self) -> None:
        first, second, third = (_outlet(self.p.almaty) for _ in range(3))
        raid = services.create_raid(
            acting_user=self.raider, region=self.p.almaty, planned_on=today(), outlets=[first]
        )
        visited = raid.visits.get()
        services.record_visit_result(acting_user=self.raider, visit=visited, result="compliant")
        with self.assertRaises(ValidationError) as caught:
            services.update_raid(acting_user=self.raider, raid=raid, outlets=[second])
        self.assertIn("outlets", caught.exception.message_dict)
        services.update_raid(acting_user=self.raider, raid=raid, outlets=[first, second, third])
        services.update_raid(acting_user=self.raider, raid=raid, outlets=[first, third])
        self.assertEqual(set(raid.visits.values_list("outlet", flat=True)), {first.pk, third.pk})
        removed = AuditEntry.objects.get(object_type="pyrotechnics.raidvisit", action="delete")
        self.assertEqual(removed.before["outlet_id"], second.pk)

    def test_a_cancelled_raid_records_no_result(self) -> None:
        raid = RaidFactory(region=self.p.almaty, status="cancelled")
        visit = RaidVisitFactory(raid=raid, outlet=OutletFactory(region=self.p.almaty))
        with self.assertRaises(ValidationError) as caught:
            services.record_visit_result(acting_user=self.raider, visit=visit, result="violation")
        self.assertIn("result", caught.exception.message_dict)

    def test_a_raid_with_seizures_is_kept_and_its_visits_go_with_it_otherwise(self) -> None:
        raid = RaidFactory(region=self.p.almaty)
        outlet = OutletFactory(region=self.p.almaty)
        visit = RaidVisitFactory(raid=raid, outlet=outlet)
        seizure = SeizureFactory(outlet=outlet, raid=raid)
        with self.assertRaises(ValidationError):
            services.delete_raid(acting_user=self.raider, raid=raid)
        services.delete_seizure(acting_user=self.raider, seizure=seizure)
        services.delete_raid(acting_user=self.raider, raid=raid)
        deleted = set(
            AuditEntry.objects.filter(action="delete").values_list("object_type", "object_id")
        )
        self.assertLessEqual(
            {("pyrotechnics.raid", str(raid.pk)), ("pyrotechnics.raidvisit", str(visit.pk))},
            deleted,
        )


class SeizureServiceTests(ServiceTestCase):
    def lines(self) -> list[dict[str, Any]]:
        return [
            {"product": "Battery 36 shots", "units": 500, "boxes": 60},
            {"product": "Rockets", "certified": True, "units": 30, "boxes": 2},
        ]

    def test_recorded_with_its_lines_and_pushed_after_commit(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        with (
            mock.patch("saqshy.core.realtime.send_now") as send,
            self.captureOnCommitCallbacks(execute=True),
        ):
            seizure = services.record_seizure(
                acting_user=self.raider,
                outlet=outlet,
                raid=None,
                seized_on=today(),
                lines=self.lines(),
            )
        self.assertEqual(seizure.region, self.p.almaty)
        self.assertEqual(seizure.lines.count(), 2)
        message = send.call_args.args[0]
        self.assertEqual((message["topic"], message["op"]), ("seizure", "created"))
        self.assertEqual((message["region_id"], message["data"]["units"]), (self.p.almaty.pk, 530))
        entries = AuditEntry.objects.filter(actor_id=self.raider.pk, action="create")
        self.assertEqual(entries.count(), 3)

    def test_one_bad_line_saves_nothing_and_names_it(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        lines = [*self.lines(), {"product": "", "units": 5}, {"product": "Fountain", "units": 0}]
        before = _state()
        with (
            mock.patch("saqshy.core.realtime.send_now") as send,
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(ValidationError) as caught,
        ):
            services.record_seizure(
                acting_user=self.raider, outlet=outlet, raid=None, seized_on=today(), lines=lines
            )
        errors = caught.exception.message_dict["lines"]
        self.assertTrue(errors[0].startswith("Line 3"), errors)
        self.assertTrue(errors[-1].startswith("Line 4"), errors)
        self.assertEqual(_state(), before)
        send.assert_not_called()

    def test_no_lines_is_refused(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        with self.assertRaises(ValidationError) as caught:
            services.record_seizure(
                acting_user=None, outlet=outlet, raid=None, seized_on=today(), lines=[]
            )
        self.assertIn("lines", caught.exception.message_dict)

    def test_outside_the_writers_region_is_refused(self) -> None:
        outlet = OutletFactory(region=self.p.astana)
        before = _state()
        with self.assertRaises(PermissionDenied):
            services.record_seizure(
                acting_user=self.raider,
                outlet=outlet,
                raid=None,
                seized_on=today(),
                lines=self.lines(),
            )
        self.assertEqual(_state(), before)

    def test_raid_in_another_region_names_the_raid(self) -> None:
        outlet = OutletFactory(region=self.p.almaty)
        raid = RaidFactory(region=self.p.astana)
        with self.assertRaises(ValidationError) as caught:
            services.record_seizure(
                acting_user=None, outlet=outlet, raid=raid, seized_on=today(), lines=self.lines()
            )
        self.assertIn("raid", caught.exception.message_dict)

    def test_moving_to_another_outlet_moves_the_region(self) -> None:
        seizure = SeizureFactory(outlet=OutletFactory(region=self.p.almaty))
        services.update_seizure(
            acting_user=None, seizure=seizure, outlet=OutletFactory(region=self.p.astana)
        )
        seizure.refresh_from_db()
        self.assertEqual(seizure.region, self.p.astana)

    def test_delete_audits_every_line(self) -> None:
        seizure = SeizureFactory(outlet=OutletFactory(region=self.p.almaty), lines=self.lines())
        line_ids = {str(pk) for pk in seizure.lines.values_list("pk", flat=True)}
        services.delete_seizure(acting_user=self.raider, seizure=seizure)
        deleted = AuditEntry.objects.filter(action="delete")
        self.assertEqual(
            set(
                deleted.filter(object_type="pyrotechnics.seizureline").values_list(
                    "object_id", flat=True
                )
            ),
            line_ids,
        )
        self.assertTrue(deleted.filter(object_type="pyrotechnics.seizure").exists())
        self.assertFalse(SeizureLine.objects.filter(seizure_id=seizure.pk).exists())
