"""A real server for browser tests: migrate a fresh SQLite database, seed it, run uvicorn.

The server runs in its own process exactly as ``make demo`` runs it, so a browser test walks
the same ASGI application, static files and WebSocket a user does.

Migrating takes seconds and some seeds tens of seconds, so a test process keeps what it made:
the migrated database once, and each seed's result once (by the seed's text); a server's own
folder starts as a copy of them and every server still writes only to its own copy.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI; `make test` installs it")
        pytest.skip(reason="chromium is not installed here (make test installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(work: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "SAQSHY_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "saqshy.settings",
    }
    env.pop("REDIS_URL", None)
    return env


_MANAGE = [sys.executable, str(ROOT / "manage.py")]
_made: dict[str, Path] = {}


def _kept() -> Path:
    """This process's folder of migrated and seeded databases, removed when it exits."""
    if "" not in _made:
        folder = Path(tempfile.mkdtemp(prefix="saqshy-live-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _made[""] = folder
    return _made[""]


def _copy(source: Path, work: Path) -> None:
    for item in source.iterdir():
        target = work / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)


def _prepare(work: Path, seed: str) -> None:
    """Fill ``work`` with a migrated database that ``seed`` has run on (made once per seed)."""
    key = hashlib.sha256(seed.encode()).hexdigest()[:16]
    if key not in _made:
        if "migrated" not in _made:
            migrated = _kept() / "migrated"
            migrated.mkdir()
            subprocess.run(
                [*_MANAGE, "migrate", "--noinput", "-v0"],
                env=_environment(migrated),
                check=True,
                cwd=ROOT,
            )
            _made["migrated"] = migrated
        seeded = _kept() / key
        seeded.mkdir()
        _copy(_made["migrated"], seeded)
        subprocess.run(
            [*_MANAGE, "shell", "-c", seed], env=_environment(seeded), check=True, cwd=ROOT
        )
        _made[key] = seeded
    _copy(_made[key], work)


@contextmanager
def live_server(work: Path, seed: str, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the base URL of a fresh server whose database ``seed`` (Python) has filled;
    ``settings``: environment variables of the server's process only."""
    env = {**_environment(work), **(settings or {})}
    _prepare(work, seed)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "saqshy.asgi:application",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def browser_page(**options: Any) -> Iterator[Any]:
    """A Chromium page that records console errors in ``page.errors``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(**{"viewport": {"width": 1280, "height": 800}, **options})
        page.errors = []
        listen: Any = page.on
        listen("pageerror", lambda error: page.errors.append(str(error)))
        listen("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        try:
            yield page
        finally:
            browser.close()


def sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click('form[action$="/login/"] button[type=submit]')
    page.wait_for_load_state()


# A dispatcher in Astana with one patrol car on the map: the seed of the live-map tests.
DISPATCHER_SEED = """
from django.utils import timezone
from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import make_personas
from saqshy.demo import loader
from saqshy.incidents import services
loader.load_regions()
p = make_personas()
police = Agency.objects.get(grants__user=p.dispatcher_astana)
unit = services.create_unit(
    acting_user=None, call_sign="P-1", kind="patrol_car", agency=police, region=p.astana
)
services.record_position(acting_user=None, unit=unit, lat=51.1260, lon=71.4340, at=timezone.now())
"""


def api_token(url: str, username: str) -> str:
    """An API token of a persona (password ``pw-<username>``)."""
    import json

    request = urllib.request.Request(
        f"{url}/api/auth/token/",
        data=json.dumps({"username": username, "password": f"pw-{username}"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        token: str = json.load(response)["token"]
    return token


def report_fire(url: str, token: str, address: str, headers: dict[str, str] | None = None) -> int:
    """Report a fire in central Astana through the API; the new incident's id."""
    import json

    request = urllib.request.Request(
        f"{url}/api/incidents/",
        data=json.dumps(
            {
                "type": "fire",
                "priority": 1,
                "source": "call_101",
                "lat": 51.1282,
                "lon": 71.4305,
                "address": address,
            }
        ).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Token {token}",
            **(headers or {}),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        incident_id: int = json.load(response)["id"]
    return incident_id
