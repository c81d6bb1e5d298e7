"""Response-time indicators from the incident records, against norms that are data.

Two measures: call → dispatch (``reported_at`` → ``dispatched_at``) and dispatch → on scene
(``dispatched_at`` → ``on_scene_at``), each grouped by incident type, agency (of the units sent
to the incident: an incident answered by two agencies counts once for each), region and hour
of day (local time of the call), with count, median, 90th percentile and the share within the
norm. Merged duplicates are left out (their original is counted); so are incidents never
dispatched, a negative duration (a clock error in the record) and exercise incidents.

Norms: ``response_dispatch_seconds`` for dispatching; for arrival, a norm named
``response_arrival_<type code>_seconds`` if one exists, else the fire norm for the fire types,
else none. Each incident is judged against its own region's value (a region may override).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Norm, Region
from saqshy.accounts.norms import DEFAULT_NORMS, in_reader_language
from saqshy.algorithms.response import Summary, summarise
from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    counted_by_day,
    counted_in,
    in_windows_by_day,
)
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit

DISPATCH_NORM = "response_dispatch_seconds"
FIRE_ARRIVAL_NORM = "response_arrival_fire_city_seconds"
# Types the fire units' arrival norm applies to when no type-specific norm is set.
FIRE_TYPES = ("fire", "fire_alarm")


def arrival_norm_code(type_code: str) -> str:
    return f"response_arrival_{type_code}_seconds"


@dataclass(frozen=True)
class Measure:
    code: str
    label: Any
    start: str
    end: str


MEASURES = (
    Measure("call_to_dispatch", _("Call → dispatch"), "reported_at", "dispatched_at"),
    Measure("dispatch_to_on_scene", _("Dispatch → on scene"), "dispatched_at", "on_scene_at"),
)
GROUPINGS = (
    ("by_type", _("By incident type")),
    ("by_agency", _("By agency")),
    ("by_region", _("By region")),
    ("by_hour", _("By hour of the call")),
)


class _Norms:
    """Norm values per (code, region), loaded in one query; regional value, else national."""

    def __init__(self, codes: Iterable[str]) -> None:
        codes = set(codes)
        self.values: dict[tuple[str, int | None], float] = {
            (code, region_id): value
            for code, region_id, value in Norm.objects.filter(code__in=codes).values_list(
                "code", "region_id", "value"
            )
        }
        self.known = {code for code, _region in self.values} | (codes & DEFAULT_NORMS.keys())

    def get(self, code: str, region_id: int) -> float | None:
        for key in ((code, region_id), (code, None)):
            if key in self.values:
                return float(self.values[key])
        if code in DEFAULT_NORMS:
            return float(DEFAULT_NORMS[code][0])
        return None

    def arrival(self, type_code: str, region_id: int) -> float | None:
        own = arrival_norm_code(type_code)
        if own in self.known:
            return self.get(own, region_id)
        if type_code in FIRE_TYPES:
            return self.get(FIRE_ARRIVAL_NORM, region_id)
        return None


def norms_in_use(norms: _Norms) -> list[dict[str, Any]]:
    """The national value, unit and source of each response norm that applies."""
    rows = {
        n.code: n for n in Norm.objects.filter(code__in=norms.known, region=None).order_by("code")
    }
    answer = []
    for code in sorted(norms.known):
        row = rows.get(code)
        default = DEFAULT_NORMS.get(code)
        answer.append(
            {
                "code": code,
                "national_seconds": row.value if row else (default[0] if default else None),
                "description": in_reader_language(
                    row.description if row else (default[2] if default else "")
                ),
                "source": in_reader_language(
                    row.source if row else (default[3] if default else "")
                ),
                "regional_overrides": sorted(
                    region for (c, region) in norms.values if c == code and region is not None
                ),
            }
        )
    return answer


def local_day_range(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of ``date_from``, start of the day after ``date_to``) in the local time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _row(key: Any, label: Any, summary: Summary) -> dict[str, Any]:
    share = summary.share_within_norm
    return {
        "key": key,
        "label": str(label),
        "count": summary.count,
        "median_seconds": summary.median,
        "p90_seconds": summary.p90,
        "norm_seconds": summary.norm,
        "norms_vary": len(summary.norms) > 1,
        "with_norm": summary.with_norm,
        "within_norm": summary.within_norm,
        "share_within_norm": round(share, 4) if share is not None else None,
    }


def response_indicators(
    user: Any,
    *,
    date_from: dt.date,
    date_to: dt.date,
    regions: QuerySet[Region] | None = None,
    types: Iterable[IncidentType] = (),
) -> dict[str, Any]:
    """Both measures for the incidents ``user`` may see reported from ``date_from`` to
    ``date_to`` (local days, inclusive), optionally only in ``regions`` and of ``types``."""
    start, end = local_day_range(date_from, date_to)
    incidents: QuerySet[Incident] = (
        Incident.objects.real()
        .restrict(user, "view")
        .filter(
            reported_at__gte=start,
            reported_at__lt=end,
            merged_at__isnull=True,
            dispatched_at__isnull=False,
        )
    )
    if regions is not None:
        incidents = incidents.filter(region__in=regions)
    chosen = [t.pk for t in types]
    if chosen:
        incidents = incidents.filter(type_id__in=chosen)
    records = list(
        incidents.values_list(
            "pk", "type__code", "region_id", "reported_at", "dispatched_at", "on_scene_at"
        )
    )
    agencies_of: dict[int, set[int]] = defaultdict(set)
    for incident_id, agency_id in (
        IncidentUnit.objects.filter(incident__in=incidents)
        .values_list("incident_id", "unit__agency_id")
        .distinct()
    ):
        agencies_of[incident_id].add(agency_id)

    type_codes = {code for _pk, code, *_rest in records}
    norms = _Norms(
        {DISPATCH_NORM, FIRE_ARRIVAL_NORM} | {arrival_norm_code(code) for code in type_codes}
    )
    # Internal key -> (key in the answer, label): type code, region slug, agency code.
    names: dict[str, dict[Any, tuple[Any, str]]] = {
        "by_type": {t.code: (t.code, t.display_name) for t in IncidentType.objects.all()},
        "by_region": {r.pk: (r.slug, r.display_name) for r in Region.objects.all()},
        "by_agency": {
            a.pk: (a.code, a.display_name)
            for a in Agency.objects.filter(pk__in={a for s in agencies_of.values() for a in s})
        },
    }

    result: dict[str, Any] = {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "norms": norms_in_use(norms),
        "measures": [],
    }
    for measure in MEASURES:
        samples: list[tuple[dict[str, list[Any]], float, float | None]] = []
        for pk, type_code, region_id, reported, dispatched, on_scene in records:
            stamps = {"reported_at": reported, "dispatched_at": dispatched, "on_scene_at": on_scene}
            begin, finish = stamps[measure.start], stamps[measure.end]
            if begin is None or finish is None:
                continue
            seconds = (finish - begin).total_seconds()
            if seconds < 0:
                continue
            norm = (
                norms.get(DISPATCH_NORM, region_id)
                if measure.code == "call_to_dispatch"
                else norms.arrival(type_code, region_id)
            )
            keys: dict[str, list[Any]] = {
                "by_type": [type_code],
                "by_agency": sorted(agencies_of.get(pk, ())),
                "by_region": [region_id],
                "by_hour": [timezone.localtime(reported).hour],
            }
            samples.append((keys, seconds, norm))

        groups: dict[str, list[dict[str, Any]]] = {}
        for grouping, _title in GROUPINGS:
            buckets: dict[Any, list[tuple[float, float | None]]] = defaultdict(list)
            for keys, seconds, norm in samples:
                for key in keys[grouping]:
                    buckets[key].append((seconds, norm))
            if grouping == "by_hour":
                rows = [
                    _row(hour, f"{hour:02d}:00", summarise(buckets.get(hour, ())))
                    for hour in range(24)
                ]
            else:
                named = names[grouping]
                rows = sorted(
                    (
                        _row(*named.get(key, (key, str(key))), summarise(values))
                        for key, values in buckets.items()
                    ),
                    key=lambda row: row["label"],
                )
            groups[grouping] = rows
        result["measures"].append(
            {
                "code": measure.code,
                "label": str(measure.label),
                "overall": _row(
                    "all", _("All"), summarise((seconds, norm) for _k, seconds, norm in samples)
                ),
                **groups,
            }
        )
    return result


# --- the commission's figures (declared in apps.py; see docs/indicators.md) -------------------


def _reported(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Incident]:
    """Those of ``_counted`` reported in the window."""
    return _counted(ids).filter(reported_at__gte=start, reported_at__lt=end).order_by()


def _counted(ids: Sequence[int]) -> QuerySet[Incident]:
    """The real incidents of the regions (never an exercise's), merged ones left out."""
    return Incident.objects.real().filter(region_id__in=ids, merged_at__isnull=True)


def incidents_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return counted_by_day(_counted(ids), "reported_at", days, Count("id"))


@by_day(incidents_days)
def incidents(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Incidents reported in the window, merged duplicates left out."""
    return counted_in(_counted(ids), "reported_at", start, end, Count("id"))


@dataclass(frozen=True)
class _Judged:
    """Incidents judged against their norm for one measure (those with no norm left out), in
    the order of their calls: each one's call time, and its region and whether it was within."""

    called: list[dt.datetime]
    judged: list[tuple[int, bool]]


def _judged(ids: Sequence[int], start: dt.datetime, end: dt.datetime, measure: str) -> _Judged:
    """The window's incidents judged against their region's norm for one measure."""
    begin, finish = (
        ("reported_at", "dispatched_at")
        if measure == "dispatch"
        else ("dispatched_at", "on_scene_at")
    )
    records = list(
        _reported(ids, start, end)
        .filter(**{f"{begin}__isnull": False, f"{finish}__isnull": False})
        .annotate(took=F(finish) - F(begin))
        .values_list("region_id", "type__code", "reported_at", "took")
    )
    norms = _Norms(
        {DISPATCH_NORM, FIRE_ARRIVAL_NORM} | {arrival_norm_code(code) for _r, code, *_t in records}
    )
    records.sort(key=lambda record: record[2])
    called, judged = [], []
    for region_id, type_code, reported_at, took in records:
        seconds = took.total_seconds()
        if seconds < 0:
            continue
        norm = (
            norms.get(DISPATCH_NORM, region_id)
            if measure == "dispatch"
            else norms.arrival(type_code, region_id)
        )
        if norm is not None:
            called.append(reported_at)
            judged.append((region_id, seconds <= norm))
    return _Judged(called, judged)


def _within(judged: _Judged, start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Per region, (incidents within their norm, incidents with a norm) of those called in
    the window."""
    within: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    first = bisect.bisect_left(judged.called, start)
    last = bisect.bisect_left(judged.called, end)
    for region_id, in_norm in judged.judged[first:last]:
        within[region_id][1] += 1
        within[region_id][0] += in_norm
    return {region_id: Figure(value, base) for region_id, (value, base) in within.items()}


def response_within_norm_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return in_windows_by_day(days, lambda start, end: _judged(ids, start, end, "arrival"), _within)


@by_day(response_within_norm_days)
def response_within_norm(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Of the window's incidents with a dispatch, an arrival and an arrival norm for their
    type, those on scene within the norm after the dispatch."""
    return _within(_judged(ids, start, end, "arrival"), start, end)


def dispatch_within_norm_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return in_windows_by_day(days, lambda start, end: _judged(ids, start, end, "dispatch"), _within)


@by_day(dispatch_within_norm_days)
def dispatch_within_norm(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Of the window's dispatched incidents, those dispatched within the dispatch norm after
    the call."""
    return _within(_judged(ids, start, end, "dispatch"), start, end)
