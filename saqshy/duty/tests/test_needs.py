"""The pure rules that turn an event's facts and the norms into needs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from saqshy.duty.needs import (
    EMERGENCY,
    HEALTH,
    POLICE,
    EventFacts,
    EventNorms,
    event_needs,
    reserve,
    with_readiness,
)

NORMS = EventNorms(
    attendees_per_officer=250,
    children_attendees_per_officer=100,
    min_officers=1,
    fire_standby_attendance=1000,
    fire_standby_people=4,
    medical_presence_attendance=500,
    medical_people=2,
)
facts = st.builds(
    EventFacts,
    attendance=st.integers(0, 200_000),
    children=st.booleans(),
    fire_standby_planned=st.booleans(),
    medical_presence_planned=st.booleans(),
)


def police(facts: EventFacts) -> int:
    return sum(n.people for n in event_needs(facts, NORMS) if n.agency_kind == POLICE)


@given(facts, st.integers(0, 50_000))
def test_more_people_never_need_fewer_officers(f: EventFacts, extra: int) -> None:
    bigger = EventFacts(
        f.attendance + extra, f.children, f.fire_standby_planned, f.medical_presence_planned
    )
    assert police(bigger) >= police(f) >= NORMS.min_officers


@given(facts)
def test_children_events_need_at_least_as_many_officers(f: EventFacts) -> None:
    adults = EventFacts(f.attendance, False, f.fire_standby_planned, f.medical_presence_planned)
    kids = EventFacts(f.attendance, True, f.fire_standby_planned, f.medical_presence_planned)
    assert police(kids) >= police(adults)
    assert police(adults) * NORMS.attendees_per_officer >= f.attendance


@given(facts)
def test_standby_exactly_where_the_gates_require_it_or_it_is_planned(f: EventFacts) -> None:
    kinds = {n.agency_kind for n in event_needs(f, NORMS)}
    assert (EMERGENCY in kinds) == (f.fire_standby_planned or f.attendance >= 1000)
    assert (HEALTH in kinds) == (f.medical_presence_planned or f.attendance >= 500)


def test_worked_example() -> None:
    needs = event_needs(EventFacts(30_000, False, False, False), NORMS)
    assert [(n.agency_kind, n.skill, n.people) for n in needs] == [
        (POLICE, "", 120),
        (EMERGENCY, "firefighter", 4),
        (HEALTH, "paramedic", 2),
    ]
    assert police(EventFacts(250, True, False, False)) == 3


@given(st.integers(0, 500), st.floats(0, 3, allow_nan=False))
def test_readiness_raises_never_lowers(people: int, multiplier: float) -> None:
    raised = with_readiness(people, multiplier)
    assert raised >= people
    assert raised >= people * multiplier - 1e-6
    assert raised < people * max(multiplier, 1.0) + 1


@given(st.integers(0, 5000), st.floats(0, 1, allow_nan=False))
def test_reserve_is_a_rounded_up_share_of_the_available(available: int, share: float) -> None:
    on_call = reserve(available, share)
    assert 0 <= on_call <= available
    assert on_call >= available * share - 1e-6
