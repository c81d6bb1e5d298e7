"""The demo's weather bundle is deterministic, its streams follow the weather, the faulty
heating site falls below the curve on the coldest night, and the loader makes the sites."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from saqshy.algorithms.lifelines import HeatingCurve
from saqshy.demo import weather as demo_weather
from saqshy.demo.lifeline_streams import (
    FAULT_DROP,
    SiteStream,
    fault_on_coldest_night,
    load_weather,
    make_streams,
)

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("SAQSHY_SHARED_DATA", ROOT.parent / "shared" / "data"))


def test_the_weather_file_is_what_the_bundle_derives() -> None:
    if not (SHARED / demo_weather.WEATHER_SOURCE).exists():
        pytest.skip(reason=f"shared data absent: {SHARED / demo_weather.WEATHER_SOURCE} not found")
    first, summary = demo_weather.weather_csv(SHARED)
    second, _ = demo_weather.weather_csv(SHARED)
    assert first == second
    assert first == (ROOT / "data" / demo_weather.WEATHER_FILE).read_bytes()
    assert summary == {"hours": 264, "coldest_night": "2024-12-31"}


def test_new_years_night_is_the_coldest_of_the_window() -> None:
    weather = load_weather()
    assert len(weather.hours) == 264
    assert demo_weather.coldest_night(weather.hours) == dt.date(2024, 12, 31)
    fault = fault_on_coldest_night(weather.hours)
    assert fault is not None
    assert dt.datetime(2024, 12, 31, 18) <= fault.start < dt.datetime(2025, 1, 1, 9)


def test_the_simulated_start_day_plays_new_years_eve() -> None:
    assert demo_weather.real_time(
        dt.datetime(2026, 12, 3, 21, 30), dt.date(2026, 12, 3)
    ) == dt.datetime(2024, 12, 31, 21, 30)
    assert demo_weather.real_time(
        dt.datetime(2026, 12, 4, 3, 0), dt.date(2026, 12, 3)
    ) == dt.datetime(2025, 1, 1, 3, 0)


def _stream(kind: str, *, faulty: bool) -> SiteStream:
    weather = load_weather()
    return SiteStream(
        "site-x",
        kind,
        dt.timedelta(minutes=10),
        weather,
        HeatingCurve(),
        seed=7,
        fault=fault_on_coldest_night(weather.hours) if faulty else None,
        start_day=dt.date(2026, 12, 3),
    )


def _supply(stream: SiteStream, real: dt.datetime) -> float:
    return stream.parameters(real)["supply_temp"]


def test_supply_follows_the_curve_at_the_real_outdoor_temperature() -> None:
    stream = _stream("heat_plant", faulty=False)
    curve = HeatingCurve()
    for hour in stream.weather.hours[::7]:
        expected = curve.supply(hour.temperature)
        assert abs(_supply(stream, hour.at) - expected) <= 1.5 + 1e-9
        assert stream.parameters(hour.at)["return_temp"] < _supply(stream, hour.at)


def test_the_faulty_site_falls_below_the_curve_on_the_coldest_night_and_recovers() -> None:
    stream = _stream("boiler_house", faulty=True)
    fault = stream.fault
    assert fault is not None
    curve = HeatingCurve()
    during = fault.start + dt.timedelta(hours=1)
    outdoor, _wind = stream.weather.at(during)
    assert _supply(stream, during) < curve.lowest_allowed(outdoor) - FAULT_DROP / 2
    after = fault.end + dt.timedelta(hours=1)
    outdoor, _wind = stream.weather.at(after)
    assert _supply(stream, after) >= curve.lowest_allowed(outdoor)


def test_messages_are_due_on_the_grid_with_stable_ids() -> None:
    stream = _stream("substation", faulty=False)
    tz = timezone.get_current_timezone()
    since = dt.datetime(2026, 12, 3, 20, 0, tzinfo=tz)
    now = since + dt.timedelta(minutes=30)
    first = list(stream.due(now, since))
    again = list(stream.due(now, since))
    assert [m.payload["id"] for m in first] == [m.payload["id"] for m in again]
    assert len(first) == 3
    assert all(m.topic == "saqshy/telemetry/site-x/voltage" for m in first)
    assert all(since < dt.datetime.fromisoformat(m.payload["time"]) <= now for m in first)


@pytest.mark.django_db
def test_load_and_stream_the_astana_sites_end_to_end() -> None:
    """The loader makes the sites; the streams, published in process, open and restore the
    faulty site's outage on the coldest night."""
    from saqshy.accounts.models import Agency, Region
    from saqshy.demo import loader
    from saqshy.demo.lifelines import load_lifelines
    from saqshy.ingest.transport import DirectPublisher
    from saqshy.lifelines.choices import OutageStatus
    from saqshy.lifelines.models import Outage, UtilitySite

    loader.load_regions()
    astana = Region.objects.get(slug="astana")
    Agency.objects.get_or_create(
        code="energy-astana", defaults={"kind": "energy", "region": astana, "name_en": "Energy"}
    )
    loader.load_facilities("astana")
    result = load_lifelines("astana", say=lambda _line: None)
    assert result.sites == UtilitySite.objects.count() > 0
    assert load_lifelines("astana", say=lambda _line: None).created == 0
    heat = UtilitySite.objects.get(kind="heat_plant")
    assert heat.people > 0 and heat.service_area["type"] == "Polygon"

    streams = make_streams(astana, seed=1)
    fault = fault_on_coldest_night(load_weather().hours)
    assert fault is not None
    tz = timezone.get_current_timezone()
    day = dt.date(2026, 12, 3)
    # The fault is in the small hours of 1 January: the simulated night of 3 → 4 December.
    evening = timezone.make_aware(dt.datetime.combine(day, dt.time(18)), tz)
    begin = evening + (fault.start - dt.datetime(2024, 12, 31, 18)) - dt.timedelta(hours=1)
    publisher = DirectPublisher(batch=500)
    clock = begin
    while clock < begin + dt.timedelta(hours=FAULT_HOURS + 3):
        step = clock + dt.timedelta(minutes=30)
        for stream in streams:
            for message in stream.due(step, clock):
                publisher.publish(message.topic, message.payload)
        publisher.flush()
        clock = step
    outage = Outage.objects.get()
    assert outage.site == heat
    assert outage.status == OutageStatus.RESTORED


FAULT_HOURS = 4
