"""Routes between places on the highway network, explained in words people use.

``places()`` lists the settlements at the segments' ends (the route planner's choices);
``explain_route`` answers "how do I get from A to B by car/bus/truck now": the route's length,
time and the roads it takes by name, around closures; or why there is none, naming the closed
roads in the way with their reason and expected reopening ("Closed: M-36 Astana – Karaganda,
blizzard, expected to reopen 01.01.2027 08:00"). The pages, the API and other apps (warming
points, stranded vehicles) share it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.roads.choices import ClosureReason, Restriction, SegmentStatus, VehicleClass
from saqshy.roads.models import Closure, Segment
from saqshy.roads.network import NoRoute, closed_for, network

ROUTE = "route"
BLOCKED = "blocked"
UNCONNECTED = "unconnected"


def local_text(moment: dt.datetime | None) -> str:
    """dd.mm.yyyy HH:MM in the local time zone, or "" for none."""
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Place:
    """A settlement at segment ends: ``key`` is its English name (stable across languages),
    ``label`` its name in the active language, (``lat``, ``lon``) the mean of its junctions."""

    key: str
    label: str
    lat: float
    lon: float


def places() -> list[Place]:
    """Every place named at a segment end, by label."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    labels: dict[str, str] = {}
    for segment in Segment.objects.defer("created_at", "updated_at").order_by("pk"):
        coords = segment.geometry.get("coordinates") or []
        if len(coords) < 2:
            continue
        ends = (
            (segment.from_place, segment.from_label, coords[0]),
            (segment.to_place, segment.to_label, coords[-1]),
        )
        for key, label, point in ends:
            if key:
                points[key].append((float(point[1]), float(point[0])))
                labels.setdefault(key, label)
    out = [
        Place(
            key,
            labels[key],
            sum(p[0] for p in pts) / len(pts),
            sum(p[1] for p in pts) / len(pts),
        )
        for key, pts in points.items()
    ]
    return sorted(out, key=lambda p: p.label)


def place(key: str) -> Place | None:
    """The place named ``key`` (its English name, as in ``places()``), or None."""
    return next((p for p in places() if p.key == key), None)


@dataclass
class RouteAnswer:
    """A route (``kind`` route) or a refusal (``blocked``: closures cut every way, named in
    ``blocking`` and ``reason``; ``unconnected``: no road joins the places)."""

    kind: str
    vehicle: str
    km: float = 0.0
    hours: float = 0.0
    roads: list[dict[str, Any]] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    avoided: list[dict[str, Any]] = field(default_factory=list)
    blocking: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""
    geometry: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.kind == ROUTE

    @property
    def duration(self) -> str:
        """ "3 h 05 min"-style text of ``hours``."""
        minutes = round(self.hours * 60)
        return _("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "vehicle": self.vehicle,
            "km": round(self.km, 1),
            "hours": round(self.hours, 2),
            "duration": self.duration if self.ok else "",
            "roads": self.roads,
            "segments": self.segments,
            "avoided": self.avoided,
            "blocking": self.blocking,
            "reason": self.reason,
            "geometry": self.geometry,
        }


def closure_text(segment: Segment, closure: Closure | None) -> str:
    """ "Closed: M-36 Astana – Karaganda, blizzard, expected to reopen 01.01.2027 08:00"."""
    if closure is None:
        return _("Closed: %(road)s") % {"road": segment.title}
    if closure.status == SegmentStatus.RESTRICTED:
        head = _("Restricted (%(restriction)s): %(road)s") % {
            "restriction": _lower_first(str(Restriction.label(closure.restriction))),
            "road": segment.title,
        }
    else:
        head = _("Closed: %(road)s") % {"road": segment.title}
    parts = [head, _lower_first(str(ClosureReason.label(closure.reason)))]
    if closure.expected_reopening_at:
        parts.append(
            _("expected to reopen %(when)s") % {"when": local_text(closure.expected_reopening_at)}
        )
    return ", ".join(parts)


def describe_closed(segment_ids: list[int] | tuple[int, ...]) -> list[dict[str, Any]]:
    """The closed segments among ``segment_ids``, one entry per road (segments of the same
    road and closure read as one), in order: id(s), title, status, reason, expected reopening
    and the sentence that says it."""
    segments = {s.pk: s for s in Segment.objects.filter(pk__in=segment_ids).select_related()}
    current = {
        c.segment_id: c
        for c in Closure.objects.filter(segment_id__in=segment_ids, ended_at__isnull=True)
    }
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for segment_id in segment_ids:
        segment = segments.get(segment_id)
        if segment is None:
            continue
        closure = current.get(segment_id)
        text = closure_text(segment, closure)
        key = (segment.title, text)
        if key in grouped:
            grouped[key]["segments"].append(segment_id)
            continue
        grouped[key] = {
            "segment": segment_id,
            "segments": [segment_id],
            "title": segment.title,
            "number": segment.number,
            "status": closure.status if closure else segment.status,
            "status_label": str(SegmentStatus.label(closure.status if closure else segment.status)),
            "reason": closure.reason if closure else "",
            "reason_label": str(ClosureReason.label(closure.reason)) if closure else "",
            "restriction_label": (
                str(Restriction.label(closure.restriction))
                if closure and closure.restriction
                else ""
            ),
            "expected_reopening": local_text(closure.expected_reopening_at) if closure else "",
            "text": text,
        }
    return list(grouped.values())


def _roads(segment_ids: tuple[int, ...], edge_km: dict[int, float]) -> list[dict[str, Any]]:
    """Consecutive segments of one road merged: [{"title", "number", "km"}] in order."""
    segments = {s.pk: s for s in Segment.objects.filter(pk__in=segment_ids)}
    out: list[dict[str, Any]] = []
    for segment_id in segment_ids:
        segment = segments.get(segment_id)
        if segment is None:
            continue
        title = segment.title
        if out and out[-1]["title"] == title:
            out[-1]["km"] += edge_km.get(segment_id, 0.0)
        else:
            km = edge_km.get(segment_id, 0.0)
            out.append({"title": title, "number": segment.number, "km": km})
    for row in out:
        row["km"] = round(row["km"], 1)
    return out


def explain_route(
    origin: tuple[float, float],
    destination: tuple[float, float],
    vehicle: str = VehicleClass.CAR,
) -> RouteAnswer:
    """The quickest route ``vehicle`` may drive now between two points (lat, lon), with the
    roads it takes by name and the closed roads it goes around; or the refusal and why."""
    if vehicle not in VehicleClass.values():
        vehicle = VehicleClass.CAR
    net = network()
    closed = closed_for(vehicle)
    try:
        route = net.route(origin, destination, closed)
    except NoRoute as refused:
        if refused.blocking:
            blocking = describe_closed(refused.blocking)
            return RouteAnswer(
                BLOCKED,
                vehicle,
                blocking=blocking,
                reason="; ".join(row["text"] for row in blocking),
            )
        return RouteAnswer(
            UNCONNECTED, vehicle, reason=_("No road connects these places on the network.")
        )
    edge_km = {e: net.by_id[e].length_m / 1000 for e in route.edges}
    # The partly driven first and last segments: scale to the route's total.
    total = sum(edge_km.values()) or 1.0
    scale = (route.meters / 1000) / total
    edge_km = {e: km * scale for e, km in edge_km.items()}
    avoided: list[dict[str, Any]] = []
    if closed:
        try:
            direct = net.route(origin, destination, ())
            around = [e for e in direct.edges if e in closed]
            if around:
                avoided = describe_closed(around)
        except NoRoute:
            pass
    return RouteAnswer(
        ROUTE,
        vehicle,
        km=route.meters / 1000,
        hours=route.seconds / 3600,
        roads=_roads(route.edges, edge_km),
        segments=list(route.edges),
        avoided=avoided,
        geometry={"type": "LineString", "coordinates": [list(c) for c in route.coords]},
    )
