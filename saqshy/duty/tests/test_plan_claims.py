"""A plan run is computed once, and its roster is written only over the rows it read."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.test import override_settings

from saqshy.algorithms import optimise as opt
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty.models import PlanRun, Shift
from saqshy.duty.rosters import plans, tasks
from saqshy.duty.tests.test_plans import IMMEDIATE, make_region_staff


@override_settings(TASKS=IMMEDIATE)
class PlanClaimTests(PersonaTestCase):
    def setUp(self) -> None:
        self.s = make_region_staff(self.personas.almaty)
        self.run = plans.request_run(
            acting_user=self.personas.planner_almaty,
            region=self.personas.almaty,
            starts_at=self.s["start"],
            ends_at=self.s["end"],
            time_limit_s=5,
            queue=False,
        )

    def test_a_run_claimed_by_another_worker_is_not_computed_again(self) -> None:
        PlanRun.objects.filter(pk=self.run.pk).update(status="running")
        result = tasks.execute(self.run.pk)
        self.assertEqual(result["status"], "running")
        self.assertFalse(Shift.objects.exists())

    def test_a_second_execute_of_a_done_run_writes_nothing(self) -> None:
        self.assertEqual(tasks.execute(self.run.pk)["status"], "done")
        written = set(Shift.objects.values_list("pk", "updated_at"))
        self.assertEqual(tasks.execute(self.run.pk)["status"], "done")
        self.assertEqual(set(Shift.objects.values_list("pk", "updated_at")), written)

    def test_a_roster_changed_during_the_run_is_not_overwritten(self) -> None:
        officer = self.s["officers"][0]
        real = opt.solve_roster
        hand: list[Shift] = []

        def solve_while_someone_edits(problem: Any) -> Any:
            if not hand:
                hand.append(
                    Shift.objects.create(
                        person=officer,
                        post=self.s["gate"],
                        starts_at=self.s["start"],
                        ends_at=self.s["start"] + dt.timedelta(hours=8),
                    )
                )
            return real(problem)

        with (
            mock.patch.object(tasks.opt, "solve_roster", side_effect=solve_while_someone_edits),
            self.assertRaises(Conflict),
        ):
            tasks.execute(self.run.pk)
        run = PlanRun.objects.get(pk=self.run.pk)
        self.assertEqual(run.status, "failed")
        self.assertIn("roster was changed", run.message)
        self.assertEqual(list(Shift.objects.values_list("pk", flat=True)), [hand[0].pk])
