from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from saqshy.accounts.models import Grant, Role
from saqshy.core.exceptions import Conflict, PreconditionFailed
from saqshy.core.models import AuditEntry
from saqshy.core.versioning import version_of
from saqshy.reports import queries, services
from saqshy.reports.models import Escalation
from saqshy.reports.tests.base import DAY, ReportTestCase, local


class WorkflowTests(ReportTestCase):
    def open(self, region: object = None) -> object:
        return services.open_report(
            acting_user=self.user("coordinator_astana"), region=region or self.p.astana, day=DAY
        )

    def test_open_fills_the_window_from_the_records(self) -> None:
        report = self.open()
        self.assertEqual(report.status, "draft")
        self.assertEqual(report.window_start, local(DAY - dt.timedelta(days=1), 8))
        self.assertEqual(report.window_end, local(DAY, 8))
        self.assertEqual(report.figures["incidents"]["value"], self.direct_count(self.p.astana))
        self.assertEqual(report.figures["incidents"]["value"], 3)
        self.assertEqual(report.figures["closed_share"], {"value": 1.0, "base": 3.0})
        self.assertEqual(report.sections["incidents_total"], 3)
        notable = report.sections["notable"]
        self.assertEqual([n["address"] for n in notable], ["", "Kabanbay batyr 5"])
        # Opening again returns the same report.
        self.assertEqual(self.open().pk, report.pk)

    def test_full_workflow_is_audited(self) -> None:
        report = self.open()
        services.submit(acting_user=self.user("coordinator_astana"), report=report)
        services.approve(acting_user=self.user("head_astana"), report=report)
        services.publish(acting_user=self.user("secretary"), report=report)
        report.refresh_from_db()
        self.assertEqual(report.status, "published")
        self.assertEqual(report.approved_by, self.user("head_astana"))
        entries = AuditEntry.objects.filter(
            object_type="reports.dailyreport", object_id=str(report.pk)
        )
        self.assertEqual(entries.count(), 4)  # create, submit, approve, publish

    def test_coordinator_cannot_approve_own_report(self) -> None:
        report = self.open()
        coordinator = self.user("coordinator_astana")
        services.submit(acting_user=coordinator, report=report)
        with self.assertRaises(PermissionDenied):
            services.approve(acting_user=coordinator, report=report)
        # Even with the head's role too, whoever submitted may not approve.
        Grant.objects.create(
            user=coordinator,
            agency=coordinator.grants.first().agency,
            role=Role.objects.get(slug="region-head"),
            region=self.p.astana,
        )
        with self.assertRaises(services.DutiesSeparated) as refused:
            services.approve(acting_user=coordinator, report=report)
        self.assertIn("submitted", str(refused.exception))
        report.refresh_from_db()
        self.assertEqual(report.status, "submitted")

    def test_head_of_another_region_cannot_approve(self) -> None:
        report = self.open()
        services.submit(acting_user=self.user("coordinator_astana"), report=report)
        with self.assertRaises(PermissionDenied):
            services.approve(acting_user=self.user("head_almaty"), report=report)

    def test_wrong_state_transitions_are_refused(self) -> None:
        report = self.open()
        with self.assertRaises(Conflict):
            services.approve(acting_user=self.user("head_astana"), report=report)
        with self.assertRaises(Conflict):
            services.publish(acting_user=self.user("secretary"), report=report)
        services.submit(acting_user=self.user("coordinator_astana"), report=report)
        with self.assertRaises(Conflict):
            services.submit(acting_user=self.user("coordinator_astana"), report=report)
        with self.assertRaises(Conflict):
            services.fill(acting_user=self.user("coordinator_astana"), report=report)

    def test_return_needs_a_reason_and_allows_refill_and_resubmit(self) -> None:
        report = self.open()
        services.submit(acting_user=self.user("coordinator_astana"), report=report)
        with self.assertRaises(ValidationError):
            services.return_report(acting_user=self.user("head_astana"), report=report, reason=" ")
        services.return_report(
            acting_user=self.user("head_astana"), report=report, reason="Add the fire details"
        )
        self.assertEqual(report.status, "returned")
        services.fill(acting_user=self.user("coordinator_astana"), report=report)
        services.submit(acting_user=self.user("coordinator_astana"), report=report)
        self.assertEqual(report.status, "submitted")
        self.assertEqual(report.return_reason, "")

    def test_stale_version_is_refused(self) -> None:
        report = self.open()
        stale = version_of(report)
        services.fill(acting_user=self.user("coordinator_astana"), report=report, now=local(DAY, 9))
        with self.assertRaises(PreconditionFailed):
            services.submit(
                acting_user=self.user("coordinator_astana"), report=report, expected_version=stale
            )
        services.submit(
            acting_user=self.user("coordinator_astana"),
            report=report,
            expected_version=version_of(report),
        )

    def test_almaty_coordinator_cannot_submit_astana(self) -> None:
        report = self.open()
        with self.assertRaises(PermissionDenied):
            services.submit(acting_user=self.user("coordinator_almaty"), report=report)

    def test_narrative_by_the_coordinator_and_locked_after_submit(self) -> None:
        report = self.open()
        agency = self.p.dispatcher_astana.grants.first().agency
        services.save_narrative(
            acting_user=self.user("coordinator_astana"), report=report, agency=agency, text="Quiet"
        )
        services.submit(acting_user=self.user("coordinator_astana"), report=report)
        with self.assertRaises(Conflict):
            services.save_narrative(
                acting_user=self.user("coordinator_astana"),
                report=report,
                agency=agency,
                text="Changed",
            )


class EscalationTests(ReportTestCase):
    def test_late_report_escalates_once(self) -> None:
        before_due = local(DAY, 9, 59)
        self.assertEqual(services.escalate_late(day=DAY, now=before_due), [])
        after_due = local(DAY, 10, 30)
        first = services.escalate_late(day=DAY, now=after_due)
        # No region has submitted: every region is late, once.
        self.assertEqual(
            {e.region_id for e in first}, {self.p.astana.pk, self.p.almaty.pk, self.p.shymkent.pk}
        )
        self.assertEqual(services.escalate_late(day=DAY, now=local(DAY, 11)), [])
        self.assertEqual(Escalation.objects.filter(day=DAY).count(), 3)
        self.assertEqual(AuditEntry.objects.filter(object_type="reports.escalation").count(), 3)

    def test_a_region_sets_its_own_due_hour(self) -> None:
        from saqshy.accounts.models import Norm

        Norm.objects.create(code="report_due_hour", region=self.p.astana, value=12, unit="hour")
        escalated = services.escalate_late(day=DAY, now=local(DAY, 10, 30))
        self.assertNotIn(self.p.astana.pk, {e.region_id for e in escalated})
        later = services.escalate_late(day=DAY, now=local(DAY, 12, 1))
        self.assertEqual([e.region_id for e in later], [self.p.astana.pk])
        self.assertEqual(later[0].due_at, local(DAY, 12))

    def test_report_submitted_in_time_does_not_escalate(self) -> None:
        report = services.open_report(
            acting_user=self.user("coordinator_astana"), region=self.p.astana, day=DAY
        )
        services.submit(
            acting_user=self.user("coordinator_astana"), report=report, now=local(DAY, 9, 30)
        )
        escalated = services.escalate_late(day=DAY, now=local(DAY, 10, 30))
        self.assertNotIn(self.p.astana.pk, {e.region_id for e in escalated})

    def test_board_lists_late_regions_first(self) -> None:
        report = services.open_report(
            acting_user=self.user("coordinator_astana"), region=self.p.astana, day=DAY
        )
        services.submit(
            acting_user=self.user("coordinator_astana"), report=report, now=local(DAY, 9)
        )
        rows = queries.board(self.p.analyst_national, DAY, now=local(DAY, 12))
        self.assertEqual(rows[-1].region, self.p.astana)
        self.assertIsNone(rows[-1].late_by)
        self.assertEqual(rows[0].late_text, "2:00")
        # A coordinator's board holds only their region.
        own = queries.board(self.user("coordinator_almaty"), DAY, now=local(DAY, 12))
        self.assertEqual([row.region for row in own], [self.p.almaty])


class NationalSummaryTests(ReportTestCase):
    def test_summary_counts_only_approved_and_published(self) -> None:
        astana = services.open_report(
            acting_user=self.user("coordinator_astana"), region=self.p.astana, day=DAY
        )
        almaty = services.open_report(
            acting_user=self.user("coordinator_almaty"), region=self.p.almaty, day=DAY
        )
        summary = queries.national_summary(self.p.analyst_national, DAY)
        self.assertEqual(summary.included, [])
        self.assertEqual(summary.figures["incidents"]["value"], 0)
        services.submit(acting_user=self.user("coordinator_almaty"), report=almaty)
        services.submit(acting_user=self.user("coordinator_astana"), report=astana)
        summary = queries.national_summary(self.p.analyst_national, DAY)
        self.assertEqual(summary.included, [])  # submitted is not approved
        services.approve(acting_user=self.user("head_astana"), report=astana)
        summary = queries.national_summary(self.p.analyst_national, DAY)
        self.assertEqual([r.pk for r in summary.included], [astana.pk])
        self.assertEqual(summary.figures["incidents"]["value"], 3)
        self.assertEqual(summary.figures["closed_share"], {"value": 1.0, "base": 3.0})
        self.assertIn(self.p.almaty, [region for region, _r in summary.missing])
        services.approve(acting_user=self.user("head_almaty"), report=almaty)
        services.publish(acting_user=self.user("head_almaty"), report=almaty)
        summary = queries.national_summary(self.p.analyst_national, DAY)
        self.assertEqual(summary.figures["incidents"]["value"], 4)
        self.assertEqual(summary.figures["closed_share"], {"value": 1.0, "base": 4.0})


class CommandTests(ReportTestCase):
    def test_escalate_reports_once(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("escalate_reports", "--once", "--day", "2020-01-01", stdout=out)
        self.assertIn("escalated: 3", out.getvalue())
        call_command("escalate_reports", "--once", "--day", "2020-01-01", stdout=out)
        self.assertIn("escalated: 0", out.getvalue())
