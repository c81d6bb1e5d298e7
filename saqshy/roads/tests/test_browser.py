"""A road authority duty officer closes M-36 for a blizzard on the segment page; the situation
map draws the closure with its reason, and the route planner sends a car around it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SEED = """
from saqshy.core.testing.personas import make_personas
from saqshy.roads.models import Segment
from saqshy.roads.tests.factories import make_network, person
p = make_personas()
roads = make_network(p.astana)
Segment.objects.filter(pk__in=[roads["1-2"].pk, roads["2-4"].pk]).update(
    number="M-36", name="Astana – Karaganda", name_kk="Астана – Қарағанды",
    name_ru="Астана – Караганда")
person("road_duty", "transport", "duty-officer", p.astana)
"""
SENTENCE = (
    "Closed: M-36 Astana – Karaganda, blizzard, snow drifts, expected to reopen 01.01.2027 08:00"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("roads"), SEED) as url:
        yield url


def test_close_m36_see_it_on_the_map_and_drive_around(server: str) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        sign_in(page, server, "road_duty", "pw")
        page.goto(f"{server}/roads/?q=M-36")
        with page.expect_navigation(wait_until="load"):
            page.locator("#segments a", has_text="M-36 Astana – Karaganda").first.click()
        page.click("text=Close or restrict the road")
        page.select_option("#id_reason", "blizzard")
        page.fill("#id_expected_reopening_at", "2027-01-01T08:00")
        page.fill("#id_note", "<b>drifts</b>")
        with page.expect_navigation(wait_until="load"):
            page.click("#close-form button[type=submit]")
        expect(page.locator("#status")).to_have_text("Closed")
        expect(page.locator(".rd-refusal")).to_have_text(SENTENCE)
        expect(page.locator("#history")).to_contain_text("<b>drifts</b>")
        expect(page.locator("#segment-map path.leaflet-interactive")).to_have_count(1)

        page.goto(f"{server}/")
        line = page.locator("path.road-closure")
        expect(line).to_have_count(1, timeout=20_000)
        expect(line).to_have_attribute("stroke", "#d73027")
        expect(page.locator("#roads-count")).to_have_text("1")
        line.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("M-36 Astana – Karaganda")
        expect(popup).to_contain_text("Blizzard, snow drifts")
        expect(popup).to_contain_text("01.01.2027 08:00")
        assert "drifts</b>" not in popup.inner_html() and "road_duty" not in popup.inner_text()

        page.goto(f"{server}/roads/route/?origin=Astana&destination=Karaganda&vehicle=car")
        answer = page.locator("#route-answer")
        expect(answer).to_contain_text("Astana – Eastern junction")
        expect(answer).to_contain_text(SENTENCE)
        expect(page.locator("#route-map path.leaflet-interactive")).to_have_count(1)
        assert not page.errors, page.errors
