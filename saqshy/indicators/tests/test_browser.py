"""The indicator pages in Chromium: the map colours the regions and opens a region, the table
sorts, the chart draws both series, no console error (strict CSP), no sideways scroll at 390 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
import datetime as dt
from django.utils import timezone
from saqshy.core.testing.personas import make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.inspections.tests.factories import InspectionFactory
p = make_personas()
yesterday = timezone.localdate() - dt.timedelta(days=1)
for region, n in ((p.almaty, 3), (p.astana, 1)):
    venue = FacilityFactory(region=region)
    for _ in range(n):
        InspectionFactory(facility=venue, inspected_on=yesterday)
InspectionFactory(facility=venue, inspected_on=yesterday.replace(year=yesterday.year - 1))
"""

FILLS = """() => [...document.querySelectorAll('#choropleth path.leaflet-interactive')]
  .map((path) => path.getAttribute('fill'))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("indicators"), SEED) as url:
        yield url


def test_national_map_table_and_chart(server: str) -> None:
    with browser_page() as page:
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        assert page.url.endswith("/indicators/national/")  # the analyst's home page
        page.goto(f"{server}/indicators/national/?indicator=inspections")
        page.wait_for_selector("#choropleth path.leaflet-interactive")
        fills = page.evaluate(FILLS)
        assert len(fills) == 3 and len(set(fills)) >= 2, fills
        assert page.locator("#choropleth-legend li").count() >= 1
        # Sorting by value, highest first on the second click.
        button = page.locator("button[data-sort=value]")
        button.click()
        button.click()
        first = page.locator("#region-table tbody tr").first.get_attribute("data-name")
        assert first == "Almaty"
        page.locator("#region-table tbody tr", has_text="Almaty").locator("a").click()
        page.wait_for_load_state()
        assert "/indicators/?region=almaty" in page.url
        assert page.locator(".indicator-card").count() > 10
        page.goto(f"{server}/indicators/inspections/?region=astana")
        page.wait_for_function("() => window.Chart && Chart.getChart('indicator-chart')")
        sets = page.evaluate(
            "() => Chart.getChart('indicator-chart').data.datasets.map((d) => d.data.at(-1))"
        )
        assert sets == [1, 1], sets
        assert page.errors == []


def test_phone_width(server: str, tmp_path: Any) -> None:
    with browser_page(viewport={"width": 390, "height": 844}) as page:
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        for path in (
            "/indicators/national/",
            "/indicators/?region=almaty",
            "/indicators/inspections/",
        ):
            page.goto(f"{server}{path}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate(SIDEWAYS) <= 0, path
        page.goto(f"{server}/indicators/national/")
        page.wait_for_selector("#choropleth path.leaflet-interactive")
        page.screenshot(path=str(tmp_path / "national-390.png"), full_page=True)
        assert page.errors == []
