"""``public_warnings``: the active warnings for the public page, nothing personal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from saqshy.accounts.models import Region
from saqshy.core.testing.personas import make_personas
from saqshy.roads.tests.factories import make_segment
from saqshy.weather import queries, services
from saqshy.weather.models import WeatherWarning
from saqshy.weather.tests.factories import as_road_authority

pytestmark = pytest.mark.django_db


def warning(region: Region, hours_from: float, hours_to: float, **fields: Any) -> WeatherWarning:
    now = timezone.now().replace(second=0, microsecond=0)
    values: dict[str, Any] = {
        "kind": "blizzard",
        "level": "red",
        "starts_at": now + dt.timedelta(hours=hours_from),
        "ends_at": now + dt.timedelta(hours=hours_to),
        "note": "Inspector Serikov's phone 8 701 …",
    }
    values.update(fields)
    return services.create_warning(acting_user=None, region=region, **values)


def test_public_warnings_are_the_active_ones_without_personal_data() -> None:
    people = make_personas()
    as_road_authority(people.planner_astana, people.astana)
    segment = make_segment(2, 4, people.astana)
    road = warning(people.astana, -1, 10, segments=[segment])
    services.confirm_warning(acting_user=people.planner_astana, warning=road)
    cold = warning(people.almaty, 2, 12, kind="extreme_cold", level="orange")
    warning(people.astana, -10, -2)  # ended
    services.dismiss_warning(acting_user=None, warning=warning(people.astana, 0, 5))
    rows = queries.public_warnings()
    assert [(r["kind"], r["region"]) for r in rows] == [
        ("blizzard", "Astana"),
        ("extreme_cold", "Almaty"),
    ]
    first = rows[0]
    assert first["segment"] == segment.title
    assert first["starts"] == timezone.localtime(road.starts_at).strftime("%d.%m.%Y %H:%M")
    assert first["ends"] == timezone.localtime(road.ends_at).strftime("%d.%m.%Y %H:%M")
    assert rows[1]["segment"] == ""
    assert rows[1]["starts"] == timezone.localtime(cold.starts_at).strftime("%d.%m.%Y %H:%M")
    for row in rows:
        assert "Serikov" not in str(row)
        assert {"kind_label", "level_label", "region", "segment", "starts", "ends"} <= set(row)
    assert [r["kind"] for r in queries.public_warnings("almaty")] == ["extreme_cold"]
    assert queries.public_warnings("shymkent") == []
    with translation.override("kk"):
        kk = queries.public_warnings("astana")[0]
    assert (kk["kind_label"], kk["level_label"]) == ("Боран", "Қызыл: шара қолданыңыз")
    with translation.override("ru"):
        assert queries.public_warnings("astana")[0]["kind_label"] == "Метель"
