"""The assessments list as a file: the page's rows with their findings counted, audited."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.core.tests.test_exports_lists import read_csv, read_xlsx
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.protection.tests.factories import camera, completed, square


def today() -> dt.date:
    """The services' own today, asked when the test runs."""
    return timezone.localdate()


class AssessmentExportTests(PersonaTestCase):
    def test_rows_carry_coverage_and_open_and_overdue_findings(self) -> None:
        p = self.personas
        venue = FacilityFactory(
            region=p.almaty, kind="mall", name="Dostyk Plaza", capacity=3000, footprint=square()
        )
        camera(venue, square())
        completed(
            venue,
            on=today() - dt.timedelta(days=40),
            not_met={"access-control": "No bag search", "staff-training": "Untrained"},
        )
        completed(FacilityFactory(region=p.astana, capacity=500), on=today())
        self.client.force_login(p.planner_almaty)
        url = reverse("protection:list")
        self.assertContains(self.client.get(url), "format=xlsx")
        rows = read_xlsx(self.client.get(url, {"format": "xlsx"}).content)
        header, body = rows[0], rows[1:]
        self.assertEqual(len(body), 1)
        row = dict(zip(header, body[0], strict=True))
        self.assertEqual(row["Venue"], "Dostyk Plaza")
        self.assertEqual(row["Region"], "Almaty")
        self.assertEqual(row["Tier"], "Enhanced tier")
        self.assertEqual(row["CCTV coverage, %"], 100)
        self.assertEqual(row["Open findings"], 2)
        self.assertEqual(row["Overdue findings"], 2)  # 14 and 30 days, assessed 40 days ago
        self.assertEqual(row["Assessed on"].date(), today() - dt.timedelta(days=40))
        lines = read_csv(self.client.get(url, {"format": "csv"}).content)
        self.assertEqual(
            lines[1][header.index("Valid until")], row["Valid until"].strftime("%d.%m.%Y")
        )
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
        self.assertEqual(entry.object_type, "protection.assessment")
        self.assertEqual(entry.actor_id, p.planner_almaty.pk)
        self.assertEqual(entry.region_id, p.almaty.pk)
        self.assertEqual(entry.after, {"filters": {}, "rows": 1, "format": "csv"})
