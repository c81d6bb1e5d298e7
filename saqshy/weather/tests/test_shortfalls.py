"""Active weather warnings reach the winter standby rules: a warned segment needs ploughs and
tow trucks, a red warning needs a helicopter; a dismissed or ended warning needs nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saqshy.core.testing.personas import make_personas
from saqshy.roads.tests.factories import segment_in
from saqshy.weather.models import WeatherWarning
from saqshy.weather.services import create_warning
from saqshy.winter.choices import EquipmentType
from saqshy.winter.queries import active_warnings, shortfalls


@pytest.mark.django_db
def test_a_warned_segment_and_a_red_region_ask_for_standby() -> None:
    p = make_personas()
    now = timezone.now()
    road = segment_in(p.almaty, "Almaty – Kapshagay")
    window = {"starts_at": now - dt.timedelta(hours=1), "ends_at": now + dt.timedelta(hours=5)}
    create_warning(
        acting_user=None, region=p.almaty, kind="blizzard", level="red", segments=[road], **window
    )
    ended = create_warning(
        acting_user=None, region=p.astana, kind="extreme_cold", level="red", **window
    )
    WeatherWarning.objects.filter(pk=ended.pk).update(ends_at=now - dt.timedelta(minutes=1))

    facts = {(f.region_id, f.segment_id, f.level) for f in active_warnings()}
    assert facts == {(p.almaty.pk, road.pk, "red")}
    missing = {
        (s.region.pk, s.segment.pk if s.segment else None, s.equipment_type)
        for s in shortfalls(now)
    }
    assert (p.almaty.pk, road.pk, EquipmentType.SNOW_PLOUGH) in missing
    assert (p.almaty.pk, road.pk, EquipmentType.TOW_TRUCK) in missing
    assert (p.almaty.pk, None, EquipmentType.HELICOPTER) in missing
    assert not any(region == p.astana.pk for region, _segment, _kind in missing)
