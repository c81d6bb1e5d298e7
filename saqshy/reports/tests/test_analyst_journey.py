"""Issue 12's walk as the commission analyst, in Chromium: the national map, a region chosen on
it and in the header's region switch, one indicator's chart, the morning report of 1 January,
and its PDF and XLSX whose figures are the page's."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

# Real indicators (no fakes): two inspections in Astana on 31.12 and a call after midnight fall
# in the 08:00 → 08:00 window of the report of 01.01.2027; Almaty has one inspection that day.
SEED = """
import datetime as dt
from django.utils import timezone
from saqshy.core.testing.personas import make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.incidents.tests.factories import IncidentFactory
from saqshy.inspections.tests.factories import InspectionFactory
from saqshy.reports import services
from saqshy.reports.tests.fakes import commission_people
p = make_personas()
people = commission_people(p)
eve = dt.date(2026, 12, 31)
venue = FacilityFactory(region=p.astana, name="Khan Shatyr")
InspectionFactory(facility=venue, inspected_on=eve)
InspectionFactory(facility=FacilityFactory(region=p.astana), inspected_on=eve)
InspectionFactory(facility=FacilityFactory(region=p.almaty), inspected_on=eve)
at = timezone.make_aware(dt.datetime(2027, 1, 1, 0, 20))
IncidentFactory(region=p.astana, reported_at=at, address="Mangilik El 10")
services.open_report(acting_user=people["coordinator_astana"], region=p.astana,
                     day=dt.date(2027, 1, 1))
"""

ROWS = """(selector) => [...document.querySelectorAll(selector + ' tbody tr')]
  .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("analyst"), SEED) as url:
        yield url


def test_analyst_from_the_national_map_to_the_exported_report(server: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect
    from pypdf import PdfReader

    with browser_page(accept_downloads=True) as page:
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        # The national map of the regions, coloured by inspections on 31.12.2026.
        page.goto(
            f"{server}/indicators/national/?indicator=inspections&from=2026-12-31&to=2026-12-31"
        )
        page.wait_for_selector("#choropleth path.leaflet-interactive")
        astana_row = page.locator("#region-table tbody tr", has_text="Astana")
        expect(astana_row).to_contain_text("2")
        # Choose Astana on the map's table: its indicators for the day.
        astana_row.locator("a").click()
        page.wait_for_load_state()
        assert "region=astana" in page.url
        # One indicator's chart by day, with the table of the same numbers.
        page.locator(".indicator-card h2 a", has_text="Inspections").first.click()
        page.wait_for_selector("#indicator-chart")
        box = page.locator("#indicator-chart").bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
        assert page.locator("table.list tbody tr").count() >= 1
        # The header's region switch: the lists now open on Astana.
        page.select_option("#region-switch", "astana")
        page.wait_for_load_state()
        expect(page.locator("#region-switch")).to_have_value("astana")
        # The morning report of 1 January.
        page.goto(f"{server}/reports/")
        page.click("text=01.01.2027")
        expect(page.locator("#notable")).to_contain_text("Mangilik El 10")
        shown = dict(page.evaluate(ROWS, "#figures"))
        assert shown["Inspections"] == "2", shown
        with page.expect_download() as pdf:
            page.click("#export-pdf")
        pdf_path = tmp_path / "report.pdf"
        pdf.value.save_as(pdf_path)
        with page.expect_download() as xlsx:
            page.click("#export-xlsx")
        xlsx_path = tmp_path / "report.xlsx"
        xlsx.value.save_as(xlsx_path)
        assert page.errors == []

    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    workbook = load_workbook(io.BytesIO(xlsx_path.read_bytes()), read_only=True)
    sheet = workbook["Figures"]
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert header == ("Figure", "Value", "Of", "As shown")
    in_xlsx = {label: as_shown for label, _value, _base, as_shown in lines}
    assert in_xlsx == shown
    for label, value in shown.items():
        assert label in text and value in text, (label, value)
