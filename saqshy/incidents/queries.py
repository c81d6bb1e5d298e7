"""Read helpers: which units to send to an incident, nearest by road first."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from saqshy.accounts.models import Agency
from saqshy.accounts.roads import NoRoadGraph, graph_for
from saqshy.algorithms.routing import rank_sources
from saqshy.incidents.choices import UnitKind, UnitStatus
from saqshy.incidents.models import Incident, IncidentUnit, Unit

# Why a unit is not recommended, as stable machine words.
BUSY = "busy"
WRONG_KIND = "wrong_kind"
NO_POSITION = "no_position"
UNREACHABLE = "unreachable"
OUT_OF_REGION = "out_of_region"

# Units of other regions are listed (never ranked: each region has its own road graph) when they
# are within this straight-line distance of the incident, so a dispatcher sees why the crew
# just across the boundary was not suggested.
NEARBY_OTHER_REGION_M = 30_000.0


@dataclass
class Candidate:
    unit: int
    call_sign: str
    kind: str
    status: str
    agency: str
    lat: float | None
    lon: float | None
    eta_seconds: float | None = None
    meters: float | None = None
    suggested: bool = False
    why_not: str | None = None
    reason: str = ""
    agency_name: str = ""  # the agency in the reader's language (``agency`` is its code)

    def as_dict(self) -> dict[str, Any]:
        # Flat fields only: a plain copy of __dict__ (dataclasses.asdict deep-copies each value
        # recursively, which was a sixth of the time of a 500-unit answer).
        return dict(self.__dict__)


def _kind_labels() -> dict[str, str]:
    return {value: str(UnitKind.label(value)) for value in UnitKind.values()}


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def recommendations(incident: Incident, user: Any) -> dict[str, Any]:
    """Units to send, ranked by road travel time from their last position to the incident.

    Only units the caller may see in the incident's region are considered. ``recommended``
    holds the available units of the kinds the incident's type needs, fastest first; of each
    kind, as many as the type needs beyond the units already ``assigned`` are ``suggested``,
    and ``missing`` counts what no available unit covers. ``others`` lists every other unit
    with ``why_not``: busy, wrong kind, no position, unreachable by road, or out of region (a
    unit of another region within ``NEARBY_OTHER_REGION_M`` of the incident). ``meters`` is the
    shortest road distance; ``eta_seconds`` the fastest travel time.
    """
    needs: dict[str, int] = dict(incident.type.needs or {})
    # Units already on the incident count towards what it needs.
    assigned: dict[str, int] = {}
    for kind in IncidentUnit.objects.filter(incident=incident, released_at=None).values_list(
        "unit__kind", flat=True
    ):
        assigned[kind] = assigned.get(kind, 0) + 1
    # Plain tuples, not model instances: building 500 units and their agencies as objects
    # (and parsing their timestamps) took a third of the time of the answer.
    visible: QuerySet[Unit] = Unit.objects.restrict(user, "view")
    fields = ("pk", "call_sign", "kind", "status", "agency__code", "lat", "lon")
    rows: Iterable[tuple[int, str, str, str, str, float | None, float | None]] = (
        visible.filter(region_id=incident.region_id)
        .order_by("call_sign", "id")
        .values_list(*fields)
    )
    dlat = NEARBY_OTHER_REGION_M / 111_320.0
    dlon = dlat / max(math.cos(math.radians(incident.lat)), 0.01)
    elsewhere: Iterable[tuple[int, str, str, str, str, float | None, float | None]] = (
        visible.exclude(region_id=incident.region_id)
        .filter(
            lat__range=(incident.lat - dlat, incident.lat + dlat),
            lon__range=(incident.lon - dlon, incident.lon + dlon),
        )
        .order_by("call_sign", "id")
        .values_list(*fields)
    )
    recommended: list[Candidate] = []
    others: list[Candidate] = []
    routable: list[Candidate] = []
    # Each message and label is translated once per answer, not once per unit.
    kind_labels = _kind_labels()
    status_labels = {value: str(UnitStatus.label(value)) for value in UnitStatus.values()}
    not_needed = _("%(kind)s is not needed for this incident type.")
    not_available = _("Not available: %(status)s.")
    no_position = _("The unit's position is unknown.")
    for pk, call_sign, kind, unit_status, agency_code, lat, lon in rows:
        candidate = Candidate(
            unit=pk,
            call_sign=call_sign,
            kind=kind,
            status=unit_status,
            agency=agency_code,
            lat=lat,
            lon=lon,
        )
        if candidate.kind not in needs:
            candidate.why_not = WRONG_KIND
            candidate.reason = not_needed % {"kind": kind_labels.get(kind, kind)}
            others.append(candidate)
        elif unit_status != UnitStatus.AVAILABLE:
            candidate.why_not = BUSY
            candidate.reason = not_available % {
                "status": status_labels.get(unit_status, unit_status)
            }
            others.append(candidate)
        elif lat is None or lon is None:
            candidate.why_not = NO_POSITION
            candidate.reason = no_position
            others.append(candidate)
        else:
            routable.append(candidate)

    out_of_region = _("The unit belongs to another region.")
    for pk, call_sign, kind, unit_status, agency_code, lat, lon in elsewhere:
        others.append(
            Candidate(
                unit=pk,
                call_sign=call_sign,
                kind=kind,
                status=unit_status,
                agency=agency_code,
                lat=lat,
                lon=lon,
                why_not=OUT_OF_REGION,
                reason=out_of_region,
            )
        )

    incident_snap_m: float | None = None
    if routable:
        incident_snap_m = _rank(incident, routable)
    for candidate in routable:
        (recommended if candidate.why_not is None else others).append(candidate)
    recommended.sort(key=lambda c: (c.eta_seconds or math.inf, c.call_sign))
    taken = dict(assigned)
    for candidate in recommended:
        if taken.get(candidate.kind, 0) < needs.get(candidate.kind, 0):
            candidate.suggested = True
            taken[candidate.kind] = taken.get(candidate.kind, 0) + 1
    _name_agencies([*recommended, *others])
    return {
        "incident": incident.pk,
        "needs": needs,
        "assigned": assigned,
        "missing": {
            kind: count - taken.get(kind, 0)
            for kind, count in needs.items()
            if count > taken.get(kind, 0)
        },
        "incident_snap_meters": incident_snap_m,
        "recommended": [c.as_dict() for c in recommended],
        "others": [c.as_dict() for c in others],
    }


def _name_agencies(candidates: list[Candidate]) -> None:
    """Each candidate's agency in the reader's language (one query for all of them)."""
    names = {
        agency.code: agency.display_name
        for agency in Agency.objects.filter(code__in={c.agency for c in candidates}).only(
            "code", "name_kk", "name_ru", "name_en"
        )
    }
    for candidate in candidates:
        candidate.agency_name = names.get(candidate.agency, candidate.agency)


def _rank(incident: Incident, candidates: list[Candidate]) -> float | None:
    """Fill eta/meters/reason on ``candidates``, marking those the roads cannot bring there."""
    try:
        graph = graph_for(incident.region)
    except NoRoadGraph:
        for candidate in candidates:
            candidate.why_not = UNREACHABLE
            candidate.reason = _("There is no road data for this region.")
        return None
    limit = float(settings.SAQSHY_SNAP_MAX_M)
    target, incident_snap = graph.snap(incident.lat, incident.lon)
    if incident_snap > limit:
        for candidate in candidates:
            candidate.why_not = UNREACHABLE
            candidate.reason = _("The incident is %(m)d m from the nearest road.") % {
                "m": round(incident_snap)
            }
        return incident_snap
    sources: list[int] = []
    snapped: list[Candidate] = []
    # One KD-tree query for every unit: 500 snaps take ~0.6 ms instead of ~15 ms one by one.
    lats: list[float] = []
    lons: list[float] = []
    for candidate in candidates:
        assert candidate.lat is not None and candidate.lon is not None
        lats.append(candidate.lat)
        lons.append(candidate.lon)
    nodes, distances = graph.snap_many(lats, lons)
    for candidate, node, metres in zip(candidates, nodes.tolist(), distances.tolist(), strict=True):
        if metres > limit:
            candidate.why_not = UNREACHABLE
            candidate.reason = _("The unit is %(m)d m from the nearest road.") % {
                "m": round(metres)
            }
            continue
        sources.append(node)
        snapped.append(candidate)
    if not snapped:
        return incident_snap
    seconds = rank_sources(graph, sources, target, metric="time")
    meters = rank_sources(graph, sources, target, metric="distance")
    kind_labels = _kind_labels()
    no_route = _("No road route leads from the unit to the incident.")
    by_road = _("%(kind)s, about %(min)d min by road (%(km).1f km).")
    for candidate, eta, dist in zip(snapped, seconds.tolist(), meters.tolist(), strict=True):
        if not math.isfinite(eta):
            candidate.why_not = UNREACHABLE
            candidate.reason = no_route
            continue
        candidate.eta_seconds = float(eta)
        candidate.meters = float(dist) if math.isfinite(dist) else None
        candidate.reason = by_road % {
            "kind": kind_labels.get(candidate.kind, candidate.kind),
            "min": _minutes(eta),
            "km": (candidate.meters or 0.0) / 1000,
        }
    return incident_snap
