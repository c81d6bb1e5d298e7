"""What a daily report says, computed from the records of its region and window.

Figures are every registered indicator (``core.indicators``) evaluated for the region over the
window, so a new app's figures join the report without this file changing. The sections that
are not single figures are read here from the other apps' models: incidents by type, notable
incidents (priority critical or high), home-alarm calls, utility outages, readiness levels
above normal and the staffing left short by the latest roster.

Everything is stored as plain data (names in the three languages, times as ISO strings) so a
report shows what was true when it was filled, whatever changes later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from saqshy.accounts.queries import norm
from saqshy.core import indicators
from saqshy.duty.choices import PlanKind, PlanStatus, ReadinessLevel
from saqshy.duty.models import PlanRun, Readiness
from saqshy.incidents.choices import IncidentSource
from saqshy.incidents.models import Incident
from saqshy.lifelines.models import Outage

WINDOW_NORM = "report_window_hour"
DUE_NORM = "report_due_hour"
# Incidents of critical priority are named one by one (up to NOTABLE_LIMIT, the rest counted).
NOTABLE_PRIORITIES = (1,)
NOTABLE_LIMIT = 50


def _local(day: dt.date, hour: float) -> dt.datetime:
    whole = int(hour)
    minutes = round((hour - whole) * 60)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(whole, minutes)))


def window_for(region_id: int, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The reporting window of ``day``: the norm's hour of the day before → that hour of the
    day, local time (08:00 → 08:00 by default)."""
    hour = norm(WINDOW_NORM, region_id)
    return _local(day - dt.timedelta(days=1), hour), _local(day, hour)


def due_at(region_id: int, day: dt.date) -> dt.datetime:
    """When the region's report for ``day`` must be submitted (10:00 local by default)."""
    return _local(day, norm(DUE_NORM, region_id))


def _names(obj: Any) -> dict[str, str]:
    return {lang: getattr(obj, f"name_{lang}", "") or "" for lang in ("en", "ru", "kk")}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def compute_figures(region_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """``{code: {"value": v, "base": b}}`` for every registered indicator."""
    found: dict[str, Any] = {}
    for ind in indicators.registry_indicators():
        figure = ind.evaluate([region_id], start, end)[region_id]
        found[ind.code] = {"value": figure.value, "base": figure.base}
    return found


def window_incidents(region_id: int, start: dt.datetime, end: dt.datetime) -> Any:
    """The incidents the report counts: reported in the window, merged duplicates left out
    (their original is counted), exercise incidents never."""
    return Incident.objects.real().filter(
        region_id=region_id, reported_at__gte=start, reported_at__lt=end, merged_at__isnull=True
    )


def _incident_row(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "type": _names(incident.type),
        "priority": incident.priority,
        "address": incident.address,
        "lat": incident.lat,
        "lon": incident.lon,
        "reported_at": _iso(incident.reported_at),
        "closed_at": _iso(incident.closed_at),
        "status": incident.status,
    }


def compute_sections(region_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    incidents = window_incidents(region_id, start, end)
    by_type = [
        {
            "type": {
                "en": row["type__name_en"],
                "ru": row["type__name_ru"],
                "kk": row["type__name_kk"],
            },
            "count": row["n"],
        }
        for row in incidents.values("type__name_en", "type__name_ru", "type__name_kk")
        .annotate(n=Count("id"))
        .order_by("-n", "type__name_en")
    ]
    critical = incidents.filter(priority__in=NOTABLE_PRIORITIES)
    notable = [
        _incident_row(incident)
        for incident in critical.select_related("type").order_by("reported_at", "id")[
            :NOTABLE_LIMIT
        ]
    ]
    alarms = [
        _incident_row(incident)
        for incident in incidents.filter(source=IncidentSource.SENSOR)
        .select_related("type")
        .order_by("reported_at", "id")[:NOTABLE_LIMIT]
    ]
    outages = [
        {
            "id": outage.pk,
            "site": str(outage.site.facility.name or ""),
            "started": _iso(outage.started),
            "restored_at": _iso(outage.restored_at),
            "people": outage.people,
            "status": outage.status,
        }
        for outage in Outage.objects.filter(region_id=region_id, started__lt=end)
        .filter(Q(restored_at__isnull=True) | Q(restored_at__gte=start))
        .select_related("site__facility")
        .order_by("started", "id")
    ]
    readiness = [
        {
            "level": level.level,
            "agency": _names(level.agency) if level.agency else None,
            "starts_at": _iso(level.starts_at),
            "ends_at": _iso(level.ends_at),
            "reason": level.reason,
        }
        for level in Readiness.objects.filter(region_id=region_id, starts_at__lt=end)
        .exclude(level=ReadinessLevel.NORMAL)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))
        .select_related("agency")
        .order_by("starts_at", "id")
    ]
    run = (
        PlanRun.objects.filter(
            region_id=region_id,
            kind=PlanKind.ROSTER,
            status=PlanStatus.DONE,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    staffing = (
        {
            "needed_hours": run.needed_hours,
            "staffed_hours": run.staffed_hours,
            "gap_spans": run.gap_spans,
            "coverage": run.coverage,
        }
        if run is not None
        else None
    )
    return {
        "incidents_total": incidents.count(),
        "incidents_by_type": by_type,
        "notable": notable,
        "notable_total": critical.count(),
        "alarms": alarms,
        "outages": outages,
        "readiness": readiness,
        "staffing": staffing,
    }


def lateness(report: Any, due: dt.datetime, now: dt.datetime) -> dt.timedelta | None:
    """How late the report is at ``now`` (None: not late): not submitted by the due time, or
    submitted after it (lateness then stops at the submission)."""
    submitted = report.submitted_at if report is not None else None
    if submitted is not None and submitted <= due:
        return None
    until = submitted or now
    if until < due:
        return None
    return until - due
