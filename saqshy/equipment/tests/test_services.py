"""Service rules: the nearest-hydrant query, and that a check is all or nothing."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.equipment import services
from saqshy.equipment.models import Hydrant, HydrantCheck
from saqshy.equipment.queries import nearest_operable_hydrants
from saqshy.equipment.tests.factories import HydrantFactory
from saqshy.facilities.tests.factories import FacilityFactory

TODAY = dt.date.today()
LAT, LON = CENTRES["almaty"]
METRE = 1 / 111_195.0  # degrees of latitude


class NearestOperableHydrantsTests(PersonaTestCase):
    def setUp(self) -> None:
        self.almaty = self.personas.almaty
        self.facility = FacilityFactory(region=self.almaty)

    def hydrant(self, north_m: float, east_m: float = 0, **fields: object) -> Hydrant:
        east = east_m * METRE / 0.7285  # cos(43.238°)
        hydrant: Hydrant = HydrantFactory(
            region=self.almaty, lat=LAT + north_m * METRE, lon=LON + east, **fields
        )
        return hydrant

    def test_an_inoperable_nearer_hydrant_is_skipped_and_distances_are_sorted(self) -> None:
        far = self.hydrant(1500)
        broken = self.hydrant(30, operable=False)
        east = self.hydrant(0, 400)
        near = self.hydrant(-120)
        found = nearest_operable_hydrants(self.facility)
        self.assertEqual([n.hydrant for n in found], [near, east, far])
        self.assertNotIn(broken, [n.hydrant for n in found])
        metres = [n.distance_m for n in found]
        self.assertEqual(metres, sorted(metres))
        for got, expected in zip(metres, [120, 400, 1500], strict=True):
            self.assertAlmostEqual(got, expected, delta=expected * 0.003)

    def test_k_and_max_m(self) -> None:
        self.hydrant(100)
        self.hydrant(200)
        self.hydrant(2100)
        self.hydrant(0, 1990)  # inside the radius, near the edge of the bounding box
        self.assertEqual(len(nearest_operable_hydrants(self.facility)), 3)
        self.assertEqual(len(nearest_operable_hydrants(self.facility, k=10)), 3)
        self.assertEqual(len(nearest_operable_hydrants(self.facility, k=10, max_m=2200)), 4)
        self.assertEqual(len(nearest_operable_hydrants(self.facility, k=1)), 1)
        self.assertEqual(nearest_operable_hydrants(self.facility, k=0), [])

    def test_two_queries_whatever_the_number_of_hydrants(self) -> None:
        for metres in range(100, 1500, 100):
            self.hydrant(metres)
        with CaptureQueriesContext(connection) as queries:
            found = nearest_operable_hydrants(self.facility, k=5)
            [str(n.hydrant.region) for n in found]
        self.assertEqual(len(queries), 2)

    def test_searches_only_the_given_queryset(self) -> None:
        near = self.hydrant(50)
        other = self.hydrant(60)
        found = nearest_operable_hydrants(
            self.facility, hydrants=Hydrant.objects.exclude(pk=near.pk)
        )
        self.assertEqual([n.hydrant for n in found], [other])


class RecordCheckTests(PersonaTestCase):
    def setUp(self) -> None:
        self.hydrant = HydrantFactory(region=self.personas.almaty)

    def test_check_and_state_are_one_transaction(self) -> None:
        audits = AuditEntry.objects.count()
        with (
            mock.patch.object(
                services.core_services, "update", side_effect=RuntimeError("db down")
            ),
            self.assertRaises(RuntimeError),
        ):
            services.record_hydrant_check(
                acting_user=self.personas.inspector_almaty,
                hydrant=self.hydrant,
                checked_on=TODAY,
                operable=False,
            )
        self.assertFalse(HydrantCheck.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_check_in_another_region_is_refused(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.record_hydrant_check(
                acting_user=self.personas.inspector_almaty,
                hydrant=HydrantFactory(region=self.personas.astana),
                checked_on=TODAY,
                operable=False,
            )
        self.assertFalse(HydrantCheck.objects.exists())

    def test_moving_a_hydrant_into_a_region_you_cannot_change_is_refused(self) -> None:
        lat, lon = CENTRES["astana"]
        with self.assertRaises(PermissionDenied):
            services.update_hydrant(
                acting_user=self.personas.inspector_almaty, hydrant=self.hydrant, lat=lat, lon=lon
            )
        self.hydrant.refresh_from_db()
        self.assertEqual(self.hydrant.region, self.personas.almaty)
