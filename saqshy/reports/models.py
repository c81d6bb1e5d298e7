"""The daily situation report of a region, its agencies' narratives and its late escalations."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.core.models import BaseModel, ExerciseModel
from saqshy.reports.choices import ReportStatus


def _user(verbose: Any) -> Any:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class DailyReport(ExerciseModel):
    """One region's report for one day over its reporting window (``window_start`` →
    ``window_end``, by default 08:00 of the day before → 08:00 of the day, local time).

    ``figures`` is the snapshot of every registered indicator when the report was last filled
    (``{code: {"value": v, "base": b}}``); ``sections`` the lists that are not single figures
    (incidents by type, notable incidents, readiness and staffing gaps, alarms, outages). The
    snapshot is what was submitted and approved: records arriving later change a report only
    when someone refills it while it is a draft or returned.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="daily_reports"
    )
    day = models.DateField(_("day"))
    window_start = models.DateTimeField(_("window from"))
    window_end = models.DateTimeField(_("window until"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices(), default=ReportStatus.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)
    created_by = _user(_("created by"))
    submitted_by = _user(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = _user(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_by = _user(_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    returned_by = _user(_("returned by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)

    scope_region_field: ClassVar[str | None] = "region"
    exercise_wipe_order: ClassVar[int] = 10

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "region__name_en"]
        constraints = [
            # An exercise's report of a day stands beside the real one (docs/exercise.md).
            models.UniqueConstraint(
                fields=["region", "day", "is_exercise"], name="dailyreport_region_day"
            )
        ]
        permissions = [
            ("submit_dailyreport", _("Can submit daily reports")),
            ("approve_dailyreport", _("Can approve or return daily reports")),
            ("publish_dailyreport", _("Can publish daily reports to the commission")),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.day:%d.%m.%Y}"


class AgencyNarrative(BaseModel):
    """What one agency writes about the day in the region's report (one per agency)."""

    report = models.ForeignKey(
        DailyReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="narratives",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    author = _user(_("author"))

    scope_region_field: ClassVar[str | None] = "report__region"
    scope_agency_field: ClassVar[str | None] = "agency"

    class Meta:
        verbose_name = _("agency narrative")
        verbose_name_plural = _("agency narratives")
        ordering = ["agency__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["report", "agency"], name="narrative_report_agency")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.agency}"


class Escalation(BaseModel):
    """A region's report for a day that was not submitted by the due time, raised on the
    secretariat's board; recorded once per region and day (``escalate_late``)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    report = models.ForeignKey(
        DailyReport,
        verbose_name=_("report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
    )
    due_at = models.DateTimeField(_("due at"))
    escalated_at = models.DateTimeField(_("escalated at"))
    status_then = models.CharField(_("status then"), max_length=10, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("report escalation")
        verbose_name_plural = _("report escalations")
        ordering = ["-day", "region__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="escalation_region_day")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.day:%d.%m.%Y}"
