"""Telemetry against thresholds and the heating curve: one alert, one outage, one incident;
a redelivered or later breaching reading adds nothing; recovery restores; the crew is sent."""

from __future__ import annotations

import datetime as dt

import pytest

from saqshy.core.testing.geography import make_region
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident, JournalEntry
from saqshy.ingest.services import system_user
from saqshy.lifelines.choices import AlertStatus, OutageStatus
from saqshy.lifelines.models import Alert, Outage
from saqshy.lifelines.monitor import check_readings
from saqshy.lifelines.queries import heating_curve
from saqshy.lifelines.tests.factories import (
    crew_on_duty,
    make_site,
    reading,
    start,
    weather_station,
)

pytestmark = pytest.mark.django_db

OUTDOOR = -20.0


def feed(site, t0, minutes, supply):
    """Outdoor temperature from the weather station, then the site's supply, at t0 + minutes."""
    at = t0 + dt.timedelta(minutes=minutes)
    station = weather_station(site.region)
    rows = [
        reading(station, "outdoor_temp", OUTDOOR, at),
        reading(site.gateway, "supply_temp", supply, at),
    ]
    check_readings(rows, acting_user=system_user())
    return rows


def below_curve(site) -> float:
    return heating_curve(site.region_id).lowest_allowed(OUTDOOR) - 30


def on_curve(site) -> float:
    return heating_curve(site.region_id).supply(OUTDOOR)


def test_a_short_breach_stays_pending_and_clears() -> None:
    site = make_site()
    t0 = start()
    feed(site, t0, 0, below_curve(site))
    alert = Alert.objects.get(site=site)
    assert alert.status == AlertStatus.PENDING
    feed(site, t0, 10, on_curve(site))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLEARED
    assert not Outage.objects.exists()
    assert not Incident.objects.exists()


def test_a_sustained_breach_opens_one_outage_and_recovery_restores_it() -> None:
    site = make_site()
    t0 = start()
    person = crew_on_duty(site, t0 + dt.timedelta(minutes=30))
    for minutes in (0, 10, 20):
        feed(site, t0, minutes, below_curve(site))
    assert not Outage.objects.exists(), "not sustained for the threshold's 30 minutes yet"
    sustained = feed(site, t0, 30, below_curve(site))
    outage = Outage.objects.get()
    assert outage.site == site
    assert outage.people == 1200 and outage.buildings == 40
    assert outage.incident is not None and outage.incident.type.code == "utility_outage"
    assert outage.alert is not None and outage.alert.status == AlertStatus.RAISED
    # The crew on shift at the site's post is sent, named on the outage and in the journal.
    assert outage.status == OutageStatus.CREW_SENT
    assert person.last_name in outage.crew
    assert JournalEntry.objects.filter(incident=outage.incident, text__contains=person.last_name)

    # Further breaching readings and a redelivery change nothing.
    feed(site, t0, 40, below_curve(site))
    check_readings(sustained, acting_user=system_user())
    assert Outage.objects.count() == 1
    assert Incident.objects.count() == 1
    assert Alert.objects.count() == 1

    # Back on the curve, but not yet for the norm's 30 minutes: still open.
    for minutes in (50, 60, 70):
        feed(site, t0, minutes, on_curve(site))
    outage.refresh_from_db()
    assert outage.is_open
    feed(site, t0, 80, on_curve(site))
    outage.refresh_from_db()
    assert outage.status == OutageStatus.RESTORED
    assert outage.restored_at == t0 + dt.timedelta(minutes=80)
    assert Alert.objects.get().status == AlertStatus.CLEARED
    assert Incident.objects.get().status == IncidentStatus.CLOSED


def test_a_second_breach_after_restoration_opens_a_new_outage() -> None:
    site = make_site()
    t0 = start()
    for minutes in range(0, 40, 10):
        feed(site, t0, minutes, below_curve(site))
    for minutes in range(40, 80, 10):
        feed(site, t0, minutes, on_curve(site))
    assert Outage.objects.get().status == OutageStatus.RESTORED
    for minutes in range(80, 120, 10):
        feed(site, t0, minutes, below_curve(site))
    assert Outage.objects.count() == 2
    assert Outage.objects.filter(restored_at=None).count() == 1


def test_fixed_thresholds_apply_without_the_curve() -> None:
    site = make_site()
    t0 = start()
    for minutes in range(0, 20, 5):
        at = t0 + dt.timedelta(minutes=minutes)
        check_readings([reading(site.gateway, "pressure", 1.0, at)], acting_user=system_user())
    outage = Outage.objects.get()
    assert outage.alert.parameter.code == "pressure"
    assert outage.alert.expected.startswith("4.0")


def test_readings_of_a_device_without_a_site_are_ignored() -> None:
    station = weather_station(make_region("astana"))
    check_readings([reading(station, "supply_temp", 1.0, start())], acting_user=system_user())
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("facility_kind", "tags", "name", "expected"),
    [
        ("heating_plant", {"power": "generator"}, "ТЭЦ №2", "heat_plant"),
        ("heating_plant", {}, "Котельная №5", "boiler_house"),
        ("heating_plant", {"building": "boiler_house"}, "", "boiler_house"),
        ("energy_site", {"power": "substation"}, "Левобережная", "substation"),
        ("water_utility", {"man_made": "wastewater_plant"}, "", "wastewater"),
        ("water_utility", {"man_made": "pumping_station"}, "", "pumping"),
        ("water_utility", {"man_made": "water_works"}, "", "water_works"),
    ],
)
def test_site_kind_from_facility_kind_and_osm_tags(facility_kind, tags, name, expected) -> None:
    from saqshy.lifelines.choices import site_kind

    assert site_kind(facility_kind, tags, name) == expected


def test_nobody_on_shift_is_said_in_the_journal_and_the_outage_stays_open() -> None:
    site = make_site()
    t0 = start()
    crew_on_duty(site, t0 - dt.timedelta(days=2))
    for minutes in range(0, 40, 10):
        feed(site, t0, minutes, below_curve(site))
    outage = Outage.objects.get()
    assert outage.status == OutageStatus.OPEN
    assert outage.crew_post is not None and outage.crew == ""
    assert JournalEntry.objects.filter(incident=outage.incident, text__contains="Nobody")
