"""What the report pages read: one report's content, the secretariat's board, the national
summary. Everything is limited to what the user may view (``restrict``/``user_scope``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.core import indicators
from saqshy.core.indicators import Figure, add
from saqshy.core.scoping import restricted, user_scope
from saqshy.reports import filling, rows, svg
from saqshy.reports.choices import ReportStatus
from saqshy.reports.models import DailyReport, Escalation


def regions_for(user: Any) -> list[Region]:
    """The regions whose reports ``user`` may view, by name."""
    scope = user_scope(user, DailyReport, "view")
    regions = Region.objects.order_by("name_en")
    if not scope.national:
        regions = regions.filter(pk__in=scope.region_ids)
    return list(regions)


def report_content(report: DailyReport, user: Any) -> dict[str, Any]:
    """Everything the page, the PDF and the XLSX show of one report to ``user`` (in the
    reader's language); narratives are those of the agencies the user may view."""
    sections = report.sections or {}
    types = rows.type_rows(sections)
    notable = rows.incident_rows(sections, "notable")
    narratives = [
        {"agency": n.agency.display_name, "text": n.text, "author": n.author}
        for n in restricted(user, report.narratives)
        .select_related("agency", "author")
        .order_by("agency__name_en")
    ]
    return {
        "figures": rows.figure_rows(report.figures or {}),
        "incidents_total": sections.get("incidents_total", 0),
        "types": types,
        "notable": notable,
        "notable_more": max(0, int(sections.get("notable_total", len(notable))) - len(notable)),
        "alarms": rows.incident_rows(sections, "alarms"),
        "outages": rows.outage_rows(sections),
        "readiness": rows.readiness_rows(sections),
        "staffing": rows.staffing_text(sections),
        "narratives": narratives,
        "chart": svg.bar_chart(types),
        "map": svg.region_map(
            report.region.boundary, [(row["lat"], row["lon"]) for row in notable]
        ),
        "window": (rows.when(report.window_start), rows.when(report.window_end)),
        "filled_at": rows.when(report.filled_at),
    }


@dataclass
class BoardRow:
    region: Region
    report: DailyReport | None
    due: dt.datetime
    late_by: dt.timedelta | None
    escalated: Escalation | None

    @property
    def late_text(self) -> str:
        if self.late_by is None:
            return ""
        minutes = int(self.late_by.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"


def board(user: Any, day: dt.date, now: dt.datetime | None = None) -> list[BoardRow]:
    """Every region in the user's scope with its real report for ``day``, late ones first (the
    latest first), then by name."""
    now = now or timezone.now()
    regions = regions_for(user)
    visible: list[DailyReport] = list(
        DailyReport.objects.real().restrict(user, "view").filter(day=day, region__in=regions)
    )
    reports = {r.region_id: r for r in visible}
    escalations = {e.region_id: e for e in Escalation.objects.filter(day=day, region__in=regions)}
    found = []
    for region in regions:
        report = reports.get(region.pk)
        due = filling.due_at(region.pk, day)
        found.append(
            BoardRow(
                region, report, due, filling.lateness(report, due, now), escalations.get(region.pk)
            )
        )
    found.sort(
        key=lambda row: (row.late_by is None, -(row.late_by or dt.timedelta()).total_seconds())
    )
    return found


@dataclass
class NationalSummary:
    day: dt.date
    figures: dict[str, Any] = field(default_factory=dict)
    included: list[DailyReport] = field(default_factory=list)
    missing: list[tuple[Region, DailyReport | None]] = field(default_factory=list)
    incidents_total: int = 0


def national_summary(user: Any, day: dt.date) -> NationalSummary:
    """The day's figures summed over the APPROVED and PUBLISHED regional reports the user may
    view (never drafts, submitted or returned ones, nor an exercise's), with the regions left
    out."""
    regions = regions_for(user)
    visible: list[DailyReport] = list(
        DailyReport.objects.real()
        .restrict(user, "view")
        .filter(day=day, region__in=regions)
        .select_related("region")
    )
    reports = {r.region_id: r for r in visible}
    summary = NationalSummary(day)
    for region in regions:
        report = reports.get(region.pk)
        if report is not None and report.status in ReportStatus.COUNTED:
            summary.included.append(report)
        else:
            summary.missing.append((region, report))
    for ind in indicators.registry_indicators():
        stored = [r.figures[ind.code] for r in summary.included if ind.code in (r.figures or {})]
        total = add((Figure(float(s["value"] or 0), s.get("base")) for s in stored), ind.unit)
        summary.figures[ind.code] = {"value": total.value, "base": total.base}
    summary.incidents_total = sum(
        int((r.sections or {}).get("incidents_total", 0)) for r in summary.included
    )
    return summary
