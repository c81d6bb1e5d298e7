from __future__ import annotations

import io
import re

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from saqshy.core.models import AuditEntry
from saqshy.reports import services
from saqshy.reports.models import AgencyNarrative, DailyReport
from saqshy.reports.tests.base import DAY, ReportTestCase

FORMULA = "=cmd|' /C calc'!A0"


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    found = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]
    return [row for row in found if row]


class PageTests(ReportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = services.open_report(
            acting_user=self.user("coordinator_astana"), region=self.p.astana, day=DAY
        )
        agency = self.p.dispatcher_astana.grants.first().agency
        services.save_narrative(
            acting_user=self.user("coordinator_astana"),
            report=self.report,
            agency=agency,
            text=FORMULA,
        )

    def login(self, name: str) -> None:
        self.client.force_login(self.people.get(name) or getattr(self.p, name))

    def test_detail_shows_figures_and_notable_incidents(self) -> None:
        self.login("analyst_national")
        page = self.client.get(reverse("reports:detail", args=[self.report.pk]))
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        figures = _cells(html, "figures")
        self.assertEqual(figures[0], ["Incidents reported", "3"])
        self.assertEqual(figures[1], ["Incidents closed", "1 of 3 (33.3 %)"])
        self.assertIn("01.01.2027 07:59", html)
        self.assertIn("Kabanbay batyr 5", html)
        self.assertNotIn('id="approve"', html)  # the analyst only reads
        self.assertNotIn('id="submit"', html)

    def test_workflow_buttons_follow_the_role(self) -> None:
        self.login("coordinator_astana")
        html = self.client.get(reverse("reports:detail", args=[self.report.pk])).content.decode()
        self.assertIn('id="submit"', html)
        self.assertNotIn('id="approve"', html)
        response = self.client.post(
            reverse("reports:action", args=[self.report.pk, "submit"]), {"version": ""}
        )
        self.assertEqual(response.status_code, 302)
        self.login("head_astana")
        html = self.client.get(reverse("reports:detail", args=[self.report.pk])).content.decode()
        self.assertIn('id="approve"', html)
        self.assertNotIn('id="submit"', html)

    def test_whoever_submitted_sees_why_they_cannot_approve(self) -> None:
        from saqshy.accounts.models import Grant, Role

        coordinator = self.user("coordinator_astana")
        Grant.objects.create(
            user=coordinator,
            agency=coordinator.grants.first().agency,
            role=Role.objects.get(slug="region-head"),
            region=self.p.astana,
        )
        services.submit(acting_user=coordinator, report=self.report)
        self.login("coordinator_astana")
        html = self.client.get(reverse("reports:detail", args=[self.report.pk])).content.decode()
        self.assertNotIn('id="approve"', html)
        self.assertIn('data-refusal="separation"', html)
        response = self.client.post(
            reverse("reports:action", args=[self.report.pk, "approve"]), follow=True
        )
        self.assertContains(response, "You submitted this report")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "submitted")

    def test_other_region_coordinator_gets_404(self) -> None:
        self.login("coordinator_almaty")
        for name in ("detail", "pdf", "xlsx"):
            response = self.client.get(reverse(f"reports:{name}", args=[self.report.pk]))
            self.assertEqual(response.status_code, 404, name)
        response = self.client.post(reverse("reports:action", args=[self.report.pk, "submit"]))
        self.assertEqual(response.status_code, 404)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "draft")

    def test_pdf_holds_the_page_figures_and_is_audited(self) -> None:
        self.login("analyst_national")
        html = self.client.get(reverse("reports:detail", args=[self.report.pk])).content.decode()
        response = self.client.get(reverse("reports:pdf", args=[self.report.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        text = " ".join(text.split())
        for label, value in _cells(html, "figures"):
            self.assertIn(f"{label} {value}", text)
        for label, count in _cells(html, "incident-types"):
            self.assertIn(f"{label} {count}", text)
        for row in _cells(html, "notable"):
            self.assertIn(row[0], text)
        self.assertIn("Kabanbay batyr 5", text)
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
        self.assertEqual(entry.after["format"], "pdf")
        self.assertEqual(entry.region_id, self.p.astana.pk)

    def test_xlsx_holds_the_page_figures_and_neutralised_text(self) -> None:
        self.login("analyst_national")
        html = self.client.get(reverse("reports:detail", args=[self.report.pk])).content.decode()
        response = self.client.get(reverse("reports:xlsx", args=[self.report.pk]))
        book = load_workbook(io.BytesIO(response.content))
        figures = [
            [row[0], row[3]] for row in book["Figures"].iter_rows(min_row=2, values_only=True)
        ]
        self.assertEqual(figures, _cells(html, "figures"))
        self.assertEqual(
            [row[1] for row in book["Figures"].iter_rows(min_row=2, values_only=True)], [3, 1]
        )
        narratives = list(book["Narratives"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(narratives[0][1], "'" + FORMULA)
        self.assertEqual(book["Narratives"].cell(2, 2).data_type, "s")
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
        self.assertEqual(entry.after["format"], "xlsx")

    def test_page_in_russian(self) -> None:
        self.login("analyst_national")
        page = self.client.get(
            reverse("reports:detail", args=[self.report.pk]), HTTP_ACCEPT_LANGUAGE="ru"
        )
        self.assertContains(page, "Черновик")

    def test_narrative_form_by_the_coordinator(self) -> None:
        self.login("coordinator_astana")
        agency = self.p.dispatcher_astana.grants.first().agency
        url = reverse("reports:narrative", args=[self.report.pk, agency.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url, {"text": "Quiet night", "version": ""})
        self.assertEqual(
            AgencyNarrative.objects.get(report=self.report, agency=agency).text, "Quiet night"
        )
        self.login("planner_almaty")
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_board_and_national_pages(self) -> None:
        self.login("secretary")
        board = self.client.get(reverse("reports:board"), {"day": "2027-01-01"})
        self.assertContains(board, "Astana")
        national = self.client.get(reverse("reports:national"), {"day": "2027-01-01"})
        self.assertEqual(national.status_code, 200)
        pdf = self.client.get(reverse("reports:national-pdf"), {"day": "2027-01-01"})
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        xlsx = self.client.get(reverse("reports:national-xlsx"), {"day": "2027-01-01"})
        book = load_workbook(io.BytesIO(xlsx.content))
        self.assertIn("Regions", book.sheetnames)

    def test_list_and_open(self) -> None:
        self.login("coordinator_almaty")
        page = self.client.get(reverse("reports:list"))
        self.assertNotContains(page, reverse("reports:detail", args=[self.report.pk]))
        response = self.client.post(
            reverse("reports:open"), {"region": self.p.almaty.pk, "day": "01.01.2027"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("/reports/", response["Location"])
        # Astana is not theirs: told so, nothing opened.
        response = self.client.post(
            reverse("reports:open"), {"region": self.p.astana.pk, "day": "02.01.2027"}, follow=True
        )
        self.assertContains(response, "Choose a region you report for")
        self.assertFalse(
            DailyReport.objects.filter(region=self.p.astana, day="2027-01-02").exists()
        )

    def test_list_filters_by_region_and_exports_as_filtered(self) -> None:
        almaty = services.open_report(
            acting_user=self.user("coordinator_almaty"), region=self.p.almaty, day=DAY
        )
        self.login("analyst_national")
        page = self.client.get(reverse("reports:list"), {"region": "almaty"})
        self.assertContains(page, reverse("reports:detail", args=[almaty.pk]))
        self.assertNotContains(page, reverse("reports:detail", args=[self.report.pk]))
        self.assertContains(page, "format=xlsx")
        xlsx = self.client.get(reverse("reports:list"), {"region": "almaty", "format": "xlsx"})
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        lines = list(sheet.iter_rows(values_only=True))
        self.assertEqual(lines[0][:3], ("#", "Day", "Region"))
        self.assertEqual([line[0] for line in lines[1:]], [almaty.pk])
        entry = AuditEntry.objects.filter(action="export").latest("id")
        self.assertEqual(entry.object_type, "reports.dailyreport")
        self.assertEqual(entry.after["filters"], {"region": "almaty"})
        # A coordinator of Almaty exports only what they may see, whatever the filter says.
        self.login("coordinator_almaty")
        xlsx = self.client.get(reverse("reports:list"), {"region": "astana", "format": "csv"})
        self.assertEqual(xlsx.content.decode("utf-8-sig").strip().count("\n"), 0)

    def test_pdf_and_xlsx_in_the_readers_language(self) -> None:
        self.login("analyst_national")
        pdf = self.client.get(
            reverse("reports:pdf", args=[self.report.pk]), HTTP_ACCEPT_LANGUAGE="ru"
        )
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        self.assertIn("Показатели", text)
        xlsx = self.client.get(
            reverse("reports:xlsx", args=[self.report.pk]), HTTP_ACCEPT_LANGUAGE="kk"
        )
        self.assertIn("Көрсеткіштер", load_workbook(io.BytesIO(xlsx.content)).sheetnames)
