"""How a plan run reaches the task queue now that the run services never import the task:
the duty app registers the task's ``enqueue``, and a run that cannot be queued is marked failed
with the reason instead of staying queued for ever."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.duty.models import PlanRun
from saqshy.duty.rosters import plans, tasks
from saqshy.duty.tests.factories import hour


def test_the_app_hands_the_plan_task_to_the_run_services() -> None:
    assert plans._runner == tasks.run_plan.enqueue


class RunQueueTests(PersonaTestCase):
    def request(self) -> PlanRun:
        with self.captureOnCommitCallbacks(execute=True):
            run = plans.request_run(
                acting_user=self.personas.planner_almaty,
                region=self.personas.almaty,
                starts_at=hour(0),
                ends_at=hour(0) + dt.timedelta(hours=6),
            )
        run.refresh_from_db()
        return run

    def test_the_queued_task_id_is_noted_on_the_run(self) -> None:
        queued = mock.Mock(return_value=mock.Mock(id="task-7"))
        with mock.patch.object(plans, "_runner", queued):
            run = self.request()
        queued.assert_called_once_with(run.pk)
        self.assertEqual((run.status, run.task_id), ("queued", "task-7"))

    def test_a_queue_that_is_down_fails_the_run_with_the_reason(self) -> None:
        def down(_run_id: int) -> Any:
            raise ConnectionError("queue unreachable")

        with mock.patch.object(plans, "_runner", down):
            run = self.request()
        self.assertEqual(run.status, "failed")
        self.assertIn("queue unreachable", run.message)

    def test_without_a_registered_runner_the_run_fails_instead_of_waiting(self) -> None:
        with mock.patch.object(plans, "_runner", None):
            run = self.request()
        self.assertEqual(run.status, "failed")
        self.assertIn("no plan run runner is registered", run.message)
