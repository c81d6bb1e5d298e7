"""Response, duty, trips, home alarms and outages: each indicator against a direct count of a
scenario in two regions, with records on both sides of the window's edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saqshy.accounts.models import Agency
from saqshy.alarms.models import AlarmEvent
from saqshy.alarms.tests.factories import household, installed
from saqshy.core.indicators import Figure, local_day
from saqshy.core.testing.indicators import day_figures
from saqshy.core.testing.personas import make_personas
from saqshy.duty.tests.factories import PersonFactory, PostFactory, PostNeedFactory, ShiftFactory
from saqshy.incidents.models import Incident
from saqshy.incidents.tests.factories import IncidentFactory, incident_type
from saqshy.lifelines.models import Outage
from saqshy.lifelines.tests.factories import make_site
from saqshy.trips.tests.factories import TripFactory, escort

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 20)
AFTER = DAY + dt.timedelta(days=1)


def at(day: dt.date, hour: float) -> dt.datetime:
    return local_day(day)[0] + dt.timedelta(hours=hour)


def figures(code: str, *regions: Any, day: dt.date = DAY) -> dict[int, Figure]:
    return day_figures(code, [r.pk for r in regions], day)


def test_incidents_and_response_within_norms() -> None:
    p = make_personas()
    call = at(DAY, 10)
    second = dt.timedelta(seconds=1)
    # Dispatched in 30 s, on scene 5 min later: both within (60 s, 600 s for fire).
    IncidentFactory(
        region=p.almaty,
        reported_at=call,
        dispatched_at=call + 30 * second,
        on_scene_at=call + 330 * second,
    )
    # Dispatched in 2 min, on scene 15 min later: neither.
    IncidentFactory(
        region=p.almaty,
        reported_at=call,
        dispatched_at=call + 120 * second,
        on_scene_at=call + 1020 * second,
    )
    # A type without an arrival norm: counts for dispatch only.
    IncidentFactory(
        region=p.almaty,
        type=incident_type("other"),
        reported_at=call,
        dispatched_at=call + 10 * second,
        on_scene_at=call + 60 * second,
    )
    original = IncidentFactory(region=p.almaty, reported_at=at(DAY, 23.9))  # never dispatched
    IncidentFactory(
        region=p.almaty, reported_at=call, merged_at=call, duplicate_of=original
    )  # merged duplicate
    IncidentFactory(region=p.almaty, reported_at=at(AFTER, 0))  # next day
    IncidentFactory(region=p.astana, reported_at=call)

    counted = Incident.objects.filter(
        region=p.almaty, reported_at__gte=at(DAY, 0), reported_at__lt=at(AFTER, 0)
    ).exclude(merged_at__isnull=False)
    assert figures("incidents", p.almaty)[p.almaty.pk].value == counted.count() == 4
    assert figures("incidents", p.astana)[p.astana.pk].value == 1
    dispatch = figures("dispatch_within_norm", p.almaty)[p.almaty.pk]
    assert (dispatch.value, dispatch.base) == (2, 3)
    arrival = figures("response_within_norm", p.almaty)[p.almaty.pk]
    assert (arrival.value, arrival.base) == (1, 2)
    assert arrival.percent == 50


def test_duty_coverage_counts_post_hours_staffed_up_to_the_need() -> None:
    p = make_personas()
    police = Agency.objects.get(code="police-almaty")
    # 08:00–12:00 needing 2 people an hour: 8 person-hours.
    post = PostFactory(region=p.almaty, starts_at=at(DAY, 8), ends_at=at(DAY, 12))
    PostNeedFactory(post=post, agency=police, people=2)
    # One person 08:00–12:00 (4), a second 10:00–11:00 (1), a third 10:00–12:00 over the
    # need at 11:00 too (1 more at 10:00 is beyond the need: not counted).
    ShiftFactory(person=PersonFactory(), post=post, starts_at=at(DAY, 8), ends_at=at(DAY, 12))
    ShiftFactory(person=PersonFactory(), post=post, starts_at=at(DAY, 10), ends_at=at(DAY, 11))
    ShiftFactory(person=PersonFactory(), post=post, starts_at=at(DAY, 10), ends_at=at(DAY, 12))
    # The day after does not count.
    later = PostFactory(region=p.almaty, starts_at=at(AFTER, 8), ends_at=at(AFTER, 12))
    PostNeedFactory(post=later, agency=police, people=5)
    coverage = figures("duty_coverage", p.almaty, p.astana)
    assert (coverage[p.almaty.pk].value, coverage[p.almaty.pk].base) == (6, 8)
    assert coverage[p.astana.pk] == Figure(0, 0)


def test_trips_escorted() -> None:
    p = make_personas()
    escorted = TripFactory(region=p.almaty, departs_at=at(DAY, 8), status="approved")
    escort(escorted, unit=None, person=_escort_person(p))
    TripFactory(region=p.almaty, departs_at=at(DAY, 9), status="submitted")
    TripFactory(region=p.almaty, departs_at=at(DAY, 9), status="cancelled")
    TripFactory(region=p.almaty, departs_at=at(AFTER, 0), status="submitted")
    TripFactory(region=p.astana, departs_at=at(DAY, 9), status="submitted")
    trips = figures("trips_escorted", p.almaty, p.astana)
    assert (trips[p.almaty.pk].value, trips[p.almaty.pk].base) == (1, 2)
    assert (trips[p.astana.pk].value, trips[p.astana.pk].base) == (0, 1)


def _escort_person(p: Any) -> Any:
    from saqshy.trips.tests.factories import PersonFactory as EscortFactory

    return EscortFactory(region=p.almaty)


def test_sensors_and_home_alarms() -> None:
    p = make_personas()
    home = household(p.almaty)
    online = installed(home)
    online.device.status = "online"
    online.device.save()
    installed(home)  # new, not heard yet
    retired = installed(home)
    retired.device.status = "retired"
    retired.device.save()
    late = installed(home)
    late.installed_on = AFTER
    late.save()
    installed(household(p.astana))
    counts = figures("sensors_installed", p.almaty, p.astana)
    assert counts[p.almaty.pk].value == 2
    assert counts[p.astana.pk].value == 1
    share = figures("sensors_online", p.almaty)[p.almaty.pk]
    assert (share.value, share.base) == (1, 2)

    fire: Any = IncidentFactory(region=p.almaty, reported_at=at(DAY, 3))
    for n in range(2):  # two alarms joining one incident count once
        AlarmEvent.objects.create(
            device=online.device,
            message_id=f"a{n}",
            region=p.almaty,
            incident=fire,
            kind="alarm",
            at=at(DAY, 3),
            received_at=at(DAY, 3),
        )
    nextday: Any = IncidentFactory(region=p.almaty, reported_at=at(AFTER, 3))
    AlarmEvent.objects.create(
        device=online.device,
        message_id="b",
        region=p.almaty,
        incident=nextday,
        kind="alarm",
        at=at(AFTER, 3),
        received_at=at(AFTER, 3),
    )
    assert figures("home_alarms", p.almaty)[p.almaty.pk].value == 1
    assert figures("home_alarms", p.almaty, day=AFTER)[p.almaty.pk].value == 1


def test_outages_started_in_the_window() -> None:
    p = make_personas()
    site = make_site(p.almaty)
    for started in (at(DAY, 0), at(DAY, 23.5), at(AFTER, 0)):
        Outage.objects.create(
            site=site, region=p.almaty, agency=site.agency, started=started, restored_at=started
        )
    other = make_site(p.astana)
    Outage.objects.create(site=other, region=p.astana, agency=other.agency, started=at(DAY, 1))
    assert figures("outages", p.almaty, p.astana) == {
        p.almaty.pk: Figure(2),
        p.astana.pk: Figure(1),
    }


@pytest.mark.parametrize("regions", [1, 3])
def test_queries_do_not_grow_with_the_regions(regions: int) -> None:
    """One grouped query (or a few) for all regions: the same count for one region or three
    (the venues' clearance runs per region that has inspected venues, none here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saqshy.core.indicators import registry_indicators

    p = make_personas()
    chosen = [p.almaty, p.astana, p.shymkent][:regions]
    counts = {}
    for ind in registry_indicators():
        with CaptureQueriesContext(connection) as queries:
            ind.evaluate([r.pk for r in chosen], *local_day(DAY))
        counts[ind.code] = len(queries)
    assert max(counts.values()) <= 4, counts
