"""A planner tries to approve an event at a venue with an open critical violation, is told
which gate fails, an inspector eliminates and verifies it, and the approval then succeeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
import datetime as dt
from django.utils import timezone
from saqshy.core.testing.personas import make_personas
from saqshy.facilities import services as facilities
from saqshy.gatherings import services as gatherings
from saqshy.inspections import services as inspections
from saqshy.inspections.models import ChecklistItem
p = make_personas()
from saqshy.inspections.tests.factories import second_inspector
second_inspector()
venue = facilities.create_facility(
    acting_user=None, kind="school", name="School 42", lat=43.24, lon=76.94
)
inspections.record_inspection(
    acting_user=None, facility=venue, inspected_on=dt.date.today(),
    results=[inspections.ItemResult(ChecklistItem.objects.get(code="exits"), False,
                                    "Emergency exit chained shut")],
)
start = timezone.now() + dt.timedelta(days=7)
event = gatherings.create_gathering(
    acting_user=None, name="New Year matinee", kind="new_year_tree", venue=venue,
    starts_at=start, ends_at=start + dt.timedelta(hours=2), expected_attendance=150,
    organiser="School 42",
)
gatherings.submit(acting_user=None, gathering=event)
print("EVENT", event.pk, "VENUE", venue.pk)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("approval"), SEED) as url:
        yield url


def test_blocked_approval_then_fix_then_approve(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        sign_in(page, server, "planner_almaty", "pw-planner_almaty")
        page.goto(f"{server}/events/")
        expect(page.locator("table.list")).to_contain_text("1 gate fails")
        page.click("text=New Year matinee")
        page.click("#approve")
        expect(page.locator(".messages")).to_contain_text("cannot be approved")
        expect(page.locator(".messages")).to_contain_text("Venue cleared for operation")
        expect(page.locator("#event-status")).to_have_text("Submitted")
        event_url = page.url
        page.screenshot(path=str(tmp_path / "refused.png"))

        page.click("text=Sign out")
        sign_in(page, server, "inspector_almaty", "pw-inspector_almaty")
        page.goto(event_url)
        page.click("text=School 42")
        expect(page.locator("#clearance")).to_have_attribute("data-status", "blocked")
        page.click("button.eliminate")
        expect(page.locator(".messages")).to_contain_text("still blocks until verified")
        # Separation of duties: another inspector verifies.
        expect(page.locator("[data-refusal=separation]")).to_be_visible()
        page.click("text=Sign out")
        sign_in(page, server, "verifier_almaty", "pw-verifier_almaty")
        page.goto(event_url)
        page.click("text=School 42")
        page.click("button.verify")
        expect(page.locator(".messages")).to_contain_text("verified")
        expect(page.locator("#clearance")).to_have_attribute("data-status", "cleared")

        page.click("text=Sign out")
        sign_in(page, server, "planner_almaty", "pw-planner_almaty")
        page.goto(event_url)
        page.click("#approve")
        expect(page.locator(".messages")).to_contain_text("Event approved.")
        expect(page.locator("#event-status")).to_have_text("Approved")
        page.screenshot(path=str(tmp_path / "approved.png"))
        assert not page.errors, page.errors
