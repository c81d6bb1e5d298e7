"""Loading the highway network: segments, regions, end places, names; idempotent."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from saqshy.accounts.models import District, Region
from saqshy.core.testing.geography import box, make_region
from saqshy.demo import loader
from saqshy.roads import routing, services
from saqshy.roads.importer import apply_names, import_highways
from saqshy.roads.models import Segment

pytestmark = pytest.mark.django_db


def _feature(a: int, b: int, coords: list[list[float]], km: float) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": f"hw-{a}-{b}", "from_node": a, "to_node": b, "length_km": km},
        "geometry": {"type": "LineString", "coordinates": coords},
    }


SMALL = {
    "type": "FeatureCollection",
    "features": [
        # Inside Astana's box, then from Astana eastwards into a district outside it.
        _feature(1, 2, [[71.30, 51.10], [71.60, 51.10]], 21.0),
        _feature(2, 3, [[71.60, 51.10], [72.20, 51.00]], 43.5),
    ],
}


def _district() -> District:
    region = Region.objects.create(
        iso_code="KZ-11", slug="akmola", kind="region", name_en="Akmola Region"
    )
    return District.objects.create(
        region=region,
        slug="arshaly",
        name_en="Arshaly",
        name_kk="Аршалы",
        name_ru="Аршалынский",
        boundary=box(71.80, 50.80, 72.50, 51.30),
    )


def test_small_file_creates_segments_with_regions_places_and_is_idempotent() -> None:
    astana = make_region("astana")
    _district()
    result = import_highways(acting_user=None, collection=SMALL)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    inside = Segment.objects.get(code="hw-1-2")
    assert inside.region == astana and inside.length_km == 21.0
    assert (inside.from_place, inside.to_place) == ("Astana", "Astana")
    outward = Segment.objects.get(code="hw-2-3")
    # Its midpoint (71.9, 51.05) is outside every region: the nearest region centre holds it.
    assert outward.region == astana
    assert (outward.from_place, outward.to_place) == ("Astana", "Arshaly")
    with translation.override("kk"):
        assert outward.title == "Астана – Аршалы"
    with translation.override("ru"):
        assert outward.to_label == "Аршалынский"
    again = import_highways(acting_user=None, collection=SMALL)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Segment.objects.count() == 2


def test_reimport_keeps_the_road_authoritys_names() -> None:
    make_region("astana")
    import_highways(acting_user=None, collection=SMALL)
    roads = [
        {
            "number": "R-1",
            "name_en": "Test road",
            "name_kk": "Сынақ жолы",
            "name_ru": "Тестовая дорога",
            "segments": ["hw-1-2", "hw-9-9"],
        }
    ]
    named = apply_names(acting_user=None, roads=roads)
    assert (named.named, named.unknown) == (1, ["hw-9-9"])
    segment = Segment.objects.get(code="hw-1-2")
    services.update_segment(acting_user=None, segment=segment, name="Edited")
    import_highways(acting_user=None, collection=SMALL)
    assert apply_names(acting_user=None, roads=roads).named == 0
    segment.refresh_from_db()
    assert (segment.name, segment.number, segment.name_kk) == ("Edited", "R-1", "Сынақ жолы")


def test_bad_files_change_nothing(tmp_path: Path) -> None:
    make_region("astana")
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_highways", str(broken), "--no-progress")
    point = tmp_path / "point.geojson"
    point.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    SMALL["features"][0],
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Point"}},
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="LineString"):
        call_command("load_highways", str(point), "--no-progress")
    assert not Segment.objects.exists()


def test_the_real_network_loads_with_m36_named() -> None:
    loader.load_regions()
    loader.load_districts()
    out = StringIO()
    call_command("load_highways", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "1355 segments" in text and "1355 created" in text
    assert Segment.objects.count() == 1355
    m36 = list(Segment.objects.filter(number="M-36").select_related("region"))
    assert 200 < sum(s.length_km for s in m36) < 240
    assert {s.region.slug for s in m36} >= {"astana", "akmola", "karaganda"}
    assert all(s.name == "Astana – Karaganda" and s.name_kk == "Астана – Қарағанды" for s in m36)
    with translation.override("ru"):
        assert m36[0].title == "M-36 Астана – Караганда"
    assert {"Astana", "Karaganda"} <= {s.from_place for s in m36} | {s.to_place for s in m36}
    ends: dict[str, list[float]] = {}
    for segment in Segment.objects.all():
        coords = segment.geometry["coordinates"]
        ends.setdefault(segment.from_place, []).append(coords[0][1])
        ends.setdefault(segment.to_place, []).append(coords[-1][1])
    places = routing.places()
    assert len({p.label for p in places}) == len(places) > 100
    spread = max(max(abs(lat - p.lat) for lat in ends[p.key]) for p in places)
    assert spread < 3.0, spread  # degrees of latitude: namesakes are told apart
    again = StringIO()
    call_command("load_highways", "--no-progress", stdout=again)
    assert "0 created, 0 updated, 1355 unchanged" in again.getvalue()


def test_closing_m36_on_the_real_network_sends_cars_around_and_names_it() -> None:
    import datetime as dt

    from django.utils import timezone

    from saqshy.accounts.models import User
    from saqshy.roads.choices import ClosureReason, SegmentStatus, VehicleClass

    loader.load_regions()
    loader.load_districts()
    call_command("load_highways", "--no-progress", stdout=StringIO())
    astana, karaganda = routing.place("Astana"), routing.place("Karaganda")
    assert astana is not None and karaganda is not None
    origin, target = (astana.lat, astana.lon), (karaganda.lat, karaganda.lon)
    before = routing.explain_route(origin, target)
    assert before.ok and 200 < before.km < 260
    assert "M-36 Astana – Karaganda" in [r["title"] for r in before.roads]
    officer = User.objects.create_superuser(username="roads_real", password="pw")
    reopening = timezone.make_aware(dt.datetime(2027, 1, 1, 8, 0))
    longest = Segment.objects.filter(number="M-36").order_by("-length_km").first()
    assert longest is not None
    services.close_segment(
        acting_user=officer,
        segment=longest,
        status=SegmentStatus.CLOSED,
        reason=ClosureReason.BLIZZARD,
        expected_reopening_at=reopening,
    )
    after = routing.explain_route(origin, target, VehicleClass.BUS)
    expected = (
        "Closed: M-36 Astana – Karaganda, blizzard, snow drifts, expected to reopen "
        "01.01.2027 08:00"
    )
    if after.ok:
        assert after.km > before.km and longest.pk not in after.segments
        assert [row["text"] for row in after.avoided] == [expected]
    else:
        assert after.kind == routing.BLOCKED and expected in after.reason
