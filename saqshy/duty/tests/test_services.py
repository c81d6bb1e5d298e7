"""Posts derived by the norms (idempotent), readiness levels, personnel import, absences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from saqshy.accounts.models import Agency, Norm
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty import posts, services
from saqshy.duty.models import Person, Post, Readiness
from saqshy.duty.readiness import queries
from saqshy.duty.readiness import services as readiness_services
from saqshy.duty.tests.factories import (
    AbsenceFactory,
    PersonFactory,
    PostFactory,
    PostNeedFactory,
    ShiftFactory,
    hour,
)
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory


class DutyTestCase(PersonaTestCase, abstract=True):
    def setUp(self) -> None:
        self.p = self.personas
        self.almaty = self.p.almaty
        for code, kind in (("health-almaty", "health"), ("energy-almaty", "energy")):
            Agency.objects.get_or_create(
                code=code, defaults={"kind": kind, "region": self.almaty, "name_en": code}
            )
        self.police = Agency.objects.get(code="police-almaty")
        self.fire = Agency.objects.get(code="des-almaty")


class DerivePostsTests(DutyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.station = FacilityFactory(region=self.almaty, kind="station", name="Almaty-1")
        self.substation = FacilityFactory(region=self.almaty, kind="energy_site", name="TPP-2")
        FacilityFactory(region=self.almaty, kind="school")
        self.event: Gathering = GatheringFactory(
            venue=FacilityFactory(region=self.almaty),
            expected_attendance=1200,
            children_involved=True,
            children_count=600,
        )
        self.start, self.end = hour(-1), hour(24 * 14)

    def derive(self) -> posts.DeriveResult:
        return posts.derive_posts(
            acting_user=self.p.planner_almaty,
            region=self.almaty,
            starts_at=self.start,
            ends_at=self.end,
        )

    def needs(self, post: Post) -> set[tuple[str, str, int]]:
        return {(n.agency.code, n.skill, n.people) for n in post.needs.select_related("agency")}

    def test_strategic_utility_and_event_posts_by_the_norms(self) -> None:
        result = self.derive()
        self.assertEqual(result.created, 4)
        strategic = Post.objects.get(derived_from=f"facility:{self.station.pk}:strategic")
        self.assertIsNone(strategic.ends_at)
        self.assertEqual(self.needs(strategic), {("police-almaty", "", 2)})
        self.assertEqual(
            self.needs(Post.objects.get(derived_from=f"facility:{self.substation.pk}:utility")),
            {("energy-almaty", "electrician", 2)},
        )
        event_post = Post.objects.get(gathering=self.event)
        self.assertEqual(event_post.starts_at, self.event.starts_at - dt.timedelta(hours=1))
        self.assertEqual(event_post.ends_at, self.event.ends_at + dt.timedelta(minutes=30))
        self.assertEqual(
            self.needs(event_post),
            {
                ("police-almaty", "", 12),  # children's event: one per 100
                ("des-almaty", "firefighter", 4),
                ("health-almaty", "paramedic", 2),
            },
        )
        entry = AuditEntry.objects.filter(object_type="duty.post", action="create").first()
        assert entry is not None
        self.assertEqual(entry.actor_id, self.p.planner_almaty.pk)

    def test_rerunning_changes_nothing(self) -> None:
        self.derive()
        audits, posts_before = AuditEntry.objects.count(), list(Post.objects.values())
        again = self.derive()
        self.assertEqual((again.created, again.updated, again.removed), (0, 0, 0))
        self.assertEqual(again.unchanged, 4)
        self.assertEqual(AuditEntry.objects.count(), audits)
        self.assertEqual(list(Post.objects.values()), posts_before)

    def test_an_event_change_updates_its_post_and_a_cancellation_removes_it(self) -> None:
        self.derive()
        self.event.expected_attendance = 300
        self.event.children_involved, self.event.children_count = False, 0
        self.event.save()
        result = self.derive()
        self.assertEqual((result.created, result.updated), (0, 1))
        self.assertEqual(
            self.needs(Post.objects.get(gathering=self.event)), {("police-almaty", "", 2)}
        )
        self.event.status = "cancelled"
        self.event.save()
        self.assertEqual(self.derive().removed, 1)
        self.assertFalse(Post.objects.filter(gathering=self.event).exists())

    def test_a_norm_set_to_zero_ends_the_strategic_post_but_keeps_a_rostered_one(self) -> None:
        self.derive()
        post = Post.objects.get(derived_from=f"facility:{self.station.pk}:strategic")
        ShiftFactory(post=post, person=PersonFactory())
        Norm.objects.create(code="duty_strategic_station", region=self.almaty, value=0)
        result = self.derive()
        self.assertEqual(result.orphaned, [post.pk])
        self.assertTrue(Post.objects.filter(pk=post.pk).exists())

    def test_a_planner_of_another_region_may_not_derive(self) -> None:
        with self.assertRaises(PermissionDenied):
            posts.derive_posts(
                acting_user=self.p.planner_astana,
                region=self.almaty,
                starts_at=self.start,
                ends_at=self.end,
            )
        self.assertFalse(Post.objects.exists())

    def test_hotspot_seam_reconciles_cells_and_hours(self) -> None:
        cells = [
            posts.HotspotCell("c1", 43.24, 76.94, hour(2), hour(3), officers=2),
            posts.HotspotCell("c2", 43.25, 76.95, hour(2), hour(3), officers=1),
        ]
        args = {
            "acting_user": None,
            "region": self.almaty,
            "starts_at": hour(0),
            "ends_at": hour(6),
        }
        self.assertEqual(posts.hotspot_posts(cells=cells, **args).created, 2)
        result = posts.hotspot_posts(cells=cells[:1], **args)
        self.assertEqual((result.unchanged, result.removed), (1, 1))


class ReadinessTests(DutyTestCase):
    def set(self, level: str, starts: dt.datetime, **extra: Any) -> Readiness:
        return readiness_services.set_readiness(
            acting_user=self.p.planner_almaty,
            region=self.almaty,
            level=level,
            starts_at=starts,
            reason="Holidays",
            **extra,
        )

    def test_a_new_level_ends_the_one_in_force_and_is_audited(self) -> None:
        first = self.set("enhanced", hour(-5))
        self.set("high_alert", hour(-1))
        first.refresh_from_db()
        self.assertEqual(first.ends_at, hour(-1))
        self.assertEqual(queries.readiness_at(self.almaty, None, hour(-3)).level, "enhanced")
        state = queries.readiness_at(self.almaty, self.police)
        self.assertEqual(
            (state.level, state.staffing_multiplier, state.reserve_share), ("high_alert", 1.5, 0.25)
        )
        self.assertEqual(
            AuditEntry.objects.filter(object_type="duty.readiness", action="create").count(), 2
        )

    def test_agency_level_applies_to_that_agency_and_the_strictest_wins(self) -> None:
        self.set("enhanced", hour(-2))
        self.set("high_alert", hour(-1), agency=self.police)
        self.assertEqual(queries.readiness_at(self.almaty, self.police).level, "high_alert")
        self.assertEqual(queries.readiness_at(self.almaty, self.fire).level, "enhanced")
        self.assertEqual(queries.readiness_at(self.almaty).level, "enhanced")
        self.assertEqual(queries.readiness_at(self.p.astana).level, "normal")

    def test_an_overlapping_later_level_is_refused_and_the_reason_is_required(self) -> None:
        self.set("enhanced", hour(5))
        with self.assertRaises(ValidationError):
            self.set("high_alert", hour(1))
        with self.assertRaises(ValidationError):
            readiness_services.set_readiness(
                acting_user=None,
                region=self.almaty,
                level="enhanced",
                starts_at=hour(9),
                reason=" ",
            )

    def test_another_agency_or_region_is_refused(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.set("enhanced", hour(0), agency=self.fire)
        with self.assertRaises(PermissionDenied):
            readiness_services.set_readiness(
                acting_user=self.p.planner_almaty,
                region=self.p.astana,
                level="enhanced",
                starts_at=hour(0),
                reason="x",
            )
        self.assertFalse(Readiness.objects.exists())

    def test_readiness_raises_requirements_and_staffing_and_puts_a_reserve_on_call(self) -> None:
        post: Post = PostFactory(starts_at=hour(-1), ends_at=hour(3))
        PostNeedFactory(post=post, agency=self.police, people=3)
        ShiftFactory(post=post, starts_at=hour(-1), ends_at=hour(3))
        self.assertEqual(queries.staffing([post])[post.pk].needed, 3)
        self.set("enhanced", hour(1))
        hours = {r.hour: r.people for r in queries.requirements(self.almaty, hour(-1), hour(3))}
        self.assertEqual(hours, {hour(-1): 3, hour(0): 3, hour(1): 4, hour(2): 4})
        staffing = queries.staffing([post], now=hour(2))[post.pk]
        self.assertEqual((staffing.needed, staffing.on_shift, staffing.status), (4, 1, "partial"))
        for _ in range(19):
            PersonFactory()
        self.assertEqual(queries.reserve_on_call(self.almaty, self.police, hour(2)), 2)

    def test_ending_a_level(self) -> None:
        level = self.set("enhanced", hour(-2))
        readiness_services.end_readiness(
            acting_user=self.p.planner_almaty, readiness=level, at=hour(0)
        )
        self.assertEqual(queries.readiness_at(self.almaty, when=hour(1)).level, "normal")
        later = self.set("high_alert", hour(4))
        readiness_services.end_readiness(
            acting_user=self.p.planner_almaty, readiness=later, at=hour(0)
        )
        self.assertFalse(Readiness.objects.filter(pk=later.pk).exists())


class PersonnelTests(DutyTestCase):
    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "agency": "police-almaty",
                "personnel_number": "A1",
                "first_name": "Timur",
                "last_name": "Kassymov",
                "skills": "patrol; Driver",
                "weekly_hours": "36",
            },
            {
                "agency": "police-almaty",
                "personnel_number": "A2",
                "first_name": "Saule",
                "last_name": "Akhmetova",
            },
        ]

    def test_import_creates_then_updates_only_what_changed(self) -> None:
        result = services.import_personnel(
            acting_user=self.p.planner_almaty, region=self.almaty, rows=self.rows()
        )
        self.assertEqual((result.created, result.updated), (2, 0))
        person = Person.objects.get(personnel_number="A1")
        self.assertEqual((person.skills, person.weekly_hours), (["patrol", "driver"], 36))
        rows = self.rows()
        rows[1]["position"] = "Sergeant"
        again = services.import_personnel(acting_user=None, region=self.almaty, rows=rows)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 1, 1))
        self.assertEqual(AuditEntry.objects.filter(object_type="duty.person").count(), 3)

    def test_one_bad_row_imports_nothing_and_names_row_and_column(self) -> None:
        rows = self.rows()
        rows.append(
            {"agency": "nope", "personnel_number": "A3", "first_name": "X", "last_name": "Y"}
        )
        rows.append(
            {"agency": "des-almaty", "personnel_number": "F1", "first_name": "X", "last_name": "Y"}
        )
        with self.assertRaises(ValidationError) as caught:
            services.import_personnel(
                acting_user=self.p.planner_almaty, region=self.almaty, rows=rows
            )
        text = " ".join(caught.exception.messages)
        self.assertIn("Row 3: agency", text)
        self.assertIn("Row 4: agency", text)  # a police planner may not add firefighters
        self.assertFalse(Person.objects.exists())

    def test_absences_may_not_overlap(self) -> None:
        person = PersonFactory()
        services.add_absence(
            acting_user=self.p.planner_almaty,
            person=person,
            kind="sick",
            starts_at=hour(0),
            ends_at=hour(48),
        )
        with self.assertRaises(ValidationError):
            services.add_absence(
                acting_user=self.p.planner_almaty,
                person=person,
                kind="leave",
                starts_at=hour(24),
                ends_at=hour(72),
            )
        self.assertEqual(queries.available_personnel(self.almaty, self.police, hour(1)), 0)


class ReserveBoardTests(DutyTestCase):
    def test_the_reserve_is_formed_from_people_neither_absent_nor_on_shift(self) -> None:
        people = PersonFactory.create_batch(10, agency=self.police)
        AbsenceFactory(person=people[0], starts_at=hour(-1))
        for person in people[1:8]:
            ShiftFactory(person=person)  # on a shift that runs now
        readiness_services.set_readiness(
            acting_user=self.p.planner_almaty,
            region=self.almaty,
            level="high_alert",
            starts_at=hour(-2),
            reason="Holidays",
        )
        now = hour(0) + dt.timedelta(minutes=30)

        (row,) = queries.reserve_board([self.almaty], now)

        share = queries.readiness_at(self.almaty, self.police, now).reserve_share
        assert share > 0
        # Nine not absent; seven on a shift; two free to call against a reserve of ceil(9 × share).
        counts = (row.agency, row.available, row.on_shift, row.free)
        self.assertEqual(counts, (self.police, 9, 7, 2))
        self.assertEqual(row.reserve, queries.reserve(9, share))
        self.assertEqual(row.short, max(0, row.reserve - 2))
