"""Warming points and stranded reports: nearest point by road time, occupancy bounds, the
evacuation from report to completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from saqshy.accounts.models import User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exceptions import Conflict
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident
from saqshy.roads.choices import ClosureReason, SegmentStatus
from saqshy.roads.models import Closure
from saqshy.roads.tests.factories import make_network
from saqshy.winter import queries, services
from saqshy.winter.choices import StrandedStatus, VehicleKind
from saqshy.winter.models import WarmingPoint
from saqshy.winter.tests.factories import make_akmola, make_point

pytestmark = pytest.mark.django_db

# On the direct road Astana–south, a little south of Astana (inside the Akmola box).
BUS = (51.035, 71.515)


def _close(segment):
    Closure.objects.create(
        segment=segment,
        status=SegmentStatus.CLOSED,
        reason=ClosureReason.BLIZZARD,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        decided_by=User.objects.create_user(username=f"road-{segment.pk}"),
    )
    segment.status = SegmentStatus.CLOSED
    segment.save(update_fields=["status", "updated_at"])


@pytest.fixture
def world():
    region = make_akmola()
    roads = make_network(region)
    # South junction (on the direct road), east junction (the way round), and Astana.
    south = make_point(region, "Southern village", 50.51, 72.0)
    east = make_point(region, "Eastern village", 51.0, 72.59)
    return region, roads, south, east


def test_nearest_point_by_road_time_skips_full_and_closed_points(world) -> None:
    region, roads, south, east = world
    astana = make_point(region, "Astana hall", 51.13, 71.43, capacity=40, occupancy=40)
    nearest = queries.nearest_points(*BUS, people=5)
    # Astana is nearest by road but full; the order is by road time, not the straight line.
    assert [n.point for n in nearest] == [south, east]
    assert all(n.by_road for n in nearest)
    assert nearest[0].minutes < nearest[1].minutes
    assert nearest[0].roads == [roads["1-2"].title]
    astana.occupancy = 30
    astana.save()
    assert queries.nearest_points(*BUS, people=5)[0].point == astana
    assert queries.nearest_points(*BUS, people=11)[0].point == south
    WarmingPoint.objects.filter(pk=south.pk).update(is_open=False)
    assert [n.point for n in queries.nearest_points(*BUS, people=11)] == [east]


def test_a_closed_road_changes_the_nearest_point(world) -> None:
    _region, roads, south, east = world
    # Just east of Astana, on the road to the east junction.
    here = (51.131, 71.46)
    before = {n.point: n for n in queries.nearest_points(*here, people=1)}
    assert before[south].roads[-1] == roads["1-2"].title
    _close(roads["1-2"])
    after = {n.point: n for n in queries.nearest_points(*here, people=1)}
    # The southern village lies on the closed road: no open road leads there now.
    assert list(after) == [east]
    assert after[east].minutes == before[east].minutes


def test_a_point_off_the_network_is_timed_along_the_straight_line(world) -> None:
    region, _roads, south, _east = world
    far = make_point(region, "Steppe farm", 52.4, 70.1)
    found = {n.point: n for n in queries.nearest_points(*BUS, people=1, limit=10)}
    assert found[far].by_road is False and found[far].note
    assert found[south].by_road is True and found[south].note == ""


def test_occupancy_is_bounded_and_audited(world) -> None:
    _region, _roads, south, _east = world
    services.set_occupancy(acting_user=None, point=south, occupancy=12)
    south.refresh_from_db()
    assert south.occupancy == 12 and south.free_places == 38
    for bad in (-1, 51, "many"):
        with pytest.raises(ValidationError) as refused:
            services.set_occupancy(acting_user=None, point=south, occupancy=bad)
        assert "occupancy" in refused.value.message_dict
    south.refresh_from_db()
    assert south.occupancy == 12
    entries = AuditEntry.objects.filter(object_type="winter.warmingpoint", object_id=str(south.pk))
    assert entries.filter(action="update").count() == 1


def test_stranded_report_creates_the_incident_and_proposes_a_point(world) -> None:
    _region, roads, _south, _east = world
    report = services.report_stranded(
        acting_user=None,
        location="M-36, 20 km south of Astana",
        lat=BUS[0],
        lon=BUS[1],
        people=38,
        children=21,
        vehicle_kind=VehicleKind.BUS,
        reporter_phone="+7 701 111 22 33",
    )
    assert report.segment == roads["1-2"]
    incident = report.incident
    assert incident.type.code == "stranded"
    assert incident.status == IncidentStatus.NEW
    journal = " ".join(incident.journal.values_list("text", flat=True))
    assert "Southern village" in journal


def test_evacuation_to_completion_updates_the_occupancy(world) -> None:
    _region, _roads, south, east = world
    services.set_occupancy(acting_user=None, point=south, occupancy=20)
    report = services.report_stranded(
        acting_user=None, location="M-36", lat=BUS[0], lon=BUS[1], people=38, children=21
    )
    with pytest.raises(ValidationError) as refused:
        services.assign_point(acting_user=None, report=report, point=south)
    assert "point" in refused.value.message_dict
    with pytest.raises(Conflict):
        services.start_evacuation(acting_user=None, report=report)
    services.assign_point(acting_user=None, report=report, point=east)
    services.start_evacuation(acting_user=None, report=report)
    services.complete_evacuation(acting_user=None, report=report)
    report.refresh_from_db()
    east.refresh_from_db()
    assert report.status == StrandedStatus.EVACUATED and report.evacuated_at
    assert east.occupancy == 38
    services.close_report(acting_user=None, report=report)
    report.refresh_from_db()
    assert report.status == StrandedStatus.CLOSED
    assert report.incident is not None
    assert Incident.objects.get(pk=report.incident.pk).status == IncidentStatus.CLOSED


def test_children_cannot_outnumber_people(world) -> None:
    with pytest.raises(ValidationError) as refused:
        services.report_stranded(
            acting_user=None, location="M-36", lat=BUS[0], lon=BUS[1], people=2, children=3
        )
    assert "children" in refused.value.message_dict
    assert Incident.objects.count() == 0


def test_shortfalls_follow_closures_and_registered_weather_warnings(world) -> None:
    from saqshy.winter.choices import EquipmentType
    from saqshy.winter.tests.factories import make_standby

    region, roads, _south, _east = world
    now = timezone.now()
    assert queries.shortfalls(now) == []
    roads["2-4"].number = "M-36"
    roads["2-4"].save(update_fields=["number", "updated_at"])
    _close(roads["2-4"])
    sentences = [s.sentence for s in queries.shortfalls(now)]
    road = roads["2-4"].title
    assert sentences == [
        f"Akmola region: no snow plough on standby for M-36 {road}",
        f"Akmola region: no tow truck on standby for M-36 {road}",
        "Akmola region: no helicopter on standby for the region",
    ]
    make_standby(region, "PLOUGH-1", EquipmentType.SNOW_PLOUGH, roads["2-4"])
    make_standby(region, "TOW-ANY", EquipmentType.TOW_TRUCK)  # the whole region
    make_standby(region, "HELI-1", EquipmentType.HELICOPTER)
    # A standby that ended does not count.
    make_standby(
        region,
        "PLOUGH-OLD",
        EquipmentType.SNOW_PLOUGH,
        roads["1-3"],
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=1),
    )
    assert queries.shortfalls(now) == []
    # A weather warning on another segment (from the weather app, registered) needs its own.
    warning = queries.WarningFact(region.pk, roads["1-3"].pk, "orange")
    source = lambda: [warning]  # noqa: E731
    queries.register_warnings(source)
    try:
        missing = [(s.segment, s.equipment_type) for s in queries.shortfalls(now)]
    finally:
        queries._WARNING_SOURCES.remove(source)
    assert missing == [(roads["1-3"], EquipmentType.SNOW_PLOUGH)]
    assert queries.shortfalls(now, [region.pk + 1000]) == []


def test_a_standby_helicopter_must_be_a_helicopter_unit(world) -> None:
    from saqshy.incidents.choices import UnitKind
    from saqshy.winter.choices import EquipmentType
    from saqshy.winter.tests.factories import make_unit

    region, roads, _south, _east = world
    plough = make_unit(region, "PLOUGH-9", UnitKind.SPECIAL)
    now = timezone.now()
    fields = {
        "region": region,
        "segment": roads["2-4"],
        "base_name": "Arshaly depot",
        "lat": 50.85,
        "lon": 72.17,
        "starts_at": now,
        "ends_at": now + dt.timedelta(hours=8),
    }
    with pytest.raises(ValidationError) as refused:
        services.create_standby(
            acting_user=None, unit=plough, equipment_type=EquipmentType.HELICOPTER, **fields
        )
    assert "equipment_type" in refused.value.message_dict
    with pytest.raises(ValidationError) as backwards:
        services.create_standby(
            acting_user=None,
            unit=plough,
            equipment_type=EquipmentType.SNOW_PLOUGH,
            **{**fields, "ends_at": now - dt.timedelta(hours=1)},
        )
    assert "ends_at" in backwards.value.message_dict
    made = services.create_standby(
        acting_user=None, unit=plough, equipment_type=EquipmentType.SNOW_PLOUGH, **fields
    )
    assert made.pk and made.readiness == "immediate"
