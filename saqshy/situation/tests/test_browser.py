"""End to end in Debian's Chromium: sign in, see the map, switch to Kazakh, watch a live change.

The server is the real ASGI application under uvicorn, in its own process with its own
SQLite database, exactly as ``make demo`` runs it.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from saqshy.core.testing.live import browser_page, live_server, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("live"), SEED) as url:
        yield url


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
    from playwright.sync_api import expect

    with translation.override("kk"):
        kazakh_title = translation.gettext("Situation map")
        kazakh_panel = translation.gettext("Situation")
    assert kazakh_title != "Situation map", "the Kazakh catalogue is not compiled"

    with browser_page(locale="en-GB") as page:
        errors = page.errors
        page.goto(f"{server}/")
        page.fill("#id_username", "dispatcher_astana")
        page.fill("#id_password", "pw-dispatcher_astana")
        page.click('form[action$="/login/"] button[type=submit]')
        page.wait_for_url(f"{server}/")
        try:
            page.wait_for_function("() => document.getElementById('map').dataset.markers === '4'")
        finally:
            assert not errors, errors
        expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
        page.wait_for_function("() => document.body.dataset.live === '1'")
        page.screenshot(path=str(tmp_path / "map-en.png"))

        page.click("button[data-lang=kk]")
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        expect(page).to_have_title(re.compile(re.escape(kazakh_title)))
        expect(page.locator(".mainnav")).to_contain_text(kazakh_title)
        expect(page.locator(".panel h2")).to_have_text(kazakh_panel)
        page.wait_for_function("() => document.getElementById('map').dataset.markers === '4'")
        page.wait_for_function("() => document.body.dataset.live === '1'")

        page.evaluate("window.__stillTheSamePage = true")
        token = _api_token(server, "planner_astana")
        _create_facility(server, token, "Astana Arena")
        page.wait_for_function(
            "() => document.getElementById('map').dataset.markers === '5'", timeout=5000
        )
        expect(page.locator("#feed")).to_contain_text("Astana Arena")
        assert page.evaluate("window.__stillTheSamePage") is True
        page.screenshot(path=str(tmp_path / "map-kk.png"))
