"""A national scope's map in Chromium: counts per cell at a wide view, the venues once close.

The server runs with ``SAQSHY_MAP_POINTS_LIMIT=10`` so that a few dozen venues stand for a
country's thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.core.testing.live import (
    api_token,
    browser_page,
    live_server,
    require_chromium,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
from saqshy.core.testing.personas import make_personas
from saqshy.facilities import services
p = make_personas()
for n in range(20):
    services.create_facility(acting_user=None, kind="school", name=f"School {n}",
                             lat=51.10 + (n // 5) * 0.01, lon=71.40 + (n % 5) * 0.01)
for n in range(8):
    services.create_facility(acting_user=None, kind="mall", name=f"Mall {n}",
                             lat=43.23 + n * 0.002, lon=76.94)
from django.utils import timezone
from saqshy.accounts.models import Agency
from saqshy.incidents import services as incidents
police = Agency.objects.get(grants__user=p.dispatcher_astana)
for n in range(20):
    unit = incidents.create_unit(acting_user=None, call_sign=f"P-{n}", kind="patrol_car",
                                 agency=police, region=p.astana)
    incidents.record_position(acting_user=None, unit=unit, lat=51.10 + (n // 5) * 0.01,
                              lon=71.40 + (n % 5) * 0.01 + 0.003, at=timezone.now())
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(
        tmp_path_factory.mktemp("national"),
        SEED,
        settings={"SAQSHY_MAP_POINTS_LIMIT": "10", "SAQSHY_MAP_COUNTS_REFRESH_SECONDS": "1"},
    ) as url:
        yield url


def _mode(page: Any, mode: str, layer: str = "facilities") -> None:
    page.wait_for_function(
        f"() => document.getElementById('map').dataset.{layer}Mode === '{mode}'", timeout=15000
    )


def test_a_national_map_counts_per_cell_then_shows_the_venues_close_up(server: str) -> None:
    with browser_page(locale="en-GB") as page:
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        page.goto(f"{server}/")
        page.evaluate("() => window.saqshyMap.map.setView([51.12, 71.42], 10)")
        _mode(page, "counts")
        _mode(page, "counts", "units")
        counts = page.eval_on_selector_all(
            ".place-count [data-count]", "nodes => nodes.map(n => Number(n.dataset.count))"
        )
        assert sum(counts) == 40, counts  # 20 venues and 20 units
        assert page.eval_on_selector("#map", "m => m.dataset.units") == "0"
        assert page.inner_text("#unit-summary").startswith("20")
        assert page.eval_on_selector("#map", "m => m.dataset.markers") == "0"
        assert page.inner_text("#facility-count") == "20"

        # A click on a number zooms to its venues; close enough, they are drawn one by one.
        page.evaluate("() => window.saqshyMap.map.setView([51.12, 71.42], 16)")
        _mode(page, "places")
        _mode(page, "places", "units")
        page.wait_for_function("() => Number(document.getElementById('map').dataset.markers) > 0")
        page.wait_for_function("() => Number(document.getElementById('map').dataset.units) > 0")
        shown = int(page.eval_on_selector("#map", "m => m.dataset.markers"))
        assert 1 <= shown <= 10
        assert not page.query_selector(".place-count")
        assert page.errors == []


def test_a_regional_scope_under_the_limit_loads_every_venue(server: str) -> None:
    with browser_page(locale="en-GB") as page:
        sign_in(page, server, "planner_almaty", "pw-planner_almaty")
        page.goto(f"{server}/")
        _mode(page, "all")
        _mode(page, "all", "units")
        page.wait_for_function("() => document.getElementById('map').dataset.markers === '8'")
        assert not page.query_selector(".place-count")
        assert page.errors == []


def test_a_reconnect_loads_the_view_again_without_counting_the_scope_again(server: str) -> None:
    """Every map reconnects within seconds when a web process restarts: each asks the
    clusters of its view again, but not the size of its scope (asked once in ten minutes)."""
    sockets: list[Any] = []

    def through(route: Any) -> None:
        route.connect_to_server()
        sockets.append(route)

    with browser_page(locale="en-GB") as page:
        page.route_web_socket("**/ws/**", through)
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        page.goto(f"{server}/")
        page.evaluate("() => window.saqshyMap.map.setView([51.12, 71.42], 10)")
        _mode(page, "counts")
        page.wait_for_function("() => document.body.dataset.live === '1'")

        def scope_counts() -> int:
            return sum(1 for url in asked if "/api/facilities/?" in url and "page_size=1&" in url)

        def clusters() -> int:
            return sum(1 for url in asked if "/api/facilities/clusters/" in url)

        assert scope_counts() == 1
        before = clusters()
        sockets[-1].close()  # the server side went away
        page.wait_for_function("() => document.body.dataset.live !== '1'")
        page.wait_for_function("() => document.body.dataset.live === '1'", timeout=15000)
        page.wait_for_timeout(500)
        assert len(sockets) >= 2
        assert clusters() > before
        assert scope_counts() == 1
        _mode(page, "counts")
        assert page.errors == [], page.errors


def _post(url: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    import json
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
    return answer


def test_counts_follow_the_units_as_they_come_and_move(server: str) -> None:
    """While the units show as counts per cell, a new unit's first fix in view and a move out
    of view change the numbers (within SAQSHY_MAP_COUNTS_REFRESH_SECONDS, 1 s here) without
    a reload. Runs last in this module: it adds a unit."""
    units_in_view = (
        "() => [...document.querySelectorAll('.leaflet-saqshy-units-pane .place-count "
        "[data-count]')].reduce((sum, n) => sum + Number(n.dataset.count), 0)"
    )
    with browser_page(locale="en-GB") as page:
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        page.goto(f"{server}/")
        page.evaluate("() => window.saqshyMap.map.setView([51.12, 71.42], 10)")
        _mode(page, "counts", "units")
        page.wait_for_function("() => document.body.dataset.live === '1'")
        page.wait_for_function(f"() => ({units_in_view})() === 20")

        token = api_token(server, "dispatcher_astana")
        unit = _post(
            f"{server}/api/units/",
            token,
            {
                "call_sign": "P-NEW",
                "kind": "patrol_car",
                "agency": "police-astana",
                "region": "astana",
            },
        )
        _post(f"{server}/api/units/{unit['id']}/position/", token, {"lat": 51.125, "lon": 71.43})
        page.wait_for_function(f"() => ({units_in_view})() === 21", timeout=15000)
        page.wait_for_function(
            "() => document.getElementById('unit-summary').innerText.startsWith('21')"
        )

        # Driven to Almaty, out of this view: the numbers here drop back.
        _post(f"{server}/api/units/{unit['id']}/position/", token, {"lat": 43.24, "lon": 76.95})
        page.wait_for_function(f"() => ({units_in_view})() === 20", timeout=15000)
        _mode(page, "counts", "units")

        # With the units layer switched off, its moves ask nothing; switched on again, the
        # numbers are asked once and show the unit back in view.
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.uncheck("#layer-units")
        _post(f"{server}/api/units/{unit['id']}/position/", token, {"lat": 51.125, "lon": 71.43})
        page.wait_for_timeout(2500)  # past the 1 s of SAQSHY_MAP_COUNTS_REFRESH_SECONDS
        assert not [url for url in asked if "/api/units/clusters/" in url], asked
        page.check("#layer-units")
        page.wait_for_function(f"() => ({units_in_view})() === 21", timeout=15000)
        assert page.errors == [], page.errors
