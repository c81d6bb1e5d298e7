"""The vector basemap in Debian's Chromium: street names in the interface language, house
numbers at building zoom, a dark style on the theme event, and the OSM attribution.

The server's basemap is a small synthetic Astana extract written where ``import_osm`` puts
one (it replaces the bundle's); the seed encodes it with ``render_tiles``. Which words the
map drew is read from the canvas calls (``fillText``), recorded by an init script.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

LON, LAT = 71.4300, 51.1280


def _line(coords: list[tuple[float, float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"layer": "road", **props},
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def _house(lon: float, lat: float, number: str) -> dict[str, Any]:
    d = 0.00025
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"layer": "building", "housenumber": number, "street": "Кенесары көшесі"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


FEATURES = [
    _line(
        [(LON - 0.03, LAT), (LON + 0.03, LAT)],
        highway="residential",
        name="Кенесары көшесі",
        **{"name:kk": "Кенесары көшесі", "name:ru": "улица Кенесары", "name:en": "Kenesary Street"},
    ),
    _line(
        [(LON + 0.0013, LAT - 0.03), (LON + 0.0013, LAT + 0.03)],
        highway="primary",
        name="Қабанбай батыр даңғылы",
        **{"name:ru": "проспект Кабанбай батыра", "name:en": "Kabanbay Batyr Avenue"},
    ),
    *(_house(LON - 0.0012 + 0.0005 * i, LAT + 0.0001, str(51 + 2 * i)) for i in range(5)),
]

SEED = f"""
import gzip, json
from django.conf import settings
from django.core.management import call_command
from saqshy.core.testing.personas import make_personas
make_personas()
folder = settings.VAR_DIR / "basemap"
folder.mkdir(parents=True, exist_ok=True)
doc = {{"type": "FeatureCollection", "features": json.loads({json.dumps(json.dumps(FEATURES))})}}
(folder / "astana.geojson.gz").write_bytes(gzip.compress(json.dumps(doc).encode()))
empty = b'{{"type":"FeatureCollection","features":[]}}'
(folder / "almaty.geojson.gz").write_bytes(gzip.compress(empty))
call_command("render_tiles", region=["astana"])
"""

RECORD_TEXT = """
window.__drawn = new Set();
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  window.__drawn.add(String(text));
  return fillText.call(this, text, ...rest);
};
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("live"), SEED) as url:
        yield url


def _drawn(page: Any) -> set[str]:
    return set(page.evaluate("() => Array.from(window.__drawn)"))


def _go(page: Any, zoom: int, expected: set[str]) -> set[str]:
    """Centre the map on the houses at ``zoom``; wait until the ``expected`` words are drawn
    and return every word drawn."""
    page.evaluate(
        "() => { window.__drawn.clear();"
        f" window.saqshyBasemap.last.map.setView([{LAT}, {LON}], {zoom}); }}"
    )
    words = json.dumps(sorted(expected))
    try:
        page.wait_for_function(
            f"() => window.saqshyBasemap.last.labelCount() > 0"
            f" && {words}.every((w) => window.__drawn.has(w))",
            timeout=15000,
        )
    except Exception as error:
        raise AssertionError(f"drawn at z{zoom}: {_drawn(page)}") from error
    return _drawn(page)


def _tile_colours(page: Any) -> int:
    """How many distinct colours the first drawn basemap tile holds."""
    return int(
        page.evaluate(
            """() => {
              const canvas = document.querySelector('.leaflet-tile-loaded');
              const { width, height } = canvas;
              const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
              const seen = new Set();
              for (let i = 0; i < data.length; i += 4 * 7) {
                seen.add(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
              }
              return seen.size;
            }"""
        )
    )


def _brightness(page: Any) -> float:
    """Mean brightness (0-255) of the drawn basemap tiles once every tile has loaded."""
    page.wait_for_function(
        "() => { const all = document.querySelectorAll('.leaflet-tile-pane canvas.leaflet-tile');"
        " return all.length > 0 && Array.from(all).every((c) => c.classList.contains("
        "'leaflet-tile-loaded')); }"
    )
    page.wait_for_timeout(400)  # Leaflet's tile fade
    return float(
        page.evaluate(
            """() => {
              let sum = 0, n = 0;
              const tiles = document.querySelectorAll('.leaflet-tile-pane canvas.leaflet-tile');
              for (const canvas of tiles) {
                const { width, height } = canvas;
                const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
                for (let i = 0; i < data.length; i += 4 * 13) {
                  sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
                  n++;
                }
              }
              return sum / n;
            }"""
        )
    )


def test_street_names_and_house_numbers_in_the_interface_language(server: str) -> None:
    from playwright.sync_api import expect

    with browser_page(locale="en-GB") as page:
        page.add_init_script(RECORD_TEXT)
        tiles: list[int] = []
        page.on("response", lambda r: tiles.append(r.status) if r.url.endswith(".mvt") else None)
        page.goto(f"{server}/")
        page.fill("#id_username", "dispatcher_astana")
        page.fill("#id_password", "pw-dispatcher_astana")
        page.click('form[action$="/login/"] button[type=submit]')
        page.wait_for_url(f"{server}/")
        drawn = _go(page, 16, {"Kenesary Street", "Kabanbay Batyr Avenue"})
        assert not drawn & {"51", "53"}, "house numbers wait for building zoom"
        assert 200 in tiles and all(s in (200, 204) for s in tiles), tiles
        assert _tile_colours(page) > 3, "the tile canvas is empty"
        expect(page.locator(".leaflet-control-attribution")).to_contain_text(
            "© OpenStreetMap contributors"
        )
        _go(page, 18, {"51", "53", "55", "Kenesary Street"})
        page.screenshot(path="/tmp/tiles-map-en.png")

        page.click("button[data-lang=ru]")
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        drawn = _go(page, 17, {"улица Кенесары", "проспект Кабанбай батыра"})
        assert "Kenesary Street" not in drawn

        page.click("button[data-lang=kk]")
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        # name:kk where OSM has it, else the local name
        drawn = _go(page, 17, {"Кенесары көшесі", "Қабанбай батыр даңғылы"})
        assert "улица Кенесары" not in drawn
        page.screenshot(path="/tmp/tiles-map-kk.png")
        assert not page.errors, page.errors


def test_the_dark_style_follows_the_theme_event(server: str) -> None:
    with browser_page(locale="en-GB") as page:
        page.add_init_script(RECORD_TEXT)
        page.goto(f"{server}/")
        page.fill("#id_username", "dispatcher_astana")
        page.fill("#id_password", "pw-dispatcher_astana")
        page.click('form[action$="/login/"] button[type=submit]')
        page.wait_for_url(f"{server}/")
        _go(page, 17, {"53"})  # the first test may have left the user's language at kk
        light = _brightness(page)
        assert light > 180, light
        page.evaluate(
            "() => { document.documentElement.dataset.theme = 'dark';"
            " document.dispatchEvent(new CustomEvent('saqshy:theme', {detail: {theme: 'dark'}})); }"
        )
        page.wait_for_function("() => window.saqshyBasemap.last.theme === 'dark'")
        page.wait_for_function("() => window.saqshyBasemap.last.labelCount() > 0")
        dark = _brightness(page)
        assert dark < 80, dark
        layers = page.evaluate(
            "() => document.querySelectorAll('.leaflet-tile-pane .leaflet-layer').length"
        )
        assert layers == 1, "the light layer is gone"
        page.screenshot(path="/tmp/tiles-map-dark.png")
        assert not page.errors, page.errors
