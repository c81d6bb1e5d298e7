"""A dispatcher opens a New Year event's page and sees the camera at its venue with the crowd
density it counts, then finds the camera and its amber watched area on the situation map."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
import datetime as dt
from django.utils import timezone
from saqshy.cameras import services as cameras
from saqshy.cameras.tests.factories import calibration_for, owner, square, venue
from saqshy.core.testing.personas import make_personas
from saqshy.gatherings.tests.factories import GatheringFactory
p = make_personas()
square_ = venue(p.astana, "Independence Square")
lat, lon = square_.lat + 0.0004, square_.lon
camera = cameras.create_camera(
    acting_user=None, name="Tree north", lat=lat, lon=lon, owner=owner(p.astana),
    facility=square_, address="Independence Square, north side",
    watched_area=square(lat, lon, 10), calibration=calibration_for(lat, lon, 10),
)
cameras.record_count(acting_user=None, camera=camera, at=timezone.now(), count=430)
event = GatheringFactory(venue=square_, name="Main New Year tree")
print("EVENT", event.pk)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("cameras"), SEED) as url:
        yield url


def test_camera_near_an_event_on_its_page_and_on_the_map(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.goto(f"{server}/events/")
        page.click("text=Main New Year tree")
        panel = page.locator("#event-cameras")
        expect(panel).to_contain_text("Tree north")
        expect(panel).to_contain_text("persons/m²")
        page.screenshot(path=str(tmp_path / "event.png"))

        page.goto(f"{server}/")
        expect(page.locator("#cameras-count")).to_have_text("1")
        # The map draws on a canvas: find the watched area among its layers by colour.
        amber = """() => {
            const found = [];
            window.saqshyMap.map.eachLayer((layer) => {
                if (layer.feature && layer.options.fillColor === "#f0a202") found.push(layer);
            });
            if (found.length) found[0].fire("click", { latlng: found[0].getCenter() }, true);
            return found.length;
        }"""
        page.wait_for_function(amber)
        expect(page.locator(".leaflet-popup-content")).to_contain_text("Tree north")
        expect(page.locator(".leaflet-popup-content")).to_contain_text("Independence Square")
        page.screenshot(path=str(tmp_path / "map.png"))
