"""The rows a report shows, built once for the page, the PDF and the XLSX so they cannot
differ: figures (label, value), incidents by type, notable incidents, alarms, outages, gaps.

Labels come from the registered indicators and the stored names in the reader's language
(activate it before calling); times are local, dd.mm.yyyy HH:MM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saqshy.core import indicators
from saqshy.core.indicators import Figure
from saqshy.duty.choices import ReadinessLevel
from saqshy.incidents.choices import IncidentStatus, Priority
from saqshy.lifelines.choices import OutageStatus


@dataclass(frozen=True)
class FigureRow:
    label: str
    value: float
    base: float | None
    text: str


def number(value: float) -> str:
    """A figure in the reader's notation: ``2 864`` in Russian and Kazakh, ``2,864`` in
    English; a fraction keeps one decimal."""
    whole = value == int(value)
    return formats.number_format(
        int(value) if whole else value,
        decimal_pos=None if whole else 1,
        use_l10n=True,
        force_grouping=True,
    )


def figure_text(figure: Figure) -> str:
    """A count as a number; a share as "v of b (p %)"; a share of nothing as a dash."""
    if figure.base is None:
        return number(figure.value)
    if not figure.base:
        return "—"
    return _("%(value)s of %(base)s (%(percent)s %%)") % {
        "value": number(figure.value),
        "base": number(figure.base),
        "percent": formats.number_format(figure.percent or 0, decimal_pos=1, use_l10n=True),
    }


def figure_rows(figures: dict[str, Any]) -> list[FigureRow]:
    """One row per registered indicator that the snapshot holds, in display order."""
    rows = []
    for ind in indicators.registry_indicators():
        stored = figures.get(ind.code)
        if stored is None:
            continue
        figure = Figure(float(stored.get("value") or 0), stored.get("base"))
        rows.append(FigureRow(str(ind.label), figure.value, figure.base, figure_text(figure)))
    return rows


def name_in(names: dict[str, str] | None) -> str:
    """A stored ``{en, ru, kk}`` name in the reader's language (falling back to the others)."""
    if not names:
        return ""
    language = (get_language() or "en")[:2]
    return names.get(language) or names.get("en") or names.get("ru") or names.get("kk") or ""


def when(value: str | dt.datetime | None) -> str:
    """A stored time as local dd.mm.yyyy HH:MM."""
    if not value:
        return ""
    at = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return formats.date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def type_rows(sections: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (name_in(row["type"]), int(row["count"])) for row in sections.get("incidents_by_type", [])
    ]


def incident_rows(sections: dict[str, Any], key: str = "notable") -> list[dict[str, Any]]:
    return [
        {
            "when": when(row["reported_at"]),
            "type": name_in(row["type"]),
            "priority": str(Priority.label(str(row["priority"]))),
            "address": row["address"] or f"{row['lat']:.5f}, {row['lon']:.5f}",
            "status": str(IncidentStatus.label(row["status"])),
            "lat": row["lat"],
            "lon": row["lon"],
        }
        for row in sections.get(key, [])
    ]


def outage_rows(sections: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "site": row["site"],
            "started": when(row["started"]),
            "restored": when(row["restored_at"]),
            "people": row["people"],
            "status": str(OutageStatus.label(row["status"])),
        }
        for row in sections.get("outages", [])
    ]


def readiness_rows(sections: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "level": str(ReadinessLevel.label(row["level"])),
            "agency": name_in(row["agency"]) if row["agency"] else _("Every agency"),
            "from": when(row["starts_at"]),
            "until": when(row["ends_at"]) or _("until further notice"),
            "reason": row["reason"],
        }
        for row in sections.get("readiness", [])
    ]


def staffing_text(sections: dict[str, Any]) -> str:
    staffing = sections.get("staffing")
    if not staffing:
        return _("No computed roster covers this window.")
    return _(
        "Roster: %(staffed)s of %(needed)s person-hours staffed, %(spans)s spans left short."
    ) % {
        "staffed": staffing["staffed_hours"],
        "needed": staffing["needed_hours"],
        "spans": staffing["gap_spans"],
    }
