"""The map in Kazakh and Russian, in Chromium: Leaflet's own buttons are translated and every
time the scripts write is 24-hour, dd.mm.yyyy (the browser's locale asks for 12-hour)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
from saqshy.core.testing.personas import make_personas
make_personas()
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("live"), SEED) as url:
        yield url


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_map_controls_and_times_in_the_readers_language(server: str, language: str) -> None:
    from playwright.sync_api import expect

    with translation.override(language):
        zoom_in = translation.gettext("Zoom in")
    assert zoom_in != "Zoom in", "the catalogue is not compiled"
    # An en-US browser: Intl alone would write "12/31/2026, 6:05 PM".
    with browser_page(locale="en-US", timezone_id="Asia/Almaty") as page:
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.click(f"button[data-lang={language}]")
        page.wait_for_load_state()
        page.goto(f"{server}/")
        expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
        expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", zoom_in)
        shown = page.evaluate(
            "() => { const f = window.saqshyFormat, at = '2026-12-31T13:05:09Z';"
            " return [f.date(at), f.time(at), f.dateTime(at)]; }"
        )
        assert shown == ["31.12.2026", "18:05", "31.12.2026 18:05"]
        assert not page.errors, page.errors
