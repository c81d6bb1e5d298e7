"""The production layout starts with one command and holds together (issue 15's smoke test).

``make prod`` runs the ``Procfile`` under honcho: here two web processes (gunicorn, one uvicorn
worker each, on two ports) sharing the Redis channel layer, two MQTT consumers, the task
worker and the other workers, on PostgreSQL when this machine has one (CI does) and on a
SQLite file otherwise. Checked:

- every process answers ``/readyz`` on its own port, the two web processes being two processes;
- a call reported through either web process reaches, by push over the WebSocket, a browser
  whose map is held by the other one (the shared channel layer);
- a request's id (``X-Request-ID``) is in the structured (JSON) log line of that request;
- a web worker killed with SIGKILL and an MQTT consumer killed with SIGKILL come back by
  themselves, answering ``/readyz`` again as new processes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from saqshy.core.testing.live import (
    DISPATCHER_SEED,
    ROOT,
    api_token,
    browser_page,
    report_fire,
    require_chromium,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

# Process types in the Procfile's order: honcho gives type i, copy c the port base + 100*i + c.
WORKERS = ["ingest1", "ingest2", "tasks", "health", "escalations", "cap"]
PROCFILE_TYPES = ["web", *WORKERS]


def _port_of(kind: str, base: int, copy: int = 0) -> int:
    return base + 100 * PROCFILE_TYPES.index(kind) + copy


def _free_base() -> int:
    """A base port whose whole block (base + 100*i + c) is free now, below the kernel's
    ephemeral ports (32768 up): the database is migrated before the layout starts, and
    meanwhile any outgoing connection or another test's server (``free_port``) could take
    a port of a block chosen among them."""
    top = 32768 - 100 * len(PROCFILE_TYPES) - 10
    for _ in range(50):
        base = 20000 + 10 * (uuid.uuid4().int % ((top - 20000) // 10))
        ports = [base + 100 * i + c for i in range(len(PROCFILE_TYPES)) for c in range(2)]
        try:
            for port in ports:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free block of ports")


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _redis_url() -> str:
    url = os.environ.get("REDIS_TEST_URL") or "redis://127.0.0.1:6379/15"
    if not _answers("127.0.0.1", 6379) and "127.0.0.1" in url:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running in CI (.ci/run starts it)")
        pytest.skip(reason="no Redis at 127.0.0.1:6379: the layout's channel layer needs one")
    return url


def _database(work: Path) -> tuple[str, str | None]:
    """PostgreSQL (a scratch database) when this machine runs one, else a SQLite file."""
    if _answers("127.0.0.1", 5432):
        name = f"saqshy_layout_{uuid.uuid4().hex[:10]}"
        return f"postgres://postgres@127.0.0.1:5432/{name}", name
    return f"sqlite:///{work / 'db.sqlite3'}", None


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def _ready(base_url: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, body = _get(f"{base_url}/readyz")
            if status == 200:
                return dict(body)
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{base_url}/readyz did not answer 200 within {timeout:.0f} s")


@dataclass
class Layout:
    base: int
    log: Path

    def url(self, kind: str = "web", copy: int = 0) -> str:
        return f"http://127.0.0.1:{_port_of(kind, self.base, copy)}"


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layout]:
    require_chromium()
    redis_url = _redis_url()
    work = tmp_path_factory.mktemp("layout")
    database_url, pg_name = _database(work)
    base = _free_base()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAKE", "MFLAGS", "PYTEST_", "DJANGO_SETTINGS"))
    }
    env.update(
        SAQSHY_VAR_DIR=str(work),
        REDIS_PREFIX=f"layout-{uuid.uuid4().hex[:8]}",
        INGEST_CLIENT_PREFIX=f"saqshy-layout-test-{uuid.uuid4().hex[:8]}",
        INGEST_SESSION_EXPIRY="60",
    )
    prepare = {
        **env,
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "saqshy.settings",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "deploy/create_database.py"], env=prepare, cwd=ROOT, check=True)
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], env=prepare, cwd=ROOT, check=True
    )
    subprocess.run(
        [python, "manage.py", "shell", "-c", DISPATCHER_SEED], env=prepare, cwd=ROOT, check=True
    )
    log = work / "layout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "prod",
                f"PORT={base}",
                "WEB=2",
                "WEB_CONCURRENCY=1",
                f"PROD_DATABASE_URL={database_url}",
                f"PROD_REDIS_URL={redis_url}",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Layout(base=base, log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        if pg_name:
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)",
                ],
                check=False,
            )


def test_every_process_is_ready_and_the_web_processes_are_two(layout: Layout) -> None:
    web = [_ready(layout.url("web", copy), 120) for copy in (0, 1)]
    assert web[0]["checks"] == {"database": "ok", "redis": "ok"}
    assert web[0]["pid"] != web[1]["pid"]
    for kind in WORKERS:
        body = _ready(layout.url(kind), 60)
        assert body["status"] == "ok", (kind, body)
        assert set(body["checks"]) >= {"database"}, (kind, body)
    assert _ready(layout.url("ingest1"), 5)["checks"]["broker"] == "ok"


def test_a_call_through_either_web_process_reaches_a_map_held_by_the_other(
    layout: Layout,
) -> None:
    first, second = layout.url("web", 0), layout.url("web", 1)
    _ready(first, 120)
    _ready(second, 120)
    token = api_token(second, "dispatcher_astana")
    with browser_page(locale="en-GB") as page:
        frames: list[str] = []
        listen: Any = page.on
        listen("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
        sign_in(page, first, "dispatcher_astana", "pw-dispatcher_astana")
        for holder, writer in ((first, second), (second, first)):
            frames.clear()
            page.goto(f"{holder}/")
            page.wait_for_function("() => document.body.dataset.live === '1'", timeout=30000)
            request_id = f"layout-smoke-{uuid.uuid4().hex[:12]}"
            address = f"Reported through {writer}"
            incident_id = report_fire(writer, token, address, {"X-Request-ID": request_id})
            page.wait_for_function(
                """id => document.querySelector(`.inc[data-incident-id="${id}"]`)""",
                arg=incident_id,
                timeout=10000,
            )
            pushed = [json.loads(f) for f in frames if isinstance(f, str) and f.startswith("{")]
            assert any(m.get("type") == "change" and m.get("id") == incident_id for m in pushed), (
                f"no push of incident {incident_id} on the socket held by {holder}"
            )
            _logged(layout.log, request_id, "/api/incidents/")
        assert not [e for e in page.errors if "favicon" not in e], page.errors


def _logged(log: Path, request_id: str, path: str) -> None:
    """The request's structured log line names its id, path and status."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            text = re.sub(r"^\S+ \S+\s*\| ", "", line)  # honcho's "time name | " prefix
            if request_id in text and text.startswith("{"):
                entry = json.loads(text)
                if entry.get("logger") == "saqshy.request":
                    assert entry["request_id"] == request_id
                    assert entry["path"] == path and entry["status"] == 201
                    assert entry["process"] == "web" and entry["duration_ms"] > 0
                    return
        time.sleep(0.5)
    raise AssertionError(f"no JSON log line of request {request_id}")


@pytest.mark.parametrize("kind", ["web", "ingest1"])
def test_a_killed_process_comes_back_by_itself(layout: Layout, kind: str) -> None:
    before = _ready(layout.url(kind), 120)
    os.kill(before["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, body = _get(f"{layout.url(kind)}/readyz")
        except OSError:
            status, body = 0, None
        if status == 200 and body["pid"] != before["pid"]:
            return
        time.sleep(0.5)
    raise AssertionError(f"{kind} did not come back within 60 s")
