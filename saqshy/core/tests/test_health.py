"""Health and readiness of each process, structured logs, and the respawning supervisor."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from saqshy.core import health, logs, respawn
from saqshy.core.context import reset_request_id, set_request_id
from saqshy.core.testing.live import free_port
from saqshy.core.worker import Stop, run


def _fetch(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.django_db
def test_web_process_is_alive_and_ready_without_signing_in(client: Client) -> None:
    alive = client.get("/healthz")
    assert alive.status_code == 200 and alive.json()["status"] == "ok"
    assert alive["Cache-Control"] == "no-store"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_a_web_process_whose_redis_is_gone_is_alive_but_not_ready(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "failing"
    assert body["checks"]["redis"].startswith("redis: ")
    assert body["checks"]["database"] == "ok"


def test_heartbeat_goes_stale() -> None:
    beat = health.Heartbeat(stale_seconds=0.05)
    assert beat.check() is None
    time.sleep(0.1)
    assert "no turn" in (beat.check() or "")
    beat.beat()
    assert beat.check() is None


@pytest.mark.django_db(transaction=True)
def test_a_worker_answers_on_its_health_port_while_its_loop_turns() -> None:
    port = free_port()
    stop = Stop()
    broker = {"up": True}
    thread = threading.Thread(
        target=run,
        args=(lambda: 0,),
        kwargs={
            "name": "probe",
            "idle_seconds": 0.05,
            "stop": stop,
            "health_port": port,
            "ready": {"broker": lambda: None if broker["up"] else "broker: not connected"},
        },
        daemon=True,
    )
    thread.start()
    try:
        for _ in range(50):
            try:
                status, body = _fetch(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert body["process"] == "probe"
        assert body["checks"] == {"loop": "ok", "database": "ok", "broker": "ok"}
        broker["up"] = False
        status, body = _fetch(f"http://127.0.0.1:{port}/readyz")
        assert (status, body["checks"]["broker"]) == (503, "broker: not connected")
        # Alive all the same: the supervisor must not restart it for the broker's sake.
        assert _fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nothing", timeout=5)
        assert missing.value.code == 404
    finally:
        stop.set()
        thread.join(timeout=5)


def test_json_log_lines_carry_the_request_id_and_extras() -> None:
    record = logging.LogRecord("saqshy.request", logging.INFO, __file__, 1, "GET %s", ("/",), None)
    record.status = 200
    token = set_request_id("req-42")
    try:
        assert logs.RequestIdFilter().filter(record)
        entry = json.loads(logs.JsonFormatter().format(record))
    finally:
        reset_request_id(token)
    assert entry["request_id"] == "req-42"
    assert entry["message"] == "GET /"
    assert entry["status"] == 200
    assert entry["level"] == "INFO" and entry["logger"] == "saqshy.request"
    assert entry["ts"].endswith("+00:00")


@pytest.mark.django_db
@override_settings(SAQSHY_REQUEST_LOG=True)
def test_each_request_is_logged_once_with_its_id(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="saqshy.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="probe-7")
    assert response["X-Request-ID"] == "probe-7"
    lines = [r for r in caplog.records if r.name == "saqshy.request"]
    assert len(lines) == 1
    assert (lines[0].path, lines[0].status, lines[0].request_id) == ("/healthz", 200, "probe-7")


def test_respawn_waits_longer_after_quick_failures_and_resets_after_a_long_run() -> None:
    assert respawn.next_pause(0.5, 0.1) == 1.0
    assert respawn.next_pause(16.0, 0.1) == respawn.LONGEST_PAUSE
    assert respawn.next_pause(30.0, 120.0) == respawn.FIRST_PAUSE


def test_respawn_starts_a_dead_command_again_and_stops_on_sigterm(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    script = f"open({str(starts)!r}, 'a').write('x'); import sys; sys.exit(3)"
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "saqshy.core.respawn", sys.executable, "-c", script],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while (
            time.monotonic() < deadline and len(starts.read_text() if starts.exists() else "") < 2
        ):
            time.sleep(0.1)
        assert len(starts.read_text()) >= 2
    finally:
        supervisor.terminate()
        _, err = supervisor.communicate(timeout=10)
    assert supervisor.returncode is not None
    assert b"exited with 3" in err
