"""The dispatcher's night on the map, in Chromium: a call comes in, the nearest unit goes.

A new incident reported through the API appears live in the queue and on the map; the
dispatcher opens it, dispatches the top-ranked unit, sees the unit's status change and its
road route drawn, and sees the unit move on when its crew reports en route.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.core.testing.live import api_token, browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
from django.utils import timezone
from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import make_personas
from saqshy.demo import loader
from saqshy.incidents import services
loader.load_regions()
p = make_personas()
police = Agency.objects.get(grants__user=p.dispatcher_astana)
for call_sign, kind, (lat, lon) in [
    ("P-NEAR", "patrol_car", (51.1260, 71.4340)),
    ("P-FAR", "patrol_car", (51.0890, 71.4160)),
    ("FE-1", "fire_engine", (51.1270, 71.4320)),
]:
    unit = services.create_unit(
        acting_user=None, call_sign=call_sign, kind=kind, agency=police, region=p.astana
    )
    services.record_position(acting_user=None, unit=unit, lat=lat, lon=lon, at=timezone.now())
from saqshy.forecasts import services as forecasts
forecasts.compute_forecast(acting_user=None, region=p.astana)
import datetime as dt
from saqshy.duty.patrols import services as patrols
night = timezone.now().replace(hour=20, minute=0, second=0, microsecond=0)
patrols.create_patrol_plan(
    acting_user=None, region=p.astana, starts_at=night, ends_at=night + dt.timedelta(hours=6)
)
"""

BAITEREK = (51.12825, 71.43053)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("ops"), SEED) as url:
        yield url


def _api(url: str, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{url}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_new_incident_appears_live_and_the_top_unit_is_dispatched(server: str) -> None:
    from playwright.sync_api import expect

    token = api_token(server, "dispatcher_astana")
    units = {u["call_sign"]: u["id"] for u in _api(server, "/api/units/", token)["results"]}

    with browser_page(locale="en-GB") as page:
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.goto(f"{server}/")
        page.wait_for_function("() => document.body.dataset.live === '1'")
        page.wait_for_function("() => document.getElementById('map').dataset.opsLoaded === '1'")
        expect(page.locator("#queue-empty")).to_be_visible()
        expect(page.locator(f'.unit[data-unit-id="{units["P-NEAR"]}"]')).to_have_attribute(
            "data-status", "available"
        )

        incident = _api(
            server,
            "/api/incidents/",
            token,
            {
                "type": "crime",
                "priority": 2,
                "source": "call_102",
                "lat": BAITEREK[0],
                "lon": BAITEREK[1],
                "address": "Nurzhol Boulevard, by Baiterek",
                "description": "Fight in the crowd",
            },
        )
        # Live: the queue and the map show it without a reload.
        row = page.locator(f'#queue .q-item[data-incident-id="{incident["id"]}"]')
        expect(row).to_be_visible(timeout=5000)
        expect(row).to_contain_text("Nurzhol Boulevard")
        expect(page.locator(f'.inc[data-incident-id="{incident["id"]}"]')).to_have_count(1)

        row.click()
        card = page.locator("#incident-card")
        expect(card).to_have_attribute("data-incident-id", str(incident["id"]))
        candidates = card.locator("#dispatch-form .cand")
        # The card comes at once; its ranking follows (the first one loads the road graph).
        expect(candidates.first).to_have_attribute(
            "data-unit-id", str(units["P-NEAR"]), timeout=15000
        )
        # The other patrol car is ranked but not suggested; the fire engine is the wrong kind.
        expect(card.locator(f'.cand[data-unit-id="{units["P-FAR"]}"] input')).not_to_be_checked()
        expect(card.locator(f'.cand[data-unit-id="{units["FE-1"]}"]')).to_contain_text("wrong kind")
        expect(candidates.first.locator("input")).to_be_checked()
        card.locator("#dispatch-button").click()

        expect(card).to_have_attribute("data-status", "dispatched")
        expect(card.locator(".card-msg")).to_contain_text("P-NEAR")
        near = page.locator(f'.unit[data-unit-id="{units["P-NEAR"]}"]')
        expect(near).to_have_attribute("data-status", "dispatched")
        page.wait_for_function("() => document.getElementById('map').dataset.routes === '1'")
        expect(page.locator("path.route-line")).to_have_count(1)

        # The crew reports en route from elsewhere: the map follows live.
        _api(server, f"/api/incidents/{incident['id']}/advance/", token, {"status": "en_route"})
        expect(near).to_have_attribute("data-status", "en_route", timeout=5000)
        expect(row).to_have_attribute("data-status", "en_route")

        # The hotspot forecast (from the shipped accident history) as a heat layer.
        page.check("#layer-forecast")
        page.wait_for_function(
            "() => Number(document.getElementById('map').dataset.forecastCells) > 0"
        )
        expect(page.locator("#forecast-info")).to_contain_text("prospective")
        # The patrol plan from that forecast: each crew's stops in order.
        page.check("#layer-patrols")
        page.wait_for_function(
            "() => Number(document.getElementById('map').dataset.patrolStops) > 0"
        )
        expect(page.locator("#patrol-info a")).to_have_count(1)
        assert not [e for e in page.errors if "favicon" not in e], page.errors
