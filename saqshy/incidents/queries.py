"""Read helpers: which units to send to an incident, nearest by road first."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from saqshy.accounts.roads import NoRoadGraph, graph_for
from saqshy.algorithms.routing import rank_sources
from saqshy.incidents.choices import UnitKind, UnitStatus
from saqshy.incidents.models import Incident, Unit

# Why a unit is not recommended, as stable machine words.
BUSY = "busy"
WRONG_KIND = "wrong_kind"
NO_POSITION = "no_position"
UNREACHABLE = "unreachable"


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def recommendations(incident: Incident, user: Any) -> dict[str, Any]:
    """Units to send, ranked by road travel time from their last position to the incident.

    Only units the caller may see in the incident's region are considered. ``recommended``
    holds the available units of the kinds the incident's type needs, fastest first; the first
    ``needs[kind]`` of each kind are ``suggested``. ``others`` lists every other unit with
    ``why_not``: busy, wrong kind, no position, or unreachable by road.
    """
    needs: dict[str, int] = dict(incident.type.needs or {})
    units: list[Unit] = list(
        Unit.objects.restrict(user, "view")
        .filter(region_id=incident.region_id)
        .select_related("agency")
        .order_by("call_sign", "id")
    )
    recommended: list[Candidate] = []
    others: list[Candidate] = []
    routable: list[Candidate] = []
    for unit in units:
        candidate = Candidate(
            unit=unit.pk,
            call_sign=unit.call_sign,
            kind=unit.kind,
            status=unit.status,
            agency=unit.agency.code,
            lat=unit.lat,
            lon=unit.lon,
        )
        if unit.kind not in needs:
            candidate.why_not = WRONG_KIND
            candidate.reason = _("%(kind)s is not needed for this incident type.") % {
                "kind": UnitKind.label(unit.kind)
            }
            others.append(candidate)
        elif unit.status != UnitStatus.AVAILABLE:
            candidate.why_not = BUSY
            candidate.reason = _("Not available: %(status)s.") % {
                "status": UnitStatus.label(unit.status)
            }
            others.append(candidate)
        elif unit.lat is None or unit.lon is None:
            candidate.why_not = NO_POSITION
            candidate.reason = _("The unit's position is unknown.")
            others.append(candidate)
        else:
            routable.append(candidate)

    incident_snap_m: float | None = None
    if routable:
        incident_snap_m = _rank(incident, routable)
    for candidate in routable:
        (recommended if candidate.why_not is None else others).append(candidate)
    recommended.sort(key=lambda c: (c.eta_seconds or math.inf, c.call_sign))
    taken: dict[str, int] = {}
    for candidate in recommended:
        if taken.get(candidate.kind, 0) < needs.get(candidate.kind, 0):
            candidate.suggested = True
            taken[candidate.kind] = taken.get(candidate.kind, 0) + 1
    return {
        "incident": incident.pk,
        "needs": needs,
        "missing": {
            kind: count - taken.get(kind, 0)
            for kind, count in needs.items()
            if count > taken.get(kind, 0)
        },
        "incident_snap_meters": incident_snap_m,
        "recommended": [c.as_dict() for c in recommended],
        "others": [c.as_dict() for c in others],
    }


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
    for candidate in candidates:
        assert candidate.lat is not None and candidate.lon is not None
        node, metres = graph.snap(candidate.lat, candidate.lon)
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
    for candidate, eta, dist in zip(snapped, seconds.tolist(), meters.tolist(), strict=True):
        if not math.isfinite(eta):
            candidate.why_not = UNREACHABLE
            candidate.reason = _("No road route leads from the unit to the incident.")
            continue
        candidate.eta_seconds = float(eta)
        candidate.meters = float(dist) if math.isfinite(dist) else None
        candidate.reason = _("%(kind)s, about %(min)d min by road (%(km).1f km).") % {
            "kind": UnitKind.label(candidate.kind),
            "min": _minutes(eta),
            "km": (candidate.meters or 0.0) / 1000,
        }
    return incident_snap
