"""Issue 13's winter night, end to end in a browser: the road authority closes M-36
Astana – Karaganda for a blizzard on the segment page; the situation map draws it; the public
page, with no login, shows it in Kazakh, Russian and English; the route planner goes around
it and says why; a stranded vehicle registered by the dispatcher is offered the nearest open
warming point that has places, and is sent there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
from saqshy.core.testing.personas import make_personas
from saqshy.roads.models import Segment
from saqshy.roads.tests.factories import make_network, person
from saqshy.winter.tests.factories import make_point
p = make_personas()
roads = make_network(p.astana)
Segment.objects.filter(pk__in=[roads["1-2"].pk, roads["2-4"].pk]).update(
    number="M-36", name="Astana – Karaganda", name_kk="Астана – Қарағанды",
    name_ru="Астана – Караганда")
person("road_duty", "transport", "duty-officer", None)
make_point(p.astana, "Eastern junction school", 51.0, 72.58, capacity=60, occupancy=10)
make_point(p.astana, "Full roadside cafe", 51.10, 71.74, capacity=20, occupancy=20)
make_point(p.astana, "Closed hall", 51.10, 71.72, is_open=False)
"""
SENTENCE = (
    "Closed: M-36 Astana – Karaganda, blizzard, snow drifts, expected to reopen 01.01.2027 08:00"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("winter-night"), SEED) as url:
        yield url


def test_blizzard_closes_m36_public_page_route_and_warming_point(server: str) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        # The road authority closes the road on the segment page.
        sign_in(page, server, "road_duty", "pw")
        page.goto(f"{server}/roads/?q=M-36")
        with page.expect_navigation(wait_until="load"):
            page.locator("#segments a", has_text="M-36 Astana – Karaganda").first.click()
        page.click("text=Close or restrict the road")
        page.select_option("#id_reason", "blizzard")
        page.fill("#id_expected_reopening_at", "2027-01-01T08:00")
        page.fill("#id_note", "<b>drifts</b> seen by crew of Lt. Omarov")
        with page.expect_navigation(wait_until="load"):
            page.click("#close-form button[type=submit]")
        expect(page.locator("#status")).to_have_text("Closed")
        expect(page.locator(".rd-refusal")).to_have_text(SENTENCE)
        expect(page.locator("#history")).to_contain_text("<b>drifts</b>")

        # The situation map draws the closure, its words escaped.
        page.goto(f"{server}/")
        line = page.locator("path.road-closure")
        expect(line).to_have_count(1, timeout=20_000)
        line.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("Blizzard, snow drifts")
        assert "drifts</b>" not in popup.inner_html() and "road_duty" not in popup.inner_text()

        # A route across it goes around and says what it avoids.
        page.goto(f"{server}/roads/route/?origin=Astana&destination=Karaganda&vehicle=car")
        answer = page.locator("#route-answer")
        expect(answer).to_contain_text("Astana – Eastern junction")
        expect(answer).to_contain_text(SENTENCE)
        assert not page.errors, page.errors

    # The public page, with no login, in three languages; nothing internal on it.
    with browser_page(viewport={"width": 390, "height": 844}) as phone:
        expected = {
            "kk": ("Астана – Қарағанды", "Жабылды", "Ашылуы күтіледі: 01.01.2027 08:00"),
            "ru": ("Астана – Караганда", "Закрыто", "ожидаемое открытие: 01.01.2027 08:00"),
            "en": ("Astana – Karaganda", "Closed", "expected to reopen 01.01.2027 08:00"),
        }
        for language, words in expected.items():
            phone.goto(f"{server}/public/?lang={language}")
            roads = phone.locator("#roads")
            for word in words:
                expect(roads).to_contain_text(word, ignore_case=True)
            expect(phone.locator("html")).to_have_attribute("lang", language)
            text = phone.locator("body").inner_text()
            assert "Omarov" not in text and "road_duty" not in text and "seen by crew" not in text
            expect(phone.locator("#warming")).to_contain_text("Eastern junction school")
            expect(phone.locator("#warming")).not_to_contain_text("Closed hall")
        # Fits a phone: nothing wider than the screen.
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert not phone.errors, phone.errors

    # The dispatcher registers a stranded car on the way round: the nearest open point with
    # places is offered (not the full cafe, not the closed hall), and the car is sent there.
    with browser_page() as page:
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.goto(f"{server}/winter/stranded/")
        page.fill("#id_location", "Road to the Eastern junction, km 18")
        page.fill("#id_lat", "51.10")
        page.fill("#id_lon", "71.70")
        page.fill("#id_people", "4")
        page.fill("#id_children", "2")
        with page.expect_navigation(wait_until="load"):
            page.click("text=Register and open the incident")
        nearest = page.locator("section.card", has_text="Nearest warming points with places")
        rows = nearest.locator("tbody tr")
        expect(rows.first).to_contain_text("Eastern junction school")
        expect(nearest).not_to_contain_text("Full roadside cafe")
        expect(nearest).not_to_contain_text("Closed hall")
        expect(rows.first).to_contain_text("50 / 60")
        with page.expect_navigation(wait_until="load"):
            rows.first.locator("button", has_text="Send them here").click()
        expect(page.locator("main")).to_contain_text("Eastern junction school")
        assert not page.errors, page.errors
