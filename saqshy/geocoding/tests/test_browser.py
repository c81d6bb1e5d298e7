"""A dispatcher types "Kabanbay 53" in the intake, picks the suggestion and records the call
(in Kazakh, Russian and English); on the situation map a clicked point gets its address and
the search control flies to a picked address."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
from saqshy.core.testing.personas import make_personas
make_personas()
"""

NU = (51.0905, 71.3987)
LABELS = {
    "en": "Kabanbay Batyr Avenue 53",
    "ru": "проспект Кабанбай Батыра, 53",
    # The avenue has no name:kk in the 2017 data: the local (Russian) name, Kazakh punctuation.
    "kk": "проспект Кабанбай Батыра, 53",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    work = tmp_path_factory.mktemp("geocode")
    with live_server(work, SEED) as url:
        yield url, work


def warm_up(page, url: str) -> None:
    """The server builds its index on the first look-up (seconds on a loaded machine): do
    it before the 5-second expectations start."""
    answer = page.request.get(f"{url}/api/geocode/search?q=Kabanbay", timeout=120_000)
    assert answer.ok, answer.status


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_intake_finds_kabanbay_53(server: tuple[str, Path], language: str) -> None:
    from playwright.sync_api import expect

    url, work = server
    with browser_page(locale=language) as page:
        sign_in(page, url, "dispatcher_astana", "pw-dispatcher_astana")
        warm_up(page, url)
        page.goto(f"{url}/incidents/new/")
        assert page.locator("html").get_attribute("lang") == language
        field = page.locator("#id_address")
        field.press_sequentially("Kabanbay 53", delay=20)
        options = page.locator(".geocode-list li[role=option]")
        expect(options.first).to_contain_text(LABELS[language])
        expect(field).to_have_attribute("aria-expanded", "true")
        # Keyboard: down to the second suggestion and back up, Enter picks the first.
        field.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        field.press("ArrowUp")
        expect(options.first).to_have_attribute("aria-selected", "true")
        field.press("Enter")
        expect(page.locator(".geocode-list")).to_be_hidden()
        expect(field).to_have_value(LABELS[language])
        lat = float(page.locator("#id_lat").input_value())
        lon = float(page.locator("#id_lon").input_value())
        assert abs(lat - NU[0]) < 0.002 and abs(lon - NU[1]) < 0.002
        # The point is placed on the form's map.
        expect(page.locator("#picker .leaflet-marker-icon")).to_have_count(1)
        centre = page.evaluate(
            "() => { const c = document.getElementById('picker').leafletMap.getCenter();"
            " return [c.lat, c.lng]; }"
        )
        assert abs(centre[0] - lat) < 1e-4 and abs(centre[1] - lon) < 1e-4
        page.locator("#incident-form button[type=submit]").click()
        page.wait_for_url("**/incidents/*/")
        expect(page.locator("main")).to_contain_text(LABELS[language])
        incident_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        assert not page.errors, page.errors
    with sqlite3.connect(work / "db.sqlite3") as db:
        address, stored_lat, stored_lon = db.execute(
            "SELECT address, lat, lon FROM incidents_incident WHERE id = ?", (incident_id,)
        ).fetchone()
    assert address == LABELS[language]
    assert (round(stored_lat, 6), round(stored_lon, 6)) == (round(lat, 6), round(lon, 6))


def test_map_click_and_search(server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect

    url, _work = server
    with browser_page(locale="en-GB") as page:
        sign_in(page, url, "dispatcher_astana", "pw-dispatcher_astana")
        warm_up(page, url)
        page.goto(f"{url}/")
        page.wait_for_function("() => window.saqshyMap && window.saqshyMap.map")
        # The intake tests left incidents at this very point: hide them, so the click lands
        # on the map and not on an incident's marker.
        page.locator("#layer-incidents").uncheck()
        page.evaluate(
            f"() => window.saqshyMap.map.setView([{NU[0]}, {NU[1]}], 17, {{animate: false}})"
        )
        point = page.evaluate(
            f"() => window.saqshyMap.map.latLngToContainerPoint([{NU[0]}, {NU[1]}])"
        )
        box = page.locator("#map").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        popup = page.locator(".geocode-reverse .geocode-popup")
        expect(popup).to_contain_text("Kabanbay Batyr Avenue 53")
        page.screenshot(path=str(tmp_path / "geocode-click.png"))

        search = page.locator("#geocode-map-search")
        search.press_sequentially("Kenesary 40", delay=20)
        expect(page.locator(".geocode-control .geocode-list li").first).to_contain_text("40")
        search.press("Enter")
        picked = page.locator(".leaflet-popup-content strong", has_text="40")
        expect(picked).to_have_count(1)
        expect(page.locator(".leaflet-marker-icon[title*='40']")).to_have_count(1)
        page.wait_for_function("() => window.saqshyMap.map.getZoom() >= 17")
        assert not page.errors, page.errors
