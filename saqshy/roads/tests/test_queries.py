"""What the public page, the map layer and the indicators read from the roads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from saqshy.accounts.choices import AgencyKind
from saqshy.core.indicators import Figure
from saqshy.core.testing.geography import make_region
from saqshy.core.testing.indicators import day_figures
from saqshy.core.testing.personas import make_personas
from saqshy.forecasts.models import HotspotCell, HotspotForecast
from saqshy.roads import indicators, queries, services
from saqshy.roads.choices import ClosureReason, Restriction, SegmentStatus
from saqshy.roads.models import Segment
from saqshy.roads.tests.factories import make_network, person

pytestmark = pytest.mark.django_db

PUBLIC_KEYS = {
    "title",
    "number",
    "status",
    "status_label",
    "restriction_label",
    "reason_label",
    "since",
    "expected_reopening",
    "region",
    "region_slug",
    "geometry",
}


def test_public_closures_say_what_where_why_and_nothing_personal() -> None:
    roads = make_network()
    Segment.objects.filter(pk=roads["2-4"].pk).update(
        number="M-36",
        name="Astana – Karaganda",
        name_kk="Астана – Қарағанды",
        name_ru="Астана – Караганда",
    )
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", None)
    since = timezone.make_aware(dt.datetime(2026, 12, 31, 22, 15))
    services.close_segment(
        acting_user=officer,
        segment=Segment.objects.get(pk=roads["2-4"].pk),
        status=SegmentStatus.CLOSED,
        reason=ClosureReason.BLIZZARD,
        note="call the plough crew on +7 701 000 0000",
        starts_at=since,
        expected_reopening_at=timezone.make_aware(dt.datetime(2027, 1, 1, 8, 0)),
    )
    services.close_segment(
        acting_user=officer,
        segment=roads["1-3"],
        status=SegmentStatus.RESTRICTED,
        restriction=Restriction.NO_BUSES,
        reason=ClosureReason.ICE,
    )
    services.reopen_segment(acting_user=officer, segment=roads["1-3"])
    [row] = queries.public_closures()
    assert set(row) == PUBLIC_KEYS
    assert row["title"] == "M-36 Astana – Karaganda"
    assert (row["since"], row["expected_reopening"]) == ("31.12.2026 22:15", "01.01.2027 08:00")
    assert row["reason_label"] == "Blizzard, snow drifts" and row["restriction_label"] == ""
    assert row["region_slug"] == "astana"
    assert "plough" not in str(row) and "road_duty" not in str(row)
    with translation.override("kk"):
        [kk] = queries.public_closures("astana")
        assert kk["title"] == "M-36 Астана – Қарағанды" and kk["status_label"] != "Closed"
    assert queries.public_closures("almaty") == []


def test_indicators_count_closures_and_km_hours() -> None:
    roads = make_network()
    region = make_region("astana")
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", None)
    start = timezone.make_aware(dt.datetime(2026, 12, 31, 8, 0))
    end = start + dt.timedelta(days=1)
    services.close_segment(
        acting_user=officer,
        segment=roads["2-4"],
        status=SegmentStatus.CLOSED,
        reason=ClosureReason.BLIZZARD,
        starts_at=end - dt.timedelta(hours=4),
    )
    services.close_segment(
        acting_user=officer,
        segment=roads["1-3"],
        status=SegmentStatus.RESTRICTED,
        restriction=Restriction.NO_TRUCKS,
        reason=ClosureReason.ICE,
        starts_at=start + dt.timedelta(hours=1),
    )
    assert indicators.road_closures([region.pk], start, end) == {region.pk: Figure(2)}
    # Counted day by day (one on 31.12, one on 01.01), as each day's own window counts.
    assert day_figures("road_closures", [region.pk], start.date()) == {region.pk: Figure(1)}
    km_hours = indicators.road_closure_km_hours([region.pk], start, end)
    assert km_hours == {region.pk: Figure(round(roads["2-4"].length_km * 4, 1))}
    # Day by day: it began at 04:00 on 01.01 and is still in force, so that day holds 20 hours
    # of it, the day before none and the day after all 24.
    length = roads["2-4"].length_km
    for day, hours in (
        (start.date(), 0),
        (end.date(), 20),
        (end.date() + dt.timedelta(days=1), 24),
    ):
        found = day_figures("road_closure_km_hours", [region.pk], day)
        assert found == {region.pk: Figure(round(length * hours, 1))}, (day, found)


def test_hotspots_along_a_segment() -> None:
    roads = make_network()
    region = make_region("astana")
    forecast = HotspotForecast.objects.create(
        region=region,
        model_name="kde",
        cell_m=250,
        crs="EPSG:32642",
        trained_until=dt.date(2026, 12, 1),
    )
    # On the road 1–2 a tenth of the way, and far from it.
    lat = 51.13 + (50.50 - 51.13) * 0.1
    lon = 71.43 + (72.00 - 71.43) * 0.1
    HotspotCell.objects.create(forecast=forecast, cell=1, lat=lat, lon=lon, score=0.3)
    HotspotCell.objects.create(forecast=forecast, cell=2, lat=51.3, lon=71.2, score=0.5)
    [spot] = queries.hotspots_along(roads["1-2"])
    assert spot["percent"] == 30.0 and spot["metres_off"] < 50
    assert spot["km_from_start"] == pytest.approx(roads["1-2"].length_km * 0.1, abs=0.5)
    assert queries.hotspots_along(roads["3-4"]) == []


def test_the_situation_map_loads_the_roads_layer(client) -> None:
    p = make_personas()
    client.force_login(p.dispatcher_astana)
    page = client.get(reverse("situation:map")).content.decode()
    assert "roads/map-roads.js" in page and 'id="layer-roads"' in page and "roadsUrl" in page
    client.force_login(p.no_grants)
    page = client.get(reverse("situation:map")).content.decode()
    assert "roadsUrl" not in page
