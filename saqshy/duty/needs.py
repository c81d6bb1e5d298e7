"""What a post needs, from the facts of its record and the norms: pure, no Django.

The domain service (``duty.services.derive_posts``) reads the norms and the records, calls
these functions and writes the result; the tests check their rules directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

POLICE = "police"
EMERGENCY = "emergency"
HEALTH = "health"
ENERGY = "energy"

FIREFIGHTER = "firefighter"
PARAMEDIC = "paramedic"

UTILITY_SKILLS = {
    "energy_site": "electrician",
    "heating_plant": "heating_fitter",
    "water_utility": "plumber",
}
"""The repair-crew skill a utility site of each facility kind asks for."""


@dataclass(frozen=True)
class Need:
    """People per hour of one agency kind (and one skill, or any) that a post needs."""

    agency_kind: str
    skill: str
    people: int


@dataclass(frozen=True)
class EventFacts:
    attendance: int
    children: bool
    fire_standby_planned: bool
    medical_presence_planned: bool


@dataclass(frozen=True)
class EventNorms:
    attendees_per_officer: float
    children_attendees_per_officer: float
    min_officers: int
    fire_standby_attendance: float
    fire_standby_people: int
    medical_presence_attendance: float
    medical_people: int


def event_needs(facts: EventFacts, norms: EventNorms) -> tuple[Need, ...]:
    """Police by attendance (more for children's events); fire standby and medical presence
    where the approval gates' attendance thresholds require them, or where they are planned."""
    per_officer = (
        norms.children_attendees_per_officer if facts.children else norms.attendees_per_officer
    )
    officers = max(norms.min_officers, math.ceil(facts.attendance / max(per_officer, 1.0)))
    needs = [Need(POLICE, "", officers)]
    if facts.fire_standby_planned or facts.attendance >= norms.fire_standby_attendance:
        needs.append(Need(EMERGENCY, FIREFIGHTER, norms.fire_standby_people))
    if facts.medical_presence_planned or facts.attendance >= norms.medical_presence_attendance:
        needs.append(Need(HEALTH, PARAMEDIC, norms.medical_people))
    return tuple(need for need in needs if need.people > 0)


def with_readiness(people: int, multiplier: float) -> int:
    """The minimum staffing of a need under a readiness level: never below the need itself."""
    raised = math.ceil(people * max(multiplier, 1.0) - 1e-9)
    return max(people, raised)


def reserve(available: int, share: float) -> int:
    """How many of ``available`` people must be on call as reserve (rounded up)."""
    if available <= 0 or share <= 0:
        return 0
    return min(available, math.ceil(available * share - 1e-9))
