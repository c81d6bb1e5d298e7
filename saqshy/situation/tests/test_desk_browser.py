"""The 3 a.m. desk in Chromium (issue 10): a waiting call dispatched from the keyboard alone,
a new call that changes the tab title and plays the alert, the legend of every mark drawn on
the map, and the night preset that leaves incidents, units and routes only."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from saqshy.core.testing.live import api_token, browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
import datetime as dt
from django.utils import timezone
from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import make_personas
from saqshy.demo import loader
from saqshy.facilities import services as facilities
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.pyrotechnics.tests.factories import OutletFactory
from saqshy.incidents import services
from saqshy.forecasts import services as forecasts
from saqshy.duty.patrols import services as patrols
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
school = facilities.create_facility(
    acting_user=None, kind="school", name="School 12", lat=51.121, lon=71.42
)
GatheringFactory(venue=school, name="Concert", starts_at=timezone.now() + dt.timedelta(hours=3))
OutletFactory(region=p.astana, name="Fireworks kiosk", lat=51.126, lon=71.428)
forecasts.compute_forecast(acting_user=None, region=p.astana)
night = timezone.now().replace(hour=20, minute=0, second=0, microsecond=0)
patrols.create_patrol_plan(
    acting_user=None, region=p.astana, starts_at=night, ends_at=night + dt.timedelta(hours=6)
)
from saqshy.accounts.models import Norm
# Astana's own acknowledgement norm (data, over the national 30 s): short, so a test sees it.
Norm.objects.create(
    code="call_acknowledgement_seconds", region=p.astana, value=4, unit="seconds", source="test"
)
"""

# Counts every oscillator the page starts: the alert tone is two of them.
SPY_ON_AUDIO = """
window.__tones = 0;
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  createOscillator() { window.__tones += 1; return super.createOscillator(); }
};
"""

BAITEREK = (51.12825, 71.43053)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("desk"), SEED) as url:
        yield url


def _api(url: str, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{url}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _report(url: str, token: str, address: str, dlat: float = 0.0) -> dict[str, Any]:
    incident: dict[str, Any] = _api(
        url,
        "/api/incidents/",
        token,
        {
            "type": "crime",
            "priority": 2,
            "source": "call_102",
            "lat": BAITEREK[0] + dlat,
            "lon": BAITEREK[1],
            "address": address,
        },
    )
    return incident


def _open_map(page: Any, url: str, language: str = "en") -> None:
    sign_in(page, url, "dispatcher_astana", "pw-dispatcher_astana")
    page.click(f"button[data-lang={language}]")  # kept on the user: set it every time
    page.wait_for_load_state()
    page.goto(f"{url}/")
    page.wait_for_function("() => document.body.dataset.live === '1'")
    page.wait_for_function("() => document.getElementById('map').dataset.opsLoaded === '1'")


def _focused(page: Any) -> Any:
    return page.evaluate(
        "() => ({id: document.activeElement.id,"
        " incident: document.activeElement.dataset.incidentId || null})"
    )


@pytest.fixture
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own: the test dispatches the seeded units."""
    require_chromium()
    with live_server(tmp_path_factory.mktemp("desk-keys"), SEED) as url:
        yield url


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_keyboard_only_the_next_waiting_call_is_dispatched_with_the_suggestion(
    fresh_server: str, language: str
) -> None:
    from playwright.sync_api import expect

    server = fresh_server
    with translation.override(language):
        help_line = translation.gettext("Dispatch the suggested units")
        note_added = translation.gettext("Note added.")
    token = api_token(server, "dispatcher_astana")
    units = {u["call_sign"]: u["id"] for u in _api(server, "/api/units/", token)["results"]}
    waiting = _report(server, token, "Keyboard Street 1")
    with browser_page(locale="en-GB") as page:
        _open_map(page, server, language)
        expect(page.locator(f'#queue .q-item[data-incident-id="{waiting["id"]}"]')).to_be_visible()
        # No map marker is in the tab order: the queue is two keys away from the page's top.
        assert (
            page.evaluate(
                "() => [...document.querySelectorAll('.leaflet-marker-icon')]"
                ".filter((m) => m.tabIndex >= 0).length"
            )
            == 0
        )
        page.keyboard.press("Tab")
        assert _focused(page)["id"] == "skip-to-queue"
        page.keyboard.press("Enter")
        assert _focused(page)["incident"] == str(waiting["id"])

        # "?" shows the keys, Escape hides them.
        page.keyboard.press("?")
        expect(page.locator("#key-help")).to_be_visible()
        expect(page.locator("#key-help")).to_contain_text(help_line)
        page.keyboard.press("Escape")
        expect(page.locator("#key-help")).to_be_hidden()

        # Back to the start of the waiting calls with "j", open it, dispatch the suggestion.
        page.keyboard.press("j")
        assert _focused(page)["incident"] == str(waiting["id"])
        page.keyboard.press("o")
        card = page.locator("#incident-card")
        expect(card).to_have_attribute("data-incident-id", str(waiting["id"]))
        expect(card).to_have_attribute("data-recommendations", "1", timeout=20000)
        expect(card.locator(f'.cand[data-unit-id="{units["P-NEAR"]}"] input')).to_be_checked()
        page.keyboard.press("d")
        expect(card).to_have_attribute("data-status", "dispatched", timeout=10000)
        state = _api(server, f"/api/incidents/{waiting['id']}/", token)
        assert state["status"] == "dispatched"
        assert [a["unit"] for a in state["assignments"] if not a["released_at"]] == [
            units["P-NEAR"]
        ]

        # "s" advances the status: the crew is en route.
        page.keyboard.press("s")
        expect(card).to_have_attribute("data-status", "en_route", timeout=10000)
        assert _api(server, f"/api/incidents/{waiting['id']}/", token)["status"] == "en_route"

        # "c" opens a note; typing there does not trigger the keys.
        page.keyboard.press("c")
        page.keyboard.type("Crew asks for a dog unit")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(card.locator(".card-msg")).to_have_text(note_added, timeout=10000)
        journal = _api(server, f"/api/incidents/{waiting['id']}/journal/", token)
        assert any("dog unit" in entry["text"] for entry in journal)
        assert _api(server, f"/api/incidents/{waiting['id']}/", token)["status"] == "en_route"
        assert not [e for e in page.errors if "favicon" not in e], page.errors


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_a_new_call_changes_the_title_and_plays_the_alert(server: str, language: str) -> None:
    from playwright.sync_api import expect

    with translation.override(language):
        title = translation.gettext("Situation map")
        shortcuts = translation.gettext("Keyboard shortcuts")
        late = translation.gettext("not acknowledged")
    token = api_token(server, "dispatcher_astana")
    with browser_page(locale="en-GB") as page:
        page.add_init_script(SPY_ON_AUDIO)
        _open_map(page, server, language)
        waiting = page.locator("#queue .q-item[data-status=new]").count()
        prefix = f"({waiting}) " if waiting else ""
        expect(page).to_have_title(re.compile(f"^{re.escape(prefix + title)}"))

        # Sound is off by default: the call is counted and shown, but no tone plays.
        quiet = _report(server, token, f"Quiet call {language}", dlat=0.01)
        expect(page).to_have_title(re.compile(rf"^\({waiting + 1}\) {re.escape(title)}"))
        page.wait_for_function("() => document.body.dataset.alerts === '1'")
        assert page.evaluate("window.__tones") == 0
        assert page.evaluate("document.body.dataset.sounds") is None

        # Left unacknowledged beyond the region's norm (4 s here), it escalates visibly.
        row = page.locator(f'#queue .q-item[data-incident-id="{quiet["id"]}"]')
        expect(row).to_have_class(re.compile(r"\blate\b"), timeout=15000)
        expect(row.locator(".q-late")).to_have_text(late)
        expect(page.locator(f'.inc[data-incident-id="{quiet["id"]}"]')).to_have_class(
            re.compile(r"\blate\b")
        )

        # Turned on (a sample tone plays), the next call plays the alert.
        page.check("#call-sound")
        page.wait_for_function("() => window.__tones === 2")
        _report(server, token, f"Loud call {language}", dlat=0.02)
        expect(page).to_have_title(re.compile(rf"^\({waiting + 2}\) {re.escape(title)}"))
        page.wait_for_function("() => document.body.dataset.sounds === '1'")
        assert page.evaluate("window.__tones") == 4

        # The keys' help in the page's language.
        page.keyboard.press("?")
        expect(page.locator("#key-help h2")).to_have_text(shortcuts)
        assert not [e for e in page.errors if "favicon" not in e], page.errors


def test_the_legend_lists_every_mark_and_the_night_preset_hides_the_rest(server: str) -> None:
    from playwright.sync_api import expect

    token = api_token(server, "dispatcher_astana")
    _report(server, token, "Legend Avenue 3", dlat=-0.01)
    with browser_page(locale="en-GB") as page:
        _open_map(page, server)
        config = page.evaluate(
            "() => JSON.parse(document.getElementById('ops-config').textContent)"
        )
        legend = page.locator("#marks")
        for group, prefix in (
            ("types", "type"),
            ("priorities", "priority"),
            ("unitKinds", "unit-kind"),
            ("unitStatuses", "unit-status"),
        ):
            for entry in config[group]:
                item = legend.locator(f'[data-legend="{prefix}-{entry["value"]}"]')
                expect(item).to_have_count(1)
                expect(item).to_contain_text(entry["label"])
        for status in ("new", "late", "dup", "selected"):
            expect(legend.locator(f'[data-legend="status-{status}"]')).to_have_count(1)
        # Every letter drawn on the map is explained in the legend.
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('.inc, .unit')].map((m) => m.textContent)"
        )
        explained = page.evaluate(
            "() => [...document.querySelectorAll('#marks .inc-key, #marks .unit-key')]"
            ".map((m) => m.textContent)"
        )
        assert drawn and set(drawn) <= set(explained), (drawn, explained)

        # Units sit below incidents, whatever their order on the page.
        panes = page.evaluate(
            "() => ['units', 'incidents'].map((n) =>"
            " Number(getComputedStyle(document.querySelector(`.leaflet-saqshy-${n}-pane`)).zIndex))"
        )
        assert panes[0] < panes[1], panes

        page.check("#layer-forecast")
        page.check("#layer-patrols")
        page.wait_for_function(
            "() => Number(document.getElementById('map').dataset.patrolStops) > 0"
        )
        everything = set(page.evaluate("() => window.saqshyMap.visibleLayers()"))
        assert {"facilities", "events", "outlets", "forecast", "patrols"} <= everything
        assert page.locator(".event-icon").count() > 0

        page.click("#night-preset")
        expect(page.locator("#night-preset")).to_have_attribute("aria-pressed", "true")
        night = set(page.evaluate("() => window.saqshyMap.visibleLayers()"))
        assert night == {"incidents", "units", "routes"}, night
        assert page.locator(".event-icon").count() == 0
        expect(page.locator(".inc").first).to_be_visible()

        # Pressed again, the layers come back as they were.
        page.click("#night-preset")
        assert set(page.evaluate("() => window.saqshyMap.visibleLayers()")) == everything
        assert not [e for e in page.errors if "favicon" not in e], page.errors


def test_the_incident_page_ranks_units_with_arrival_times_and_shows_its_journal(
    server: str,
) -> None:
    from playwright.sync_api import expect

    token = api_token(server, "dispatcher_astana")
    incident = _report(server, token, "Journal Lane 5", dlat=0.015)
    with browser_page(locale="en-GB", viewport={"width": 1600, "height": 900}) as page:
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.click("button[data-lang=en]")
        page.wait_for_load_state()
        page.goto(f"{server}/incidents/{incident['id']}/")
        page.screenshot(path="/tmp/desk-incident-page.png")
        # The same ranked partial as the map card: a free patrol car first, with minutes.
        first = page.locator("#recommendations #dispatch-form .cand").first
        expect(first).to_contain_text("P-")
        expect(first.locator(".cand-eta")).to_contain_text(re.compile(r"\d+ min"))
        journal = page.locator("#journal").bounding_box()
        assert journal is not None and journal["y"] < 900, journal
        expect(page.locator("#incident-agency")).to_have_text("police-astana")
        assert not [e for e in page.errors if "favicon" not in e], page.errors
