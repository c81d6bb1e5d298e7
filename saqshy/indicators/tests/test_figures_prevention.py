"""Each prevention indicator against a direct count of the same scenario: two regions, and
records on both sides of the window's edges (date-only records count by their day's noon)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from saqshy.core.indicators import Figure, indicator, local_day, registry_indicators
from saqshy.core.testing.indicators import day_figures
from saqshy.core.testing.personas import make_personas
from saqshy.equipment.tests.factories import (
    EquipmentCheckFactory,
    HydrantCheckFactory,
    HydrantFactory,
)
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.inspections.models import Violation
from saqshy.inspections.tests.factories import (
    BriefingFactory,
    DrillFactory,
    InspectionFactory,
    ViolationFactory,
)
from saqshy.protection import services as protection
from saqshy.protection.models import Assessment, Finding
from saqshy.protection.tests.factories import completed
from saqshy.pyrotechnics.tests.factories import OutletFactory, RaidFactory, SeizureFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 20)
BEFORE, AFTER = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)
CODES = {
    "events_held", "events_secured", "events_blocked", "inspections", "venues_inspected",
    "violations_found", "violations_eliminated", "open_violations", "venues_cleared",
    "briefings", "drills", "equipment_checks", "raids", "pyro_units_seized", "pyro_boxes_seized",
    "crowded_venues_assessed", "protection_critical_open",
}  # fmt: skip


def figures(code: str, *regions: Any, day: dt.date = DAY) -> dict[int, Figure]:
    return day_figures(code, [r.pk for r in regions], day)


def at(day: dt.date, hour: int) -> dt.datetime:
    return local_day(day)[0] + dt.timedelta(hours=hour)


def test_every_code_the_commission_apps_use_is_declared_once() -> None:
    codes = [ind.code for ind in registry_indicators()]
    assert len(codes) == len(set(codes))
    assert set(codes) >= CODES
    for ind in registry_indicators():
        assert str(ind.label) and str(ind.brief_line) and str(ind.definition)
        assert ind.unit in ("count", "share")


def test_events() -> None:
    p = make_personas()
    venue = FacilityFactory(region=p.almaty)
    other = FacilityFactory(region=p.astana)
    GatheringFactory(venue=venue, starts_at=at(DAY, 0), status="held")
    GatheringFactory(venue=venue, starts_at=at(DAY, 23), status="approved")
    GatheringFactory(venue=venue, starts_at=at(DAY, 12), status="cancelled")
    GatheringFactory(venue=venue, starts_at=at(DAY, 12), status="submitted")  # gates fail
    GatheringFactory(venue=venue, starts_at=at(AFTER, 0), status="held")  # next day
    GatheringFactory(venue=venue, starts_at=at(BEFORE, 23), status="held")  # day before
    GatheringFactory(venue=other, starts_at=at(DAY, 10), status="held")
    held = figures("events_held", p.almaty, p.astana)
    window = Gathering.objects.filter(starts_at__gte=at(DAY, 0), starts_at__lt=at(AFTER, 0))
    assert held[p.almaty.pk].value == window.filter(region=p.almaty, status="held").count() == 1
    assert held[p.astana.pk].value == 1
    secured = figures("events_secured", p.almaty)[p.almaty.pk]
    assert (secured.value, secured.base) == (2, 3)
    assert secured.percent == pytest.approx(200 / 3)
    assert figures("events_blocked", p.almaty)[p.almaty.pk].value == 1
    assert figures("events_blocked", p.astana)[p.astana.pk].value == 0


def test_inspections_violations_briefings_drills() -> None:
    p = make_personas()
    venue = FacilityFactory(region=p.almaty)
    second = FacilityFactory(region=p.almaty)
    far = FacilityFactory(region=p.astana)
    first = InspectionFactory(facility=venue, inspected_on=DAY)
    InspectionFactory(facility=venue, inspected_on=DAY, is_reinspection=True)
    InspectionFactory(facility=second, inspected_on=DAY)
    early = InspectionFactory(facility=second, inspected_on=BEFORE)
    InspectionFactory(facility=far, inspected_on=DAY)
    ViolationFactory(inspection=first, severity="minor")
    ViolationFactory(inspection=first, severity="minor", status="eliminated", eliminated_on=DAY)
    ViolationFactory(inspection=early, severity="minor")  # found the day before, still open
    ViolationFactory(
        inspection=early, severity="minor", status="eliminated", eliminated_on=AFTER
    )  # open at the end of the day, eliminated later
    BriefingFactory(facility=venue, held_on=DAY)
    BriefingFactory(facility=venue, held_on=AFTER)
    DrillFactory(facility=second, held_on=DAY)
    DrillFactory(facility=far, held_on=DAY)

    assert figures("inspections", p.almaty)[p.almaty.pk].value == 3
    assert figures("inspections", p.astana)[p.astana.pk].value == 1
    assert figures("venues_inspected", p.almaty)[p.almaty.pk].value == 2
    found = Violation.objects.filter(facility__region=p.almaty, inspection__inspected_on=DAY)
    assert figures("violations_found", p.almaty)[p.almaty.pk].value == found.count() == 2
    eliminated = figures("violations_eliminated", p.almaty)[p.almaty.pk]
    assert (eliminated.value, eliminated.base) == (1, 2)
    # Open at the end of DAY: the one open today found on DAY, and both found the day before.
    assert figures("open_violations", p.almaty)[p.almaty.pk].value == 3
    assert figures("open_violations", p.almaty, day=BEFORE)[p.almaty.pk].value == 2
    assert figures("briefings", p.almaty)[p.almaty.pk].value == 1
    assert figures("drills", p.almaty, p.astana) == {
        p.almaty.pk: Figure(1),
        p.astana.pk: Figure(1),
    }


def test_venues_cleared_follows_clearance() -> None:
    p = make_personas()
    clear = FacilityFactory(region=p.almaty)
    blocked = FacilityFactory(region=p.almaty)
    FacilityFactory(region=p.almaty)  # never inspected
    InspectionFactory(facility=clear, inspected_on=DAY - dt.timedelta(days=10))
    ViolationFactory(
        inspection=InspectionFactory(facility=blocked, inspected_on=DAY), severity="critical"
    )
    assert figures("venues_cleared", p.almaty)[p.almaty.pk].value == 1
    # Before its inspection, the clear venue was not yet cleared.
    early = DAY - dt.timedelta(days=11)
    assert figures("venues_cleared", p.almaty, day=early)[p.almaty.pk].value == 0


def test_equipment_checks_count_hydrants_and_facility_equipment() -> None:
    p = make_personas()
    hydrant = HydrantFactory(region=p.almaty)
    HydrantCheckFactory(hydrant=hydrant, checked_on=DAY)
    HydrantCheckFactory(hydrant=hydrant, checked_on=AFTER)
    EquipmentCheckFactory(equipment__facility__region=p.almaty, checked_on=DAY)
    EquipmentCheckFactory(equipment__facility__region=p.astana, checked_on=DAY)
    result = figures("equipment_checks", p.almaty, p.astana)
    assert result[p.almaty.pk].value == 2
    assert result[p.astana.pk].value == 1


def test_pyrotechnics() -> None:
    p = make_personas()
    RaidFactory(region=p.almaty, planned_on=DAY, status="done")
    RaidFactory(region=p.almaty, planned_on=DAY, status="planned")
    RaidFactory(region=p.almaty, planned_on=BEFORE, status="done")
    outlet = OutletFactory(region=p.almaty)
    SeizureFactory(
        outlet=outlet,
        seized_on=DAY,
        lines=[
            {"product": "Battery", "units": 10, "boxes": 1},
            {"product": "Rockets", "units": 5, "boxes": 2, "certified": True},
        ],
    )
    SeizureFactory(outlet=outlet, seized_on=AFTER)
    SeizureFactory(outlet=OutletFactory(region=p.astana), seized_on=DAY)
    assert figures("raids", p.almaty)[p.almaty.pk].value == 1
    units = figures("pyro_units_seized", p.almaty, p.astana)
    assert units == {p.almaty.pk: Figure(15), p.astana.pk: Figure(10)}
    assert figures("pyro_boxes_seized", p.almaty)[p.almaty.pk].value == 3


def test_protective_security_at_the_end_of_the_day() -> None:
    """Venues assessed and critical findings open on DAY, recorded by its end (the records'
    own timestamps are set; the services refuse dates after today, so the day is a month ago)."""
    p = make_personas()
    day = timezone.localdate() - dt.timedelta(days=30)
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)

    def venue(region: Any = None) -> Any:
        return FacilityFactory(region=region or p.almaty, capacity=1000)

    def done(facility: Any, on: dt.date, completed_at: dt.datetime, **kw: Any) -> Assessment:
        assessment = completed(facility, on=on, **kw)
        Assessment.objects.filter(pk=assessment.pk).update(completed_at=completed_at)
        Finding.objects.filter(assessment=assessment).update(created_at=completed_at)
        return assessment

    counted = venue()
    main = done(
        counted,
        day - dt.timedelta(days=10),
        at(day - dt.timedelta(days=10), 15),
        not_met={"access-control": "No bag search", "staff-training": "Untrained"},
    )
    done(counted, day - dt.timedelta(days=5), at(day - dt.timedelta(days=5), 15))  # once
    done(venue(), after, at(after, 9))  # assessed the day after
    done(venue(), day - dt.timedelta(days=400), at(day - dt.timedelta(days=400), 9))  # expired
    done(venue(), day - dt.timedelta(days=2), at(after, 9))  # dated before, completed after
    protection.create_assessment(  # a draft
        acting_user=None, facility=venue(), assessed_on=day - dt.timedelta(days=3)
    )
    done(
        venue(p.astana),
        day,
        at(day, 11),
        not_met={"procedures": "Not written"},
    )

    def critical(text: str, created: dt.datetime, fixed_on: dt.date | None = None) -> None:
        finding = protection.add_finding(
            acting_user=None,
            assessment=main,
            severity="critical",
            text=text,
            deadline=day + dt.timedelta(days=7),
        )
        Finding.objects.filter(pk=finding.pk).update(
            created_at=created, status="fixed" if fixed_on else "open", fixed_on=fixed_on
        )

    critical("Fixed on the day", at(before, 10), fixed_on=day)
    critical("Fixed the day after", at(before, 10), fixed_on=after)
    critical("Recorded the day after", at(after, 10))

    assessed = figures("crowded_venues_assessed", p.almaty, p.astana, p.shymkent, day=day)
    direct = (
        Assessment.objects.filter(
            facility__region=p.almaty,
            status="completed",
            completed_at__lt=local_day(day)[1],
            assessed_on__lte=day,
            valid_until__gte=day,
        )
        .values("facility")
        .distinct()
        .count()
    )
    assert assessed == {
        p.almaty.pk: Figure(direct),
        p.astana.pk: Figure(1),
        p.shymkent.pk: Figure(0),
    }
    assert direct == 1
    # The day before, the Astana venue (assessed on the day) was not yet assessed.
    assert figures("crowded_venues_assessed", p.astana, day=before)[p.astana.pk] == Figure(0)

    open_ = figures("protection_critical_open", p.almaty, p.astana, day=day)
    # Almaty: the access-control finding (open) and the one fixed the day after; not the
    # major one, the one fixed on the day or the one recorded the day after. Astana: procedures.
    assert open_ == {p.almaty.pk: Figure(2), p.astana.pk: Figure(1)}
    assert figures("protection_critical_open", p.almaty, day=after)[p.almaty.pk] == Figure(2)
    before_main = day - dt.timedelta(days=11)
    assert figures("protection_critical_open", p.almaty, day=before_main)[p.almaty.pk] == Figure(0)


def test_empty_regions_read_as_zero() -> None:
    p = make_personas()
    assert figures("events_secured", p.shymkent)[p.shymkent.pk] == Figure(0, 0)
    assert figures("inspections", p.shymkent)[p.shymkent.pk] == Figure(0)


def test_every_indicator_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "indicators.md").read_text()
    for ind in registry_indicators():
        assert f"### `{ind.code}`" in docs, ind.code
        assert ind.compute in docs, ind.compute


def test_a_morning_reporting_window_takes_the_previous_days_records() -> None:
    """08:00 on DAY to 08:00 the day after: DAY's inspections (their noon lies in it), not the
    next day's, although some of the window lies on the next day."""
    p = make_personas()
    venue = FacilityFactory(region=p.almaty)
    InspectionFactory(facility=venue, inspected_on=DAY)
    InspectionFactory(facility=venue, inspected_on=AFTER)
    start, end = at(DAY, 8), at(AFTER, 8)
    found = indicator("inspections").evaluate([p.almaty.pk], start, end)
    assert found[p.almaty.pk].value == 1
    # Timestamped records follow their own time: an event at 07:00 the day after counts.
    GatheringFactory(venue=venue, starts_at=at(AFTER, 7), status="held")
    GatheringFactory(venue=venue, starts_at=at(DAY, 7), status="held")
    held = indicator("events_held").evaluate([p.almaty.pk], start, end)
    assert held[p.almaty.pk].value == 1
