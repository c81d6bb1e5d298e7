"""The Astana New Year season for the demo: events, an inspection campaign under way,
violations (some venues not yet cleared, so some events are blocked), briefings and drills,
hydrants and equipment, pyrotechnics outlets with raids and seizures.

Everything is written through the same services people use, by the demo inspector and
planner, with a fixed random seed, so two fresh demos look the same. Dates are relative to
today: the season is the coming New Year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from saqshy.accounts.models import Region, User
from saqshy.equipment import services as equipment
from saqshy.facilities.models import Facility
from saqshy.gatherings import services as gatherings
from saqshy.gatherings.choices import GatheringStatus
from saqshy.gatherings.models import Gathering
from saqshy.inspections import services as inspections
from saqshy.inspections.models import ChecklistItem, Violation
from saqshy.prevention import services as prevention
from saqshy.prevention.models import Campaign
from saqshy.pyrotechnics import services as pyrotechnics

CAMPAIGN = "Before the New Year: crowded facilities of Astana"
CAMPAIGN_KINDS = [
    "school",
    "kindergarten",
    "mall",
    "stadium",
    "theatre_cinema",
    "sports_centre",
    "market",
]

# Outdoor venues of the season (lat, lon): the capital's main squares and parks.
SQUARES = [
    ("New Year fireworks at Baiterek", "fireworks", 51.12825, 71.43053, 30000),
    ("Main New Year tree on Independence Square", "new_year_tree", 51.12252, 71.47160, 25000),
    ("Winter festival at EXPO", "festival", 51.08907, 71.41586, 15000),
    ("Ice town in the Central Park", "festival", 51.15580, 71.41850, 8000),
    ("New Year fair on Nurzhol boulevard", "fair", 51.12600, 71.43950, 6000),
]

FAULTS = {
    "fire-alarm": ["Alarm panel switched off", "Two smoke detectors missing in the assembly hall"],
    "extinguishers": ["Extinguishers past their recharge date", "Extinguisher missing at exit 2"],
    "hydrant": ["Hydrant buried under snow", "Hydrant cover frozen shut"],
    "exits": ["Emergency exit locked", "Evacuation route blocked by decorations"],
    "emergency-lighting": ["Exit signs not lit", "Emergency lighting battery flat"],
    "electrical": ["Overloaded extension leads under the stage", "Open junction box"],
    "pyrotechnics-storage": ["Fireworks stored in the stairwell"],
    "access-road": ["Access road not cleared of snow", "Fire lane used as a car park"],
    "staff-briefed": ["New staff not briefed", "Briefing log not kept"],
}


@dataclass
class SeasonResult:
    events: int = 0
    approved: int = 0
    blocked: int = 0
    inspections: int = 0
    violations: int = 0
    hydrants: int = 0
    outlets: int = 0
    seizures: int = 0
    skipped: bool = False
    notes: list[str] = field(default_factory=list)


def new_year(today: dt.date) -> dt.date:
    """The New Year the season leads up to (in early January, the one just passed)."""
    return dt.date(today.year if today.month == 1 and today.day <= 10 else today.year + 1, 1, 1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load_season(today: dt.date | None = None, say: Callable[[str], None] = print) -> SeasonResult:
    """Load the season once (a second call finds the campaign and does nothing)."""
    today = today or timezone.localdate()
    astana = Region.objects.get(slug="astana")
    result = SeasonResult()
    if Campaign.objects.filter(region=astana, name=CAMPAIGN).exists():
        result.skipped = True
        return result
    rng = random.Random(2026)
    inspector = User.objects.get(username="inspector_astana")
    planner = User.objects.get(username="planner_astana")
    facilities = list(
        Facility.objects.filter(region=astana, kind__in=CAMPAIGN_KINDS).order_by("pk")
    )
    starts_on = today - dt.timedelta(days=25)
    eve = new_year(today) - dt.timedelta(days=1)
    prevention.create_campaign(
        acting_user=inspector,
        name=CAMPAIGN,
        region=astana,
        facility_kinds=CAMPAIGN_KINDS,
        starts_on=starts_on,
        deadline=eve - dt.timedelta(days=6),
        notes="Order of the interagency commission: every crowded facility before the holidays.",
    )
    _inspections(rng, inspector, facilities, starts_on, today, result)
    _preparation(rng, inspector, facilities, today)
    _events(rng, planner, astana, facilities, today, eve, result)
    _hydrants(rng, inspector, facilities, today, result)
    _pyrotechnics(rng, inspector, astana, facilities, today, result)
    say(
        f"season: {result.events} events ({result.approved} approved, {result.blocked} blocked "
        f"by a gate), {result.inspections} inspections, {result.violations} violations, "
        f"{result.hydrants} hydrants, {result.outlets} outlets, {result.seizures} seizures"
    )
    return result


def _inspections(
    rng: random.Random,
    inspector: User,
    facilities: list[Facility],
    starts_on: dt.date,
    today: dt.date,
    result: SeasonResult,
) -> None:
    items = list(ChecklistItem.objects.filter(active=True))
    for facility in facilities:
        if rng.random() > 0.88:
            continue
        on = today - dt.timedelta(days=rng.randint(1, min(14, max((today - starts_on).days, 1))))
        results = []
        for item in items:
            failed = rng.random() < 0.025
            note = rng.choice(FAULTS[item.code]) if failed and item.code in FAULTS else ""
            results.append(inspections.ItemResult(item, not failed, note))
        inspections.record_inspection(
            acting_user=inspector, facility=facility, inspected_on=on, results=results
        )
        result.inspections += 1
    for violation in Violation.objects.filter(facility__in=facilities).select_related(
        "facility", "inspection"
    ):
        result.violations += 1
        found = violation.inspection.inspected_on
        if rng.random() < 0.7 and found < today:
            fixed = found + dt.timedelta(days=rng.randint(1, max((today - found).days, 1)))
            # The facility reports the fix (no account of its own); the inspector verifies it,
            # which the separation of duties allows because someone else marked it.
            inspections.mark_eliminated(
                acting_user=None, violation=violation, eliminated_on=min(fixed, today)
            )
            if rng.random() < 0.75:
                inspections.verify_eliminations(
                    acting_user=inspector,
                    facility=violation.facility,
                    inspected_on=today,
                    violations=[Violation.objects.get(pk=violation.pk)],
                )


def _preparation(
    rng: random.Random, inspector: User, facilities: list[Facility], today: dt.date
) -> None:
    for facility in facilities:
        if rng.random() < 0.93:
            inspections.record_briefing(
                acting_user=inspector,
                facility=facility,
                held_on=today - dt.timedelta(days=rng.randint(1, 40)),
                participants=rng.randint(12, 60),
                topic="Fire safety at New Year matinees",
                conducted_by="Emergency Department of Astana",
            )
        if rng.random() < 0.9:
            evacuated = rng.randint(150, 900)
            inspections.record_drill(
                acting_user=inspector,
                facility=facility,
                held_on=today - dt.timedelta(days=rng.randint(1, 40)),
                people_evacuated=evacuated,
                evacuation_seconds=rng.randint(180, 560),
                norm_seconds=480,
                notes="",
            )


def _create_event(planner: User, result: SeasonResult, **fields: Any) -> Gathering:
    event = gatherings.create_gathering(acting_user=planner, **fields)
    event = gatherings.submit(acting_user=planner, gathering=event)
    result.events += 1
    return event


def soon(rng: random.Random, today: dt.date, eve: dt.date) -> dt.date:
    """A day in the coming weeks, not after New Year's Eve (inspections stay valid for it)."""
    last = max(min((eve - today).days, 20), 3)
    return today + dt.timedelta(days=rng.randint(2, last))


def _events(
    rng: random.Random,
    planner: User,
    astana: Region,
    facilities: list[Facility],
    today: dt.date,
    eve: dt.date,
    result: SeasonResult,
) -> None:
    created: list[Gathering] = []
    for name, kind, lat, lon, people in SQUARES:
        day = eve if kind == "fireworks" else eve - dt.timedelta(days=rng.randint(0, 8))
        hour = 23 if kind == "fireworks" else 18
        created.append(
            _create_event(
                planner,
                result,
                name=name,
                kind=kind,
                venue=None,
                lat=lat,
                lon=lon,
                starts_at=_at(day, hour, 30 if kind == "fireworks" else 0),
                ends_at=_at(day + dt.timedelta(days=1), 1) if kind == "fireworks" else _at(day, 23),
                expected_attendance=people,
                children_involved=True,
                children_count=people // 5,
                organiser="Akimat of Astana",
                organiser_ref=f"AST-SQ-{len(created) + 1:02d}",
                fire_standby_planned=True,
                medical_presence_planned=True,
                access_route_clear=rng.random() < 0.8,
                access_route_checked_on=day - dt.timedelta(days=1),
            )
        )
    by_kind: dict[str, list[Facility]] = {}
    for facility in facilities:
        by_kind.setdefault(facility.kind, []).append(facility)
    big = [f for f in by_kind.get("stadium", []) + by_kind.get("sports_centre", []) if f.name]
    for n, venue in enumerate(big[:6]):
        people = min(venue.capacity or 3000, 30000)
        day = soon(rng, today, eve)
        created.append(
            _create_event(
                planner,
                result,
                name=f"New Year show at {venue.display_name}",
                kind="concert",
                venue=venue,
                starts_at=_at(day, 19),
                ends_at=_at(day, 22),
                expected_attendance=people,
                organiser="Astana concert agency",
                organiser_ref=f"AST-ST-{n + 1:02d}",
                fire_standby_planned=rng.random() < 0.85,
                medical_presence_planned=True,
            )
        )
    malls = [f for f in by_kind.get("mall", []) if f.name]
    for n in range(40):
        venue = malls[n % len(malls)]
        day = soon(rng, today, eve)
        people = rng.choice([300, 500, 800, 1200, 2500])
        with_children = rng.random() < 0.4
        created.append(
            _create_event(
                planner,
                result,
                name=rng.choice(
                    ["New Year fair", "Santa's workshop", "Winter concert", "Family New Year show"]
                )
                + f" · {venue.display_name}",
                kind=rng.choice(["fair", "concert", "new_year_tree"]),
                venue=venue,
                starts_at=_at(day, rng.choice([11, 14, 17])),
                ends_at=_at(day, 20),
                expected_attendance=people,
                children_involved=with_children,
                children_count=people // 3 if with_children else 0,
                organiser=venue.display_name,
                organiser_ref=f"AST-ML-{n + 1:03d}",
                fire_standby_planned=rng.random() < 0.8,
                medical_presence_planned=rng.random() < 0.9,
            )
        )
    schools = [f for f in by_kind.get("school", []) + by_kind.get("kindergarten", []) if f.name]
    rng.shuffle(schools)
    for n, venue in enumerate(schools[:100]):
        day = soon(rng, today, eve)
        children = rng.randint(60, 380)
        created.append(
            _create_event(
                planner,
                result,
                name=f"New Year matinee · {venue.display_name}",
                kind="new_year_tree",
                venue=venue,
                starts_at=_at(day, hour := rng.choice([9, 11, 15])),
                ends_at=_at(day, hour + 2),
                expected_attendance=children + children // 4,
                children_involved=True,
                children_count=children,
                organiser=venue.display_name,
                organiser_ref=f"AST-SC-{n + 1:03d}",
            )
        )
    for event in created:
        try:
            gatherings.approve(acting_user=planner, gathering=event)
            result.approved += 1
        except Exception as refusal:
            if getattr(refusal, "code", "") != "gates_failed":
                raise
            result.blocked += 1
    result.notes.append(
        f"{Gathering.objects.filter(status=GatheringStatus.SUBMITTED).count()} events wait"
    )


def _hydrants(
    rng: random.Random,
    inspector: User,
    facilities: list[Facility],
    today: dt.date,
    result: SeasonResult,
) -> None:
    for n, facility in enumerate(facilities[::3], start=1):
        lat = facility.lat + rng.uniform(-0.0015, 0.0015)
        lon = facility.lon + rng.uniform(-0.0025, 0.0025)
        hydrant = equipment.create_hydrant(
            acting_user=inspector,
            code=f"H-{n:04d}",
            kind=rng.choice(["underground", "pillar"]),
            lat=lat,
            lon=lon,
            address="",
        )
        equipment.record_hydrant_check(
            acting_user=inspector,
            hydrant=hydrant,
            checked_on=today - dt.timedelta(days=rng.randint(1, 60)),
            operable=rng.random() > 0.1,
            pressure_ok=rng.random() > 0.05,
            access_clear=rng.random() > 0.15,
        )
        result.hydrants += 1


def _pyrotechnics(
    rng: random.Random,
    inspector: User,
    astana: Region,
    facilities: list[Facility],
    today: dt.date,
    result: SeasonResult,
) -> None:
    sellers = [f for f in facilities if f.kind in {"market", "mall"} and f.name][:18]
    outlets = []
    for n, facility in enumerate(sellers, start=1):
        expired = n % 5 == 0
        outlets.append(
            pyrotechnics.create_outlet(
                acting_user=inspector,
                kind="storage" if n % 6 == 0 else "retail",
                name=f"Fireworks kiosk {n} · {facility.display_name}",
                operator=f"IP Salyut-{n}",
                facility=facility,
                certificate_number=f"KZ-PT-{2025000 + n}",
                certificate_expires=today + dt.timedelta(days=-20 if expired else 200),
            )
        )
    result.outlets = len(outlets)
    # The brief's figures so far: 700 units and 97 boxes of uncertified pyrotechnics seized.
    seized = [(300, 40), (250, 35), (150, 22)]
    for n, (units, boxes) in enumerate(seized):
        route = outlets[n * 5 : (n + 1) * 5]
        raid = pyrotechnics.create_raid(
            acting_user=inspector,
            outlets=route,
            planned_on=today - dt.timedelta(days=14 - n * 5),
            region=astana,
            team=f"Joint raid team {n + 1} (police and emergency department)",
        )
        for visit in raid.visits.select_related("outlet").order_by("pk"):
            bad = visit.outlet_id == route[0].pk
            pyrotechnics.record_visit_result(
                acting_user=inspector,
                visit=visit,
                result="violation" if bad else "compliant",
                note="Uncertified goods on sale" if bad else "",
            )
        pyrotechnics.update_raid(acting_user=inspector, raid=raid, status="done")
        pyrotechnics.record_seizure(
            acting_user=inspector,
            outlet=route[0],
            raid=raid,
            seized_on=raid.planned_on,
            lines=[
                {
                    "product": "Rocket battery, no certificate",
                    "certified": False,
                    "units": units,
                    "boxes": boxes,
                }
            ],
            notes="Handed over to the police evidence store",
        )
        result.seizures += 1
    pyrotechnics.create_raid(
        acting_user=inspector,
        outlets=outlets[15:],
        planned_on=today + dt.timedelta(days=5),
        region=astana,
        team="Joint raid team 4",
    )
