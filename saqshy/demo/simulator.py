"""The New Year's Eve simulator: plays the demo night in Astana over the public HTTP API.

It signs in as the dispatcher of each response agency (police, emergency, health) with the
demo password and does what they would do, only through the API people use: reports
incidents, asks for recommendations and dispatches the suggested units, moves the incident
along (en route, on scene), posts unit positions every couple of seconds while they drive
along the road route from ``/api/routing/route``, closes the incident after a plausible time
on scene, drives the units home and makes them available again.

Time runs faster than real time (``speed``: simulated seconds per real second, 5 by default)
and the night loops from 18:00 to 08:00. Arrival rates, sampling and motion are the pure
functions of ``saqshy.algorithms.simulate``; ``docs/simulator.md`` states the assumptions.
Traffic accidents happen at real accident locations from ``data/incidents``; other incidents
near the season's events and venues and the city's facilities.

The simulator survives everything a live system throws at it: a 409 because a person took the
unit first, an incident a person closed, a route the road graph cannot find. It logs and goes
on. It exits when the server has been gone for ``give_up`` seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import heapq
import itertools
import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from saqshy.algorithms.simulate import (
    RateModel,
    Track,
    hour_shape,
    jitter,
    next_arrival,
    night_clock,
    on_scene_seconds,
)
from saqshy.demo.api_client import Api, ServerGone, sign_in
from saqshy.demo.people import DEMO_PASSWORD, DISPATCHERS

log = logging.getLogger("saqshy.demo.simulator")

CITY = "astana"
# Which agency's dispatcher handles a unit kind, and which one takes the call of a type.
AGENCY_OF_KIND = {
    "patrol_car": "police-astana",
    "foot_patrol": "police-astana",
    "traffic_police": "police-astana",
    "fire_engine": "des-astana",
    "ladder": "des-astana",
    "rescue": "des-astana",
    "special_equipment": "des-astana",
    "helicopter": "des-astana",
    "ambulance": "health-astana",
}
CALL_TAKER = {
    "medical": ("health-astana", "call_103"),
    "fire": ("des-astana", "call_101"),
    "fire_alarm": ("des-astana", "sensor"),
    "utility_outage": ("des-astana", "agency"),
    "stranded": ("des-astana", "call_112"),
    "crowd_density": ("police-astana", "camera"),
    "traffic_accident": ("police-astana", "call_102"),
}
DEFAULT_CALL_TAKER = ("police-astana", "call_102")
# Where each type happens (besides traffic accidents, which use the real accident cards):
# facility kinds of the city, and whether the season's events draw it.
PLACES: dict[str, tuple[tuple[str, ...], float]] = {
    "medical": (("school", "kindergarten", "mall", "clinic"), 0.3),
    "crime": (("mall", "market", "station", "school"), 0.35),
    "fire": (("school", "kindergarten", "market", "mall"), 0.1),
    "fire_alarm": (("mall", "school", "university", "theatre_cinema", "hospital"), 0.0),
    "lost_child": (("mall",), 0.7),
    "crowd_density": (("stadium", "mall"), 0.85),
    "suspicious_object": (("station", "mall", "stadium", "market"), 0.4),
    "utility_outage": (("energy_site", "heating_plant", "water_utility", "school"), 0.0),
    "other": (("mall", "school", "station", "market"), 0.2),
}
ON_ROADS = {"traffic_accident", "stranded"}
TURNOUT_S = 60.0
"""Simulated seconds between dispatch and the crew driving off."""
CALL_HANDLING_S = (30.0, 150.0)
"""Simulated seconds from the call to the dispatch decision (uniform)."""


@dataclass
class SimUnit:
    id: int
    call_sign: str
    kind: str
    agency: str
    home: tuple[float, float]
    position: tuple[float, float]
    status: str
    incident: int | None = None
    track: Track | None = None
    track_started: float = 0.0
    heading_home: bool = False
    arrived: bool = False


@dataclass
class SimIncident:
    id: int
    type: str
    lat: float
    lon: float
    lead: str
    needs: dict[str, int] = field(default_factory=dict)
    units: set[int] = field(default_factory=set)
    status: str = "new"
    close_at: float | None = None
    duplicates: list[int] = field(default_factory=list)


@dataclass
class Stats:
    reported: int = 0
    duplicates: int = 0
    held: int = 0
    dispatched_units: int = 0
    advanced: int = 0
    closed: int = 0
    positions: int = 0
    units_home: int = 0
    conflicts: int = 0
    errors: int = 0
    adopted: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Place:
    lat: float
    lon: float
    address: str


def read_accidents(path: Path) -> list[tuple[float, float, int]]:
    """(lat, lon, hour) of every accident card in the shipped file."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return [
            (float(row["lat"]), float(row["lon"]), int(row["at"][11:13]))
            for row in csv.DictReader(handle)
        ]


def winter_hours(path: Path) -> list[int]:
    """Hours of day of the December–February accidents, leaving out 1 January (see the
    attribution note: that day carries cards with a default date)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return [
            int(row["at"][11:13])
            for row in csv.DictReader(handle)
            if row["at"][5:7] in ("12", "01", "02") and row["at"][5:10] != "01-01"
        ]


class Simulator:
    """One simulated night. ``step(now_sim)`` does what is due; ``run`` loops over it."""

    def __init__(
        self,
        base_url: str,
        *,
        data_dir: Path,
        seed: int = 2026,
        speed: float = 5.0,
        peak_per_hour: float = 48.0,
        start: str = "20:00",
        position_every: float = 2.0,
        hold_probability: float = 0.07,
        hold_seconds: float = 180.0,
        duplicate_probability: float = 0.08,
        exercise: bool = False,
    ) -> None:
        self.base_url = base_url
        # Played as an exercise on a real installation: everything it creates is marked.
        self.exercise = exercise
        self.rng = random.Random(seed)
        self.speed = speed
        self.position_every = position_every
        self.hold_probability = hold_probability
        self.hold_seconds = hold_seconds
        self.duplicate_probability = duplicate_probability
        hours, minutes = (int(part) for part in start.split(":"))
        self.start_offset = (((hours - 18) % 24) * 60 + minutes) * 60.0
        accidents = data_dir / "incidents" / "astana_accidents.csv.gz"
        self.accidents = read_accidents(accidents)
        self.model = RateModel(
            peak_per_hour=peak_per_hour,
            shapes={"traffic_accident": hour_shape(winter_hours(accidents))},
        )
        self.apis: dict[str, Api] = {}
        self.units: dict[int, SimUnit] = {}
        self.incidents: dict[int, SimIncident] = {}
        # Who took each duplicate call: only that agency's dispatcher may cancel it.
        self.duplicate_takers: dict[int, str] = {}
        self.places: dict[str, list[Place]] = {}
        self.events: list[Place] = []
        self.queue: list[tuple[float, int, str, int]] = []
        self._order = itertools.count()
        self.next_arrival: tuple[float, str] | None = None
        self.last_positions = -1e9
        self.last_sync = -1e9
        self.sync_every = 20.0
        self.stats = Stats()

    # --- set-up --------------------------------------------------------------------------

    def connect(self) -> None:
        for agency, username in DISPATCHERS.items():
            self.apis[agency] = sign_in(
                self.base_url, username, DEMO_PASSWORD, exercise=self.exercise
            )
        police = self.apis["police-astana"]
        homes: dict[int, tuple[float, float]] = {}
        for agency, api in self.apis.items():
            for row in api.all_pages("/api/units/", {"region": CITY, "page_size": 1000}):
                if row["agency"] != agency or row["id"] in self.units:
                    continue
                station = row.get("home_station")
                if station and station not in homes:
                    status, facility = api.call("GET", f"/api/facilities/{station}/")
                    if status == 200:
                        homes[station] = (float(facility["lat"]), float(facility["lon"]))
                here = (row["lat"], row["lon"]) if row["lat"] is not None else None
                home = (homes.get(station) if station else None) or here
                if home is None:
                    continue
                self.units[row["id"]] = SimUnit(
                    id=row["id"],
                    call_sign=row["call_sign"],
                    kind=row["kind"],
                    agency=agency,
                    home=home,
                    position=here or home,
                    status=row["status"],
                )
        kinds = sorted({k for kinds, _share in PLACES.values() for k in kinds})
        for row in police.all_pages(
            "/api/facilities/", {"region": CITY, "kind": kinds, "page_size": 1000}
        ):
            name = row.get("display_name") or row.get("name") or ""
            self.places.setdefault(row["kind"], []).append(
                Place(float(row["lat"]), float(row["lon"]), name)
            )
        for row in police.all_pages("/api/events/", {"region": CITY, "page_size": 1000}):
            if row.get("lat") is not None and row.get("status") != "cancelled":
                weight = max(1, int(row.get("expected_attendance") or 0) // 1000)
                place = Place(float(row["lat"]), float(row["lon"]), str(row.get("name", "")))
                self.events.extend([place] * min(weight, 30))
        log.info(
            "connected: %d units, %d places, %d event slots, %d accident locations",
            len(self.units),
            sum(len(v) for v in self.places.values()),
            len(self.events),
            len(self.accidents),
        )

    # --- scheduling ----------------------------------------------------------------------

    def schedule(self, at: float, action: str, ref: int) -> None:
        heapq.heappush(self.queue, (at, next(self._order), action, ref))

    def step(self, now: float) -> None:
        """Do everything due at simulated time ``now`` (seconds since 18:00)."""
        if self.next_arrival is None:
            self.next_arrival = next_arrival(self.rng, self.model, now)
        while self.next_arrival is not None and self.next_arrival[0] <= now:
            self.arrive(now, self.next_arrival[1])
            self.next_arrival = next_arrival(self.rng, self.model, self.next_arrival[0])
        while self.queue and self.queue[0][0] <= now:
            _at, _n, action, ref = heapq.heappop(self.queue)
            try:
                getattr(self, f"do_{action}")(now, ref)
            except ServerGone:
                raise
            except Exception:  # a bug in one action must not end the night
                self.stats.errors += 1
                log.exception("%s %s failed", action, ref)
        if now - self.last_sync >= self.sync_every * self.speed:
            self.last_sync = now
            self.sync_all(now)
        self.move_units(now)

    def sync_all(self, now: float) -> None:
        """Take over what people started: units they sent to incidents drive there, units
        released by incidents they closed drive home."""
        police = self.apis["police-astana"]
        rows = police.all_pages(
            "/api/incidents/", {"region": CITY, "open": "true", "page_size": 500}
        )
        for row in rows:
            if row["id"] in self.incidents or row.get("duplicate_of"):
                continue
            active = [
                a["unit"]
                for a in row.get("assignments", [])
                if a.get("released_at") is None and a["unit"] in self.units
            ]
            if not active:
                continue
            lead, _source = CALL_TAKER.get(row["type"], DEFAULT_CALL_TAKER)
            incident = SimIncident(
                id=row["id"], type=row["type"], lat=row["lat"], lon=row["lon"], lead=lead
            )
            incident.status = row["status"]
            self.incidents[incident.id] = incident
            self.sync_incident(now, incident)
        for agency, api in self.apis.items():
            for row in api.all_pages(
                "/api/units/", {"region": CITY, "status": "returning", "page_size": 1000}
            ):
                unit = self.units.get(row["id"])
                if (
                    unit is not None
                    and unit.agency == agency
                    and not unit.heading_home
                    and (unit.incident is None or unit.incident not in self.incidents)
                ):
                    self.send_home(now, unit)

    # --- incidents -----------------------------------------------------------------------

    def _place(self, code: str) -> Place:
        if code in ON_ROADS:
            lat, lon, _hour = self.rng.choice(self.accidents)
            return Place(lat, lon, "")
        kinds, event_share = PLACES.get(code, PLACES["other"])
        if self.events and self.rng.random() < event_share:
            event = self.rng.choice(self.events)
            lat, lon = jitter(self.rng, event.lat, event.lon, 150.0)
            return Place(lat, lon, event.address)
        options = [p for kind in kinds for p in self.places.get(kind, [])]
        if not options:
            lat, lon, _hour = self.rng.choice(self.accidents)
            return Place(lat, lon, "")
        place = self.rng.choice(options)
        if code == "fire_alarm":
            return place
        lat, lon = jitter(self.rng, place.lat, place.lon, 250.0)
        # The point has moved off the venue: the server names it (reverse geocoding).
        return Place(lat, lon, "")

    def _routable(self, place: Place) -> bool:
        """Whether the road graph reaches the place (a unit's home to it answers 200)."""
        if not self.units:
            return True
        unit = self.units[min(self.units)]
        status, _payload = self.apis[unit.agency].call(
            "GET",
            "/api/routing/route",
            params={
                "from": f"{unit.home[0]},{unit.home[1]}",
                "to": f"{place.lat},{place.lon}",
                "metric": "distance",
            },
        )
        return status == 200

    def arrive(self, now: float, code: str) -> None:
        """A call comes in: report it (sometimes again, as a second caller would)."""
        open_same = [i for i in self.incidents.values() if i.type == code and i.status != "closed"]
        if open_same and self.rng.random() < self.duplicate_probability:
            original = self.rng.choice(open_same)
            lat, lon = jitter(self.rng, original.lat, original.lon, 30.0)
            self.report(now, code, Place(lat, lon, ""), duplicate_of=original)
            return
        for _attempt in range(5):
            place = self._place(code)
            if self._routable(place):
                self.report(now, code, place)
                return
        log.info("no reachable place found for %s", code)

    def report(
        self, now: float, code: str, place: Place, duplicate_of: SimIncident | None = None
    ) -> None:
        agency, source = CALL_TAKER.get(code, DEFAULT_CALL_TAKER)
        if duplicate_of is not None:
            source = "call_112"
        body = {
            "type": code,
            "lat": round(place.lat, 6),
            "lon": round(place.lon, 6),
            "source": source,
            "address": place.address[:255],
            "description": _("Simulated call at %(clock)s on New Year's Eve.")
            % {"clock": night_clock(now)},
            "reporter": _("Caller (demo simulator)"),
        }
        status, payload = self.apis[agency].call("POST", "/api/incidents/", body)
        if status != 201 or not isinstance(payload, dict):
            self.stats.errors += 1
            log.warning("report %s: %s %s", code, status, payload)
            return
        self.stats.reported += 1
        incident = SimIncident(
            id=payload["id"], type=code, lat=place.lat, lon=place.lon, lead=agency
        )
        if payload.get("duplicate_of"):
            self.stats.duplicates += 1
            self.duplicate_takers[incident.id] = agency
            original = self.incidents.get(payload["duplicate_of"])
            log.info("%s #%s reported again as #%s", code, payload["duplicate_of"], incident.id)
            if original is not None:
                # Stays in the queue, linked, until the first report is closed.
                original.duplicates.append(incident.id)
            else:
                self.schedule(now + 180.0, "cancel_duplicate", incident.id)
            return
        self.incidents[incident.id] = incident
        log.info("%s %s #%s reported at %s", night_clock(now), code, incident.id, place.address)
        if self.rng.random() < self.hold_probability:
            # Left in the queue for the duty officer; if nobody acts, dispatched later.
            self.stats.held += 1
            self.schedule(now + self.hold_seconds * self.speed, "dispatch", incident.id)
        else:
            self.schedule(now + self.rng.uniform(*CALL_HANDLING_S), "dispatch", incident.id)

    def do_cancel_duplicate(self, now: float, ref: int) -> None:
        taker = self.duplicate_takers.pop(ref, "police-astana")
        status, payload = self.apis[taker].call(
            "POST",
            f"/api/incidents/{ref}/advance/",
            {"status": "cancelled", "reason": _("Same event as an earlier report.")},
        )
        if status != 200:
            self.stats.conflicts += 1
            log.info("cancel duplicate #%s: %s %s", ref, status, payload)

    def _needs_left(self, incident: SimIncident) -> dict[str, int]:
        have = Counter(self.units[u].kind for u in incident.units if u in self.units)
        return {k: n - have[k] for k, n in incident.needs.items() if n > have[k]}

    def do_dispatch(self, now: float, ref: int) -> None:
        """Each agency the incident needs sends its suggested units (retry while missing)."""
        incident = self.incidents.get(ref)
        if incident is None or incident.status in ("closed", "cancelled"):
            return
        if not self.sync_incident(now, incident):
            return
        lead = self.apis[incident.lead]
        status, rec = lead.call("GET", f"/api/incidents/{ref}/recommendations/")
        if status != 200 or not isinstance(rec, dict):
            log.warning("recommendations #%s: %s %s", ref, status, rec)
            self.schedule(now + 30.0 * self.speed, "dispatch", ref)
            return
        incident.needs = {str(k): int(v) for k, v in rec.get("needs", {}).items()}
        missing = self._needs_left(incident)
        agencies = sorted({AGENCY_OF_KIND.get(kind, incident.lead) for kind in missing})
        for agency in agencies:
            api = self.apis.get(agency)
            if api is None:
                continue
            status, rec = api.call("GET", f"/api/incidents/{ref}/recommendations/")
            if status != 200 or not isinstance(rec, dict):
                continue
            wanted, taken = [], Counter[str]()
            for candidate in rec.get("recommended", []):
                kind = candidate["kind"]
                if (
                    candidate["unit"] in self.units
                    and AGENCY_OF_KIND.get(kind) == agency
                    and taken[kind] < missing.get(kind, 0)
                ):
                    wanted.append(candidate["unit"])
                    taken[kind] += 1
            if not wanted:
                continue
            status, payload = api.call("POST", f"/api/incidents/{ref}/dispatch/", {"units": wanted})
            if status == 200:
                self.stats.dispatched_units += len(wanted)
                incident.status = payload.get("status", incident.status)
                for unit_id in wanted:
                    self._assign(now, incident, unit_id)
            else:
                self.stats.conflicts += 1
                log.info("dispatch #%s %s: %s %s", ref, wanted, status, payload)
        if self._needs_left(incident):
            self.schedule(now + 30.0 * self.speed, "dispatch", ref)

    def _assign(self, now: float, incident: SimIncident, unit_id: int) -> None:
        unit = self.units[unit_id]
        unit.status, unit.incident, unit.arrived = "dispatched", incident.id, False
        unit.track, unit.heading_home = None, False
        incident.units.add(unit_id)
        self.schedule(now + TURNOUT_S, "depart", unit_id)

    def sync_incident(self, now: float, incident: SimIncident) -> bool:
        """Refresh the incident from the server; adopt units a person sent. False if over."""
        status, payload = self.apis[incident.lead].call("GET", f"/api/incidents/{incident.id}/")
        if status != 200 or not isinstance(payload, dict):
            self.incidents.pop(incident.id, None)
            return False
        incident.status = payload["status"]
        if incident.status in ("closed", "cancelled"):
            self.finish(now, incident)
            return False
        for assignment in payload.get("assignments", []):
            unit_id = assignment["unit"]
            if (
                assignment.get("released_at") is None
                and unit_id in self.units
                and unit_id not in incident.units
            ):
                self.stats.adopted += 1
                self._assign(now, incident, unit_id)
        return True

    def _route(self, unit: SimUnit, to: tuple[float, float]) -> Track | None:
        status, payload = self.apis[unit.agency].call(
            "GET",
            "/api/routing/route",
            params={
                "from": f"{unit.position[0]},{unit.position[1]}",
                "to": f"{to[0]},{to[1]}",
            },
        )
        if status != 200 or not isinstance(payload, dict):
            log.info("route for %s: %s %s", unit.call_sign, status, payload)
            return None
        coords = payload["geometry"]["coordinates"] or [[unit.position[1], unit.position[0]]]
        # Leave the road at the end to stand at the place itself.
        coords = [*coords, [to[1], to[0]]]
        return Track(coords, float(payload["seconds"]) + 20.0)

    def do_depart(self, now: float, ref: int) -> None:
        unit = self.units.get(ref)
        if unit is None or unit.incident is None or unit.heading_home:
            return
        incident = self.incidents.get(unit.incident)
        if incident is None:
            return
        unit.track = self._route(unit, (incident.lat, incident.lon)) or Track(
            [[unit.position[1], unit.position[0]], [incident.lon, incident.lat]], 600.0
        )
        unit.track_started = now
        if incident.status == "dispatched":
            self.advance(now, incident, "en_route")

    def advance(self, now: float, incident: SimIncident, to_status: str) -> None:
        status, payload = self.apis[incident.lead].call(
            "POST", f"/api/incidents/{incident.id}/advance/", {"status": to_status}
        )
        if status == 200 and isinstance(payload, dict):
            self.stats.advanced += 1
            incident.status = payload["status"]
            return
        self.stats.conflicts += 1
        log.info("advance #%s to %s: %s %s", incident.id, to_status, status, payload)
        self.sync_incident(now, incident)

    def arrived(self, now: float, unit: SimUnit) -> None:
        unit.track = None
        if unit.heading_home:
            unit.heading_home = False
            status, payload = self.apis[unit.agency].call(
                "PATCH", f"/api/units/{unit.id}/", {"status": "available"}
            )
            if status == 200:
                self.stats.units_home += 1
                unit.status = "available"
            else:
                self.stats.conflicts += 1
                log.info("%s available: %s %s", unit.call_sign, status, payload)
            return
        unit.arrived = True
        incident = self.incidents.get(unit.incident or -1)
        if incident is None:
            return
        if incident.status in ("dispatched", "en_route"):
            self.advance(now, incident, "on_scene")
        if incident.close_at is None:
            incident.close_at = now + on_scene_seconds(self.rng, incident.type)
            self.schedule(incident.close_at, "close", incident.id)

    def do_close(self, now: float, ref: int) -> None:
        incident = self.incidents.get(ref)
        if incident is None:
            return
        status, payload = self.apis[incident.lead].call(
            "POST",
            f"/api/incidents/{ref}/close/",
            {"resolution": _("Resolved on scene (demo simulator).")},
        )
        if status == 200:
            self.stats.closed += 1
            log.info("%s #%s closed", night_clock(now), ref)
        else:
            self.stats.conflicts += 1
            log.info("close #%s: %s %s", ref, status, payload)
        self.finish(now, incident)

    def finish(self, now: float, incident: SimIncident) -> None:
        """The incident is over: its units drive home; duplicates of it are cancelled."""
        incident.status = "closed"
        self.incidents.pop(incident.id, None)
        for unit_id in sorted(incident.units):
            unit = self.units.get(unit_id)
            if unit is not None and unit.incident == incident.id:
                self.send_home(now, unit)
        for duplicate in incident.duplicates:
            self.schedule(now, "cancel_duplicate", duplicate)

    def send_home(self, now: float, unit: SimUnit) -> None:
        unit.incident, unit.arrived, unit.status = None, False, "returning"
        unit.track = self._route(unit, unit.home) or Track(
            [[unit.position[1], unit.position[0]], [unit.home[1], unit.home[0]]], 600.0
        )
        unit.track_started, unit.heading_home = now, True

    # --- motion --------------------------------------------------------------------------

    def move_units(self, now: float) -> None:
        arrived = []
        for unit in self.units.values():
            if unit.track is None:
                continue
            elapsed = now - unit.track_started
            unit.position = unit.track.at_time(elapsed)
            if unit.track.done(elapsed):
                arrived.append(unit)
        due = now - self.last_positions >= self.position_every * self.speed
        if due or arrived:
            moving = [u for u in self.units.values() if u.track is not None]
            for unit in moving if due else arrived:
                self.post_position(unit)
            if due:
                self.last_positions = now
        for unit in arrived:
            if unit.track is not None:
                self.arrived(now, unit)

    def post_position(self, unit: SimUnit) -> None:
        body = {
            "lat": round(unit.position[0], 6),
            "lon": round(unit.position[1], 6),
            "at": dt.datetime.now(dt.UTC).isoformat(),
        }
        status, payload = self.apis[unit.agency].call(
            "POST", f"/api/units/{unit.id}/position/", body
        )
        if status == 200:
            self.stats.positions += 1
        else:
            self.stats.errors += 1
            log.info("position %s: %s %s", unit.call_sign, status, payload)

    # --- the loop ------------------------------------------------------------------------

    def run(
        self,
        *,
        ticks: int | None = None,
        duration: float | None = None,
        tick: float = 1.0,
        realtime: bool = True,
        give_up: float = 30.0,
        report: Callable[[str], None] | None = None,
    ) -> Stats:
        """Step every ``tick`` real seconds until ``ticks``/``duration`` (or forever).

        With ``realtime=False`` the simulated clock advances ``tick * speed`` per step without
        waiting (tests). Returns the counts of what was done.
        """
        began = time.monotonic()
        last_ok = began
        n = 0
        now = self.start_offset
        next_report = began + 60.0
        while (ticks is None or n < ticks) and (
            duration is None or time.monotonic() - began < duration
        ):
            n += 1
            if realtime:
                now = self.start_offset + (time.monotonic() - began) * self.speed
            else:
                now += tick * self.speed
            try:
                if not self.apis:
                    self.connect()
                self.step(now)
                last_ok = time.monotonic()
            except ServerGone as error:
                if time.monotonic() - last_ok > give_up:
                    log.warning("the server has been gone for %.0f s; stopping", give_up)
                    break
                log.info("server unreachable: %s", error)
                time.sleep(1.0)
            except RuntimeError as error:  # cannot sign in yet (demo not loaded)
                log.warning("%s", error)
                time.sleep(5.0)
            if report and time.monotonic() >= next_report:
                report(f"{night_clock(now)} {self.stats.as_dict()}")
                next_report += 60.0
            if realtime:
                time.sleep(max(0.0, began + n * tick - time.monotonic()))
        return self.stats
