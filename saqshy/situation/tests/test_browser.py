"""End to end in Debian's Chromium: sign in, see the map, switch to Kazakh, watch a live change.

The server is the real ASGI application under uvicorn, in its own process with its own
SQLite database, exactly as ``make demo`` runs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEED = """
from saqshy.core.testing.personas import make_personas
from saqshy.facilities import services
p = make_personas()
for n, (lat, lon) in enumerate([(51.128, 71.430), (51.09, 71.41), (51.16, 71.47)]):
    services.create_facility(acting_user=None, kind="school", name=f"School {n}", lat=lat, lon=lon)
services.create_facility(
    acting_user=None, kind="mall", name="Khan Shatyr", lat=51.1325, lon=71.4036
)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI; `make test` installs it")
        pytest.skip(reason="chromium is not installed here (make test installs it)")
    work = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "SAQSHY_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "saqshy.settings",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "shell", "-c", SEED], env=env, check=True, cwd=ROOT)
    port = _free_port()
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


def _api_token(url: str, username: str) -> str:
    body = json.dumps({"username": username, "password": f"pw-{username}"}).encode()
    request = urllib.request.Request(
        f"{url}/api/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        token: str = json.load(response)["token"]
    return token


def _create_facility(url: str, token: str, name: str) -> int:
    body = json.dumps({"kind": "stadium", "name": name, "lat": 51.108, "lon": 71.402}).encode()
    request = urllib.request.Request(
        f"{url}/api/facilities/",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        created: int = json.load(response)["id"]
    return created


def test_map_login_language_and_live_update(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with translation.override("kk"):
        kazakh_title = translation.gettext("Situation map")
        kazakh_facilities = translation.gettext("Facilities")
    assert kazakh_title != "Situation map", "the Kazakh catalogue is not compiled"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{server}/")
        page.fill("#id_username", "dispatcher_astana")
        page.fill("#id_password", "pw-dispatcher_astana")
        page.click('form[action$="/login/"] button[type=submit]')
        page.wait_for_url(f"{server}/")
        try:
            page.wait_for_function("document.getElementById('map').dataset.markers === '4'")
        finally:
            assert not errors, errors
        expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
        page.wait_for_function("document.body.dataset.live === '1'")
        page.screenshot(path=str(tmp_path / "map-en.png"))

        page.click("button[data-lang=kk]")
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        expect(page).to_have_title(re.compile(re.escape(kazakh_title)))
        expect(page.locator(".mainnav")).to_contain_text(kazakh_title)
        expect(page.locator(".panel h2")).to_have_text(kazakh_facilities)
        page.wait_for_function("document.getElementById('map').dataset.markers === '4'")
        page.wait_for_function("document.body.dataset.live === '1'")

        page.evaluate("window.__stillTheSamePage = true")
        token = _api_token(server, "planner_astana")
        _create_facility(server, token, "Astana Arena")
        page.wait_for_function(
            "document.getElementById('map').dataset.markers === '5'", timeout=5000
        )
        expect(page.locator("#feed")).to_contain_text("Astana Arena")
        assert page.evaluate("window.__stillTheSamePage") is True
        page.screenshot(path=str(tmp_path / "map-kk.png"))
        browser.close()
