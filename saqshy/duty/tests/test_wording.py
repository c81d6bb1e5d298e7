"""Generated post names, skills and solver results in the reader's language."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import translation

from saqshy.duty import names, posts, wording
from saqshy.duty.models import Post
from saqshy.duty.tests.factories import hour
from saqshy.duty.tests.test_services import DutyTestCase


class PostNameTests(DutyTestCase):
    def test_a_hotspot_post_is_named_by_code_and_read_in_each_language(self) -> None:
        cells = [posts.HotspotCell("c7", 43.24, 76.94, hour(2), hour(3), officers=2)]
        with translation.override("kk"):  # the writer's language does not matter
            posts.hotspot_posts(
                acting_user=None,
                region=self.almaty,
                cells=cells,
                starts_at=hour(0),
                ends_at=hour(6),
            )
        post = Post.objects.get(derived_from__startswith="hotspot:c7")
        self.assertEqual((post.name_code, post.name_params), ("post.hotspot", {"cell": "c7"}))
        self.assertEqual(post.name, "Hotspot c7")
        shown = {}
        for language in ("en", "kk", "ru"):
            with translation.override(language):
                shown[language] = post.display_name
        self.assertEqual(shown["en"], "Hotspot c7")
        self.assertNotIn("Hotspot", shown["kk"])
        self.assertNotIn("Hotspot", shown["ru"])
        self.assertIn("c7", shown["ru"])
        # Re-deriving in another language changes nothing.
        with translation.override("ru"):
            result = posts.hotspot_posts(
                acting_user=None,
                region=self.almaty,
                cells=cells,
                starts_at=hour(0),
                ends_at=hour(6),
            )
        self.assertEqual(result.unchanged, 1)

    def test_an_unnamed_utility_site_gets_a_translated_repair_crew_name(self) -> None:
        from saqshy.facilities.tests.factories import FacilityFactory

        site = FacilityFactory(region=self.almaty, kind="water_utility", name="")
        with translation.override("kk"):
            posts.derive_posts(
                acting_user=None, region=self.almaty, starts_at=hour(0), ends_at=hour(24)
            )
        post = Post.objects.get(derived_from=f"facility:{site.pk}:utility")
        self.assertEqual(post.name_code, "post.repair_crew")
        self.assertEqual(post.name, f"Repair crew: Water utility #{site.pk}")
        with translation.override("ru"):
            russian = post.display_name
        self.assertIn(f"#{site.pk}", russian)
        self.assertNotIn("Water", russian)
        self.assertNotIn("Repair", russian)

    def test_the_data_step_codes_old_generated_names(self) -> None:
        import importlib

        from django.apps import apps as django_apps

        from saqshy.duty.tests.factories import PostFactory

        step = importlib.import_module("saqshy.duty.migrations.0004_post_name_codes")
        hotspot = PostFactory(name="Hotspot 8812", derived_from="hotspot:8812:2026120100")
        by_hand = PostFactory(name="Hotspot 8812 (by hand)")
        step.codes_from_names(django_apps, None)
        hotspot.refresh_from_db()
        by_hand.refresh_from_db()
        self.assertEqual(
            (hotspot.name_code, hotspot.name_params), ("post.hotspot", {"cell": "8812"})
        )
        self.assertEqual(by_hand.name_code, "")

    def test_old_generated_names_are_recognised(self) -> None:
        self.assertEqual(
            names.parse_name("Repair crew: TPP-2"),
            ("post.repair_crew", {"site": {"kk": "TPP-2", "ru": "TPP-2", "en": "TPP-2"}}),
        )
        self.assertEqual(names.parse_name("Hotspot 812"), ("post.hotspot", {"cell": "812"}))
        self.assertIsNone(names.parse_name("Baiterek, north gate"))


class WordingTests(DutyTestCase):
    def test_skill_codes_read_as_words(self) -> None:
        with translation.override("ru"):
            label = wording.skill_label("heating_fitter")
        self.assertNotIn("_", label)
        self.assertNotEqual(label, "heating fitter")
        self.assertEqual(wording.skill_label("forklift_b2"), "forklift_b2")

    def test_solver_results_in_planners_words(self) -> None:
        run = SimpleNamespace(
            needed_hours=500, staffed_hours=490, solver_status="FEASIBLE", gap=0.03
        )
        self.assertEqual(
            wording.plan_result(run),
            "All posts staffed except 10 person-hours; "
            "the best possible plan is at most 3 % better.",
        )
        optimal = SimpleNamespace(needed_hours=5, staffed_hours=5, solver_status="OPTIMAL", gap=0)
        self.assertEqual(wording.plan_result(optimal), "All posts staffed; no better plan exists.")
        for language in ("kk", "ru"):
            with translation.override(language):
                text = wording.plan_result(run)
                status = wording.solver_status_label("FEASIBLE")
            self.assertIn("10", text)
            self.assertIn("3", text)
            self.assertNotIn("posts", text)
            self.assertNotIn("FEASIBLE", status)


class PlanRunLineTests(DutyTestCase):
    def test_progress_lines_are_stored_as_codes_and_read_in_each_language(self) -> None:
        from saqshy.duty.models import PlanRun
        from saqshy.duty.rosters import plans

        run = PlanRun.objects.create(region=self.almaty, starts_at=hour(0), ends_at=hour(24))
        district = {"kk": "Медеу ауданы", "ru": "Медеуский район", "en": "Medeu District"}
        with translation.override("kk"):
            plans.progress(run, 40, wording.RUN_STAGE_TWO.text(district=district, n=2, total=8))
        run.refresh_from_db()
        self.assertEqual(run.message_code, "planrun.stage_two")
        self.assertEqual(run.message, "Stage two: the roster of Medeu District (2 of 8).")
        with translation.override("ru"):
            russian = run.display_message
            payload = plans.run_payload(run)
        self.assertIn("Медеуский район", russian)
        self.assertNotIn("Stage", russian)
        self.assertEqual(payload["message"], russian)
        self.assertEqual(payload["message_params"]["n"], 2)

    def test_an_older_runs_english_line_is_translated_through_the_catalogue(self) -> None:
        from saqshy.duty.models import PlanRun

        run = PlanRun.objects.create(
            region=self.almaty, starts_at=hour(0), ends_at=hour(24), message="Done."
        )
        with translation.override("kk"):
            self.assertNotEqual(run.display_message, "Done.")


class ExportTests(DutyTestCase):
    """The roster's PDF and iCalendar speak the reader's language and write dd.mm.yyyy, 24 h."""

    def setUp(self) -> None:
        super().setUp()
        from saqshy.duty.tests.factories import PostFactory, ShiftFactory

        self.post = PostFactory(
            name="Hotspot 77", name_code="post.hotspot", name_params={"cell": "77"}
        )
        # 31.12.2026 18:00 – 01.01.2027 02:00 in Almaty (UTC+5)
        start = dt.datetime(2026, 12, 31, 13, 0, tzinfo=dt.UTC)
        self.shift: Any = ShiftFactory(
            post=self.post,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
            skill="heating_fitter",
        )

    def test_pdf_page_in_kazakh(self) -> None:
        from django.template.loader import render_to_string
        from django.utils import timezone

        from saqshy.duty.rosters import exports

        with translation.override("kk"):
            html = render_to_string(
                "duty/post_roster_print.html",
                {
                    "post": self.post,
                    "days": exports.post_roster_days(self.post, [self.shift]),
                    "now": timezone.now(),
                },
            )
            name, skill = self.post.display_name, wording.skill_label("heating_fitter")
        self.assertIn(name, html)
        self.assertIn("31.12.2026", html)
        self.assertIn("31.12 18:00", html)
        self.assertIn(skill, html)
        self.assertNotIn("heating_fitter", html)
        self.assertNotIn("Hotspot", html)
        self.assertNotRegex(html, r"\b(AM|PM)\b")

    def test_calendar_in_russian(self) -> None:
        from icalendar import Calendar

        from saqshy.duty.rosters import exports

        with translation.override("ru"):
            data = exports.person_calendar(self.shift.person, [self.shift])
            name = self.post.display_name
        event = next(iter(Calendar.from_ical(data).walk("VEVENT")))
        self.assertIn(name, str(event["summary"]))
        self.assertNotIn("Hotspot", str(event["summary"]))
        description = str(event["description"])
        self.assertIn("31.12.2026 18:00 – 01.01.2027 02:00", description)
        self.assertNotIn("heating_fitter", description)


class PatrolPlanNameTests(DutyTestCase):
    def test_a_generated_patrol_plan_name_reads_in_each_language(self) -> None:
        import importlib

        from django.apps import apps as django_apps

        from saqshy.duty.models import PatrolPlan

        old = PatrolPlan.objects.create(
            region=self.almaty,
            name="Patrols from 31.12.2026 22:00",
            starts_at=hour(0),
            ends_at=hour(8),
            seed=1,
        )
        given = PatrolPlan.objects.create(
            region=self.almaty,
            name="Night of the derby",
            starts_at=hour(0),
            ends_at=hour(8),
            seed=2,
        )
        step = importlib.import_module("saqshy.duty.migrations.0006_patrol_plan_name_codes")
        step.codes_from_names(django_apps, None)
        old.refresh_from_db()
        given.refresh_from_db()
        self.assertEqual(old.name_code, "patrolplan.from")
        self.assertEqual(old.name, "Patrols from 31.12.2026 22:00")
        self.assertEqual(given.name_code, "")
        with translation.override("ru"):
            self.assertNotIn("Patrols", old.display_name)
            self.assertIn("31.12.2026 22:00", old.display_name)
            self.assertEqual(given.display_name, "Night of the derby")


class ShortPlanWordingTests(DutyTestCase):
    def test_a_plan_far_from_staffed_is_not_called_all_staffed(self) -> None:
        run = SimpleNamespace(
            needed_hours=7764, staffed_hours=144, solver_status="UNKNOWN", gap=None
        )
        self.assertEqual(
            wording.plan_result(run),
            "Only 144 of 7764 person-hours staffed; no plan found in time.",
        )


class PlanRunPageTests(DutyTestCase):
    def test_a_finished_run_reads_in_russian(self) -> None:
        from django.urls import reverse

        from saqshy.algorithms.optimise.staffing import CAPACITY
        from saqshy.duty.models import PlanRun
        from saqshy.duty.tests.factories import PostFactory

        self.police.name_ru, self.police.name_en = "Полиция Алматы", "Almaty police"
        self.police.save()
        post = PostFactory(name="Hotspot 5", name_code="post.hotspot", name_params={"cell": "5"})
        gap = {
            "source": "roster",
            "district": None,
            "post": post.pk,
            "post_name": "Hotspot 5",
            "agency": self.police.code,
            "agency_name": "Almaty police",
            "skill": "heating_fitter",
            "starts_at": hour(2).isoformat(),
            "ends_at": hour(3).isoformat(),
            "needed": 2,
            "staffed": 1,
            "short_hours": 1,
            "reason": CAPACITY,
            "available": 1,
            "asked": 2,
            "skills": ["heating_fitter"],
        }
        run = PlanRun.objects.create(
            region=self.almaty,
            starts_at=hour(0),
            ends_at=hour(24),
            status="done",
            progress=100,
            message="Done.",
            message_code="planrun.done",
            solver_status="FEASIBLE",
            gap=0.03,
            objective=100,
            best_bound=97,
            needed_hours=500,
            staffed_hours=490,
            coverage=0.98,
            gaps=[gap],
            gap_spans=1,
            summary={
                "agencies": [
                    {
                        "agency": self.police.code,
                        "name": "Almaty police",
                        "needed_hours": 500,
                        "staffed_hours": 490,
                        "people_rostered": 9,
                    }
                ],
                "districts": [],
            },
        )
        self.client.force_login(self.p.planner_almaty)
        page = self.client.get(
            reverse("duty:plan-run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
        with translation.override("ru"):
            expected = [
                wording.plan_result(run),
                post.display_name,
                wording.skill_label("heating_fitter"),
                wording.solver_status_label("FEASIBLE"),
            ]
        for text in [*expected, "Полиция Алматы"]:
            self.assertIn(text, page)
        for english in ("Almaty police", "heating_fitter", "FEASIBLE", "Hotspot", "Optimality"):
            self.assertNotIn(english, page)
