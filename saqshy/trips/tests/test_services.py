from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from saqshy.accounts.models import Norm
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.trips import services
from saqshy.trips.models import Trip, TripEscort
from saqshy.trips.tests.factories import (
    AbsenceFactory,
    PersonFactory,
    ShiftFactory,
    TripFactory,
    UnitFactory,
    agency,
    at,
    escort,
)
from saqshy.trips.tests.helpers import user_with_role

HOUR = dt.timedelta(hours=1)


class EscortRuleTests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.planner = p.planner_almaty
        self.trip: Trip = TripFactory(region=p.almaty, status="submitted")
        self.officer = PersonFactory(region=p.almaty, first_name="Yerlan", last_name="Bekov")

    def approve(self, user: object = None, trip: Trip | None = None) -> Trip:
        return services.approve_trip(acting_user=user or self.planner, trip=trip or self.trip)

    def assign(self, **escort: object) -> TripEscort:
        return services.assign_escort(acting_user=self.planner, trip=self.trip, **escort)

    def status(self) -> str:
        return Trip.objects.get(pk=self.trip.pk).status

    def test_no_escort_refuses_everyone_including_superuser_and_system(self) -> None:
        for user in (self.planner, self.personas.admin, None):
            with self.assertRaises(Conflict) as refused:
                services.approve_trip(acting_user=user, trip=self.trip)
            self.assertEqual(refused.exception.code, "escort_missing")
            self.assertIn("no police escort", refused.exception.detail)
        self.assertEqual(self.status(), "submitted")

    def test_a_free_police_officer_lets_the_trip_be_approved_with_audit(self) -> None:
        self.assign(person=self.officer)
        approved = self.approve()
        self.assertEqual((approved.status, approved.approved_by), ("approved", self.planner))
        actions = list(
            AuditEntry.objects.filter(object_type__startswith="trips.").values_list(
                "object_type", "action"
            )
        )
        self.assertIn(("trips.tripescort", "create"), actions)
        self.assertIn(("trips.trip", "update"), actions)

    def test_approval_pushes_a_trip_message_on_commit(self) -> None:
        self.assign(person=self.officer)
        with self.captureOnCommitCallbacks() as callbacks:
            self.approve()
        self.assertTrue(callbacks)

    def test_non_police_escort_is_refused(self) -> None:
        firefighter = PersonFactory(
            region=self.personas.almaty, agency=agency(self.personas.almaty, "emergency")
        )
        with self.assertRaises(Conflict) as refused:
            self.assign(person=firefighter)
        self.assertEqual(refused.exception.code, "escort_busy")
        self.assertIn("not to the police", refused.exception.detail)
        self.assertFalse(TripEscort.objects.exists())

    def test_absence_over_the_window_is_refused_and_named(self) -> None:
        AbsenceFactory(person=self.officer, kind="sick", starts_at=self.trip.departs_at - 24 * HOUR)
        with self.assertRaises(Conflict) as refused:
            self.assign(person=self.officer)
        self.assertIn("Sick from", refused.exception.detail)
        self.assertIn("Yerlan Bekov", refused.exception.detail)
        self.assertEqual(refused.exception.extra["conflicts"][0]["kind"], "absence")

    def test_buffer_norm_decides_a_near_miss(self) -> None:
        end = self.trip.departs_at - 30 * dt.timedelta(minutes=1)
        AbsenceFactory(person=self.officer, starts_at=end - 8 * HOUR, ends_at=end)
        with self.assertRaises(Conflict):
            self.assign(person=self.officer)
        Norm.objects.create(
            code="trip_escort_buffer_minutes", region=self.personas.almaty, value=15
        )
        self.assertEqual(self.assign(person=self.officer).person, self.officer)

    def test_shift_at_a_post_is_refused_and_named(self) -> None:
        shift = ShiftFactory(person=self.officer, starts_at=self.trip.returns_at - 2 * HOUR)
        with self.assertRaises(Conflict) as refused:
            self.assign(person=self.officer)
        self.assertIn(shift.post.name, refused.exception.detail)

    def test_another_overlapping_trip_is_refused_but_a_later_one_is_not(self) -> None:
        other: Trip = TripFactory(
            region=self.personas.almaty,
            departs_at=self.trip.returns_at - HOUR,
            returns_at=self.trip.returns_at + 5 * HOUR,
        )
        services.assign_escort(acting_user=self.planner, trip=other, person=self.officer)
        with self.assertRaises(Conflict) as refused:
            self.assign(person=self.officer)
        self.assertIn(f"#{other.pk}", refused.exception.detail)
        later = TripFactory(
            region=self.personas.almaty,
            departs_at=other.returns_at + 2 * HOUR,
            returns_at=other.returns_at + 6 * HOUR,
        )
        services.assign_escort(acting_user=self.planner, trip=later, person=self.officer)

    def test_a_cancelled_trip_frees_its_escort(self) -> None:
        other = TripFactory(region=self.personas.almaty)
        services.assign_escort(acting_user=self.planner, trip=other, person=self.officer)
        services.cancel_trip(acting_user=self.planner, trip=other, reason="bus broke down")
        self.assign(person=self.officer)
        self.assertEqual(self.approve().status, "approved")

    def test_a_unit_escort_on_another_trip_is_refused(self) -> None:
        unit = UnitFactory(region=self.personas.almaty, call_sign="ESCORT-7")
        other = TripFactory(region=self.personas.almaty, status="approved")
        escort(other, unit=unit)
        with self.assertRaises(Conflict) as refused:
            self.assign(unit=unit)
        self.assertIn("ESCORT-7", refused.exception.detail)

    def test_approval_revalidates_an_escort_who_fell_sick_after_assignment(self) -> None:
        self.assign(person=self.officer)
        AbsenceFactory(person=self.officer, starts_at=self.trip.departs_at + HOUR)
        for user in (self.planner, self.personas.admin):
            with self.assertRaises(Conflict) as refused:
                self.approve(user)
            self.assertEqual(refused.exception.code, "escort_busy")
            self.assertEqual(refused.exception.extra["escort"]["id"], self.officer.pk)
        self.assertEqual(self.status(), "submitted")

    def test_of_two_trips_sharing_an_escort_only_the_first_approval_takes_it(self) -> None:
        twin = TripFactory(region=self.personas.almaty, status="submitted")
        escort(self.trip, person=self.officer)
        escort(twin, person=self.officer)
        self.approve()
        with self.assertRaises(Conflict) as refused:
            self.approve(trip=twin)
        self.assertIn(f"#{self.trip.pk}", refused.exception.detail)
        self.assertEqual(Trip.objects.get(pk=twin.pk).status, "submitted")

    def test_editing_times_onto_a_conflict_blocks_approval(self) -> None:
        self.assign(person=self.officer)
        AbsenceFactory(person=self.officer, starts_at=at(20), ends_at=at(22))
        services.update_trip(
            acting_user=self.planner, trip=self.trip, departs_at=at(21), returns_at=at(21, 18)
        )
        with self.assertRaises(Conflict):
            self.approve()

    def test_an_approved_trip_keeps_its_escort(self) -> None:
        self.assign(person=self.officer)
        self.approve()
        with self.assertRaises(Conflict):
            services.unassign_escort(acting_user=self.planner, trip=self.trip)
        replacement = PersonFactory(region=self.personas.almaty)
        self.assign(person=replacement)
        self.assertEqual(TripEscort.objects.get(trip=self.trip).person, replacement)

    def test_only_approvers_assign_and_approve(self) -> None:
        organiser = user_with_role("school_12", "trip-organiser", self.personas.almaty, "education")
        with self.assertRaises(PermissionDenied):
            services.assign_escort(acting_user=organiser, trip=self.trip, person=self.officer)
        with self.assertRaises(PermissionDenied):
            services.approve_trip(acting_user=self.personas.planner_astana, trip=self.trip)


class LifecycleTests(PersonaTestCase):
    def setUp(self) -> None:
        self.planner = self.personas.planner_almaty
        lat, lon = CENTRES["almaty"]
        self.fields = {
            "organiser": "Gymnasium No. 5",
            "children_count": 40,
            "adults_count": 4,
            "departs_at": at(12, 7),
            "returns_at": at(12, 19),
            "departure_name": "Gymnasium yard",
            "departure_lat": lat,
            "departure_lon": lon,
            "destination_name": "Medeu",
            "destination_lat": 43.157,
            "destination_lon": 77.059,
            "contact_name": "Asel",
            "contact_phone": "+7 700 000 00 00",
        }

    def test_region_follows_the_departure_and_status_cannot_be_set(self) -> None:
        trip = services.register_trip(acting_user=self.planner, status="approved", **self.fields)
        self.assertEqual((trip.region, trip.status), (self.personas.almaty, "draft"))
        lat, lon = CENTRES["astana"]
        with self.assertRaises(PermissionDenied):
            services.register_trip(
                acting_user=self.planner,
                **{**self.fields, "departure_lat": lat, "departure_lon": lon},
            )
        with self.assertRaises(ValidationError) as bad:
            services.register_trip(
                acting_user=self.planner,
                **{**self.fields, "departure_lat": 0.0, "departure_lon": 0.0},
            )
        self.assertIn("departure_lat", bad.exception.message_dict)

    def test_submit_needs_seats_for_everyone_and_a_driver_per_vehicle(self) -> None:
        trip = services.register_trip(acting_user=self.planner, **self.fields)
        with self.assertRaises(ValidationError) as bad:
            services.submit_trip(acting_user=self.planner, trip=trip)
        self.assertEqual(set(bad.exception.message_dict), {"vehicles", "drivers"})
        services.update_trip(
            acting_user=self.planner,
            trip=trip,
            vehicles=[{"plate": "777AAA02", "kind": "minibus", "seats": 20}],
            drivers=[{"name": "Marat", "licence": "KZ77"}],
        )
        with self.assertRaises(ValidationError) as bad:
            services.submit_trip(acting_user=self.planner, trip=trip)
        self.assertIn("seat 20 but 44", bad.exception.messages[0])

    def test_bad_vehicle_rows_and_times_name_the_field(self) -> None:
        with self.assertRaises(ValidationError) as bad:
            services.register_trip(
                acting_user=self.planner,
                **{
                    **self.fields,
                    "returns_at": self.fields["departs_at"],
                    "vehicles": [{"plate": "", "kind": "rocket", "seats": 0}],
                },
            )
        self.assertEqual(set(bad.exception.message_dict), {"returns_at", "vehicles"})
        self.assertEqual(len(bad.exception.message_dict["vehicles"]), 3)

    def test_live_status_by_the_escort_account_in_order_not_by_the_organiser(self) -> None:
        almaty = self.personas.almaty
        trip: Trip = TripFactory(region=almaty, status="submitted")
        officer = PersonFactory(region=almaty)
        escort_user = user_with_role("escort_officer", "field-officer", almaty)
        other_officer = user_with_role("other_officer", "field-officer", almaty)
        organiser = user_with_role("school_5", "trip-organiser", almaty, "education")
        services.assign_escort(
            acting_user=self.planner, trip=trip, person=officer, user=escort_user
        )
        with self.assertRaises(Conflict):
            services.report_status(acting_user=escort_user, trip=trip, status="departed")
        services.approve_trip(acting_user=self.planner, trip=trip)
        for user in (organiser, other_officer):
            with self.assertRaises(PermissionDenied):
                services.report_status(acting_user=user, trip=trip, status="departed")
        with self.assertRaises(Conflict):
            services.report_status(acting_user=escort_user, trip=trip, status="arrived")
        for step in ("departed", "arrived", "returned"):
            trip = services.report_status(acting_user=escort_user, trip=trip, status=step)
        trip.refresh_from_db()
        self.assertEqual(trip.status, "returned")
        times = [trip.departed_at, trip.arrived_at, trip.returned_at]
        self.assertNotIn(None, times)
        self.assertEqual(times, sorted(times))
        with self.assertRaises(ValidationError):
            services.report_status(acting_user=escort_user, trip=trip, status="approved")
