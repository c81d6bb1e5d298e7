"""The worker loop and compare-and-set claims."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from saqshy.core.worker import Stop, claim, claim_one, run, worker_name

pytestmark = pytest.mark.django_db  # the loop closes stale connections between steps


def test_run_calls_the_step_until_told_and_outlives_a_failure() -> None:
    stop = Stop()
    outcomes = iter([2, RuntimeError("database restarting"), 0, 3])
    calls: list[int] = []

    def step() -> int:
        calls.append(1)
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        if len(calls) == 4:
            stop.set()
        return outcome

    done = run(step, name="test", idle_seconds=0, error_seconds=0, stop=stop)
    assert (done, len(calls)) == (5, 4)


def test_run_stops_after_max_steps() -> None:
    assert run(lambda: 1, name="test", max_steps=3, idle_seconds=0) == 3


def test_a_set_stop_runs_no_step() -> None:
    stop = Stop()
    stop.set()
    assert run(lambda: 1 / 0, name="test", stop=stop) == 0


def test_worker_names_differ_by_prefix() -> None:
    assert worker_name("ingest").startswith("ingest@")
    assert worker_name("ingest") != worker_name("health")


def test_only_one_claimant_wins_a_row() -> None:
    user = get_user_model().objects.create(username="row")
    rows = get_user_model().objects.filter(pk=user.pk)
    assert claim(rows, field="first_name", expected="", value="worker-a", last_name="a") == 1
    assert claim(rows, field="first_name", expected="", value="worker-b", last_name="b") == 0
    assert not claim_one(
        get_user_model(), user.pk, field="first_name", expected="", value="worker-c"
    )
    assert claim_one(get_user_model(), user.pk, field="first_name", expected="worker-a", value="")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("", "a")
