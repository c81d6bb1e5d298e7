"""The public list of warming points (nothing personal) and the commission's figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from saqshy.core import indicators
from saqshy.core.testing.indicators import day_figures
from saqshy.roads.tests.factories import make_network
from saqshy.winter import queries, services
from saqshy.winter.tests.factories import make_akmola, make_point

pytestmark = pytest.mark.django_db


def test_public_points_are_open_points_with_their_public_contact_only() -> None:
    region = make_akmola()
    make_network(region)
    shown = make_point(
        region,
        "Koyandy school",
        50.7,
        71.9,
        capacity=60,
        occupancy=60,
        food=True,
        open_24h=False,
        opens_at=dt.time(8, 0),
        closes_at=dt.time(22, 30),
    )
    make_point(region, "Closed club", 50.6, 71.95, is_open=False)
    services.report_stranded(
        acting_user=None,
        location="M-36 km 40",
        lat=50.8,
        lon=71.8,
        people=4,
        reporter_phone="+7 777 123 45 67",
        medical_needs="insulin",
    )
    rows = queries.public_points()
    assert [row["name"] for row in rows] == [shown.name]
    row = rows[0]
    assert set(row) == {
        "name",
        "address",
        "region",
        "region_slug",
        "lat",
        "lon",
        "capacity",
        "free_places",
        "full",
        "heating",
        "food",
        "fuel",
        "medical",
        "hours",
        "phone",
    }
    assert row["full"] is True and row["free_places"] == 0
    assert row["hours"] == "08:00–22:30" and row["phone"] == shown.phone
    assert row["region_slug"] == "akmola"
    text = json.dumps(rows, ensure_ascii=False)
    assert "777 123" not in text and "insulin" not in text and "M-36 km 40" not in text
    assert queries.public_points("akmola") == rows
    assert queries.public_points("almaty") == []


def test_indicators_count_people_and_open_points() -> None:
    region = make_akmola()
    make_network(region)
    point = make_point(region, "Koyandy school", 50.7, 71.9, capacity=60)
    make_point(region, "Closed club", 50.6, 71.95, is_open=False)
    report = services.report_stranded(
        acting_user=None, location="M-36", lat=50.8, lon=71.8, people=38, children=21
    )
    services.report_stranded(acting_user=None, location="M-36", lat=50.9, lon=71.7, people=3)
    services.assign_point(acting_user=None, report=report, point=point)
    services.start_evacuation(acting_user=None, report=report)
    services.complete_evacuation(acting_user=None, report=report)
    by_code = {ind.code: ind for ind in indicators.registry_indicators()}
    now = timezone.now()
    today = (now - dt.timedelta(hours=1), now + dt.timedelta(hours=1))
    figures = {
        code: by_code[code].evaluate([region.pk], *today)[region.pk].value
        for code in ("stranded_people", "stranded_evacuated", "warming_points_open")
    }
    assert figures == {"stranded_people": 41, "stranded_evacuated": 38, "warming_points_open": 1}
    # Day by day, as each local day's own window counts.
    for code, people in (
        ("stranded_people", 41),
        ("stranded_evacuated", 38),
        ("warming_points_open", 1),
    ):
        assert day_figures(code, [region.pk], timezone.localdate())[region.pk].value == people
    before = (now - dt.timedelta(days=2), now - dt.timedelta(days=1))
    assert by_code["stranded_people"].evaluate([region.pk], *before)[region.pk].value == 0
    assert by_code["warming_points_open"].evaluate([region.pk], *before)[region.pk].value == 0
