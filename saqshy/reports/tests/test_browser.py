"""The analyst opens the morning report of 1 January and exports it as PDF and XLSX; the
coordinator submits it and cannot approve it, the head of the region approves it."""

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
from saqshy.incidents.tests.factories import IncidentFactory
from saqshy.reports import services
from saqshy.reports.tests.fakes import commission_people
p = make_personas()
people = commission_people(p)
at = timezone.make_aware(dt.datetime(2027, 1, 1, 0, 20))
IncidentFactory(region=p.astana, reported_at=at, address="Mangilik El 10")
services.open_report(acting_user=people["coordinator_astana"], region=p.astana,
                     day=dt.date(2027, 1, 1))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("reports"), SEED) as url:
        yield url


def test_analyst_exports_the_morning_report(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with browser_page(accept_downloads=True) as page:
        sign_in(page, server, "analyst_national", "pw-analyst_national")
        page.goto(f"{server}/reports/")
        page.click("text=01.01.2027")
        expect(page.locator("#notable")).to_contain_text("01.01.2027 00:20")
        expect(page.locator("#notable")).to_contain_text("Mangilik El 10")
        expect(page.locator("#workflow button")).to_have_count(0)
        with page.expect_download() as pdf:
            page.click("#export-pdf")
        pdf_path = tmp_path / "report.pdf"
        pdf.value.save_as(pdf_path)
        assert pdf_path.read_bytes().startswith(b"%PDF")
        with page.expect_download() as xlsx:
            page.click("#export-xlsx")
        xlsx_path = tmp_path / "report.xlsx"
        xlsx.value.save_as(xlsx_path)
        assert xlsx_path.read_bytes().startswith(b"PK")
        assert page.errors == []


def test_coordinator_submits_and_the_head_approves(server: str) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        sign_in(page, server, "coordinator_astana", "pw-coordinator_astana")
        page.goto(f"{server}/reports/")
        page.click("text=01.01.2027")
        expect(page.locator("#approve")).to_have_count(0)
        page.click("#submit")
        expect(page.locator("#report-status")).to_have_text("Submitted")
        report_url = page.url
        page.click("text=Sign out")
        sign_in(page, server, "head_astana", "pw-head_astana")
        page.goto(report_url)
        page.click("#approve")
        expect(page.locator("#report-status")).to_have_text("Approved")
        assert page.errors == []
