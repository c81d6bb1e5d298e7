"""A planner picks a trip's escort by typing a name: namesakes are told apart by rank and
personnel number, the free one is offered first, the keyboard alone chooses, and a name
holding markup stays text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
import datetime as dt
from saqshy.core.testing.personas import make_personas
from saqshy.trips.tests.factories import AbsenceFactory, PersonFactory, TripFactory
p = make_personas()
trip = TripFactory(region=p.almaty, status="submitted", organiser="Gymnasium 9")
busy = PersonFactory(region=p.almaty, first_name="Nurlan", last_name="Abenov",
                     personnel_number="P-0001", position="Lieutenant")
AbsenceFactory(person=busy, kind="sick", starts_at=trip.departs_at - dt.timedelta(hours=2))
PersonFactory(region=p.almaty, first_name="Nurlan", last_name="Abenov",
              personnel_number="P-0002", position="Captain")
PersonFactory(region=p.almaty, first_name="<img src=x onerror=window.pwned=1>",
              last_name="Abenova", personnel_number="P-0003")
print("TRIP", trip.pk)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("escort"), SEED) as url:
        yield url


def test_pick_the_free_namesake_with_the_keyboard(server: str) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        sign_in(page, server, "planner_almaty", "pw-planner_almaty")
        page.goto(f"{server}/trips/")
        with page.expect_navigation(wait_until="load"):
            page.click("text=Gymnasium 9")
        box = page.locator("[data-escort-query]")
        box.fill("abenov")
        options = page.locator("#escort-options [role=option]")
        # The machine running the tests may be slow; the search answers in ~0.2 s when idle.
        expect(options).to_have_count(3, timeout=20_000)
        expect(page.locator("#escort-options")).to_have_attribute("data-query", "abenov")
        expect(box).to_have_attribute("aria-expanded", "true")
        # The free officers first, each with rank and number; the busy one says why.
        expect(options.nth(0)).to_contain_text("P-0002")
        expect(options.nth(0)).to_contain_text("Captain")
        expect(options.nth(2)).to_contain_text("P-0001")
        expect(options.nth(2)).to_contain_text("Sick from")
        expect(options.nth(1)).to_contain_text("<img src=x onerror=window.pwned=1>")
        assert page.evaluate("() => window.pwned === undefined")
        assert page.locator("#escort-options img").count() == 0

        box.press("ArrowDown")
        expect(options.nth(0)).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
        box.press("Enter")
        expect(page.locator("#escort-options")).to_be_hidden()
        expect(box).to_have_value("Captain · Nurlan Abenov · P-0002")
        page.click("form[action$='/escort/'] button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("Escort assigned.")
        expect(page.locator("#escort")).to_contain_text("Nurlan Abenov")
        expect(page.locator("#escort")).to_contain_text("Free for the whole trip")
        assert not page.errors, page.errors
