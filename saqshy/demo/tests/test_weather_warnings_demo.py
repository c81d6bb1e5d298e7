"""The demo's winter night: the real blizzard replayed on New Year's night, confirmed by the
road authority so the segments close, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import make_personas
from saqshy.demo.weather import load_weather_warnings
from saqshy.roads.choices import SegmentStatus
from saqshy.roads.models import Closure
from saqshy.roads.tests.factories import make_segment
from saqshy.weather.models import WeatherWarning
from saqshy.weather.tests.factories import as_road_authority

pytestmark = pytest.mark.django_db


def test_the_real_blizzard_closes_the_road_on_new_years_night() -> None:
    people = make_personas()
    as_road_authority(people.planner_astana, people.astana)
    segments = [make_segment(1, 2, people.astana), make_segment(2, 4, people.astana)]
    lines: list[str] = []
    warning = load_weather_warnings(
        region=people.astana,
        road_authority=people.planner_astana,
        segments=segments,
        today=dt.date(2026, 12, 4),
        say=lines.append,
    )
    assert warning is not None
    assert (warning.kind, warning.level, warning.source, warning.status) == (
        "blizzard",
        "red",
        "rule",
        "confirmed",
    )
    local = timezone.localtime
    # The real 16 hours of 29.12.2023 06:00–22:00, centred on midnight 31.12.2026 → 01.01.2027.
    assert local(warning.starts_at).strftime("%d.%m.%Y %H:%M") == "31.12.2026 16:00"
    assert local(warning.ends_at).strftime("%d.%m.%Y %H:%M") == "01.01.2027 08:00"
    assert (warning.max_gust_kmh, warning.min_temperature_c) == (83.5, -7.1)
    assert warning.snowfall_cm == pytest.approx(2.24)
    assert "29.12.2023 06:00" in warning.decision_note
    assert warning.decided_by == people.planner_astana
    for segment in segments:
        segment.refresh_from_db()
        assert segment.status == SegmentStatus.CLOSED
    closures = list(warning.closures.all())
    assert len(closures) == 2
    assert {c.reason for c in closures} == {"blizzard"}
    assert all(c.expected_reopening_at == warning.ends_at for c in closures)
    assert lines and "confirmed" in lines[-1]

    counts = (WeatherWarning.objects.count(), Closure.objects.count(), AuditEntry.objects.count())
    again = load_weather_warnings(
        region=people.astana,
        road_authority=people.planner_astana,
        segments=segments,
        today=dt.date(2026, 12, 4),
        say=lambda _line: None,
    )
    assert again is not None and again.pk == warning.pk
    after = (WeatherWarning.objects.count(), Closure.objects.count(), AuditEntry.objects.count())
    assert after == counts


def test_without_road_rights_the_warning_stays_proposed() -> None:
    people = make_personas()
    as_road_authority(people.planner_astana, people.astana)
    segment = make_segment(2, 4, people.astana)
    lines: list[str] = []
    warning = load_weather_warnings(
        region=people.astana,
        road_authority=people.dispatcher_astana,
        segments=[segment],
        today=dt.date(2026, 12, 4),
        say=lines.append,
    )
    assert warning is not None and warning.status == "proposed"
    segment.refresh_from_db()
    assert segment.status == SegmentStatus.OPEN
    assert "may not close" in lines[-1]
