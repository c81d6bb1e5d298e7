"""The committed demo bundle loads through the services, completely and idempotently."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from saqshy.accounts.models import Agency, Region, User
from saqshy.accounts.queries import region_id_at
from saqshy.core import audit
from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.demo.people import DEMO_PASSWORD, USERS
from saqshy.facilities.models import Facility

pytestmark = pytest.mark.django_db


def test_twenty_regions_with_codes_names_and_boundaries() -> None:
    loader.load_regions()
    regions = {r.iso_code: r for r in Region.objects.all()}
    assert len(regions) == 20
    assert regions["KZ-71"].slug == "astana"
    assert regions["KZ-75"].slug == "almaty"
    assert regions["KZ-79"].slug == "shymkent"
    for region in regions.values():
        assert region.name_kk and region.name_ru and region.name_en
        assert region.boundary["type"] in {"Polygon", "MultiPolygon"}
        assert region_id_at(region.centre_lat, region.centre_lon) == region.pk


def test_point_in_region_lookup() -> None:
    loader.load_regions()
    astana = Region.objects.get(slug="astana")
    almaty = Region.objects.get(slug="almaty")
    assert region_id_at(51.128, 71.430) == astana.pk
    assert region_id_at(43.238, 76.945) == almaty.pk
    assert region_id_at(43.45, 77.40) != almaty.pk  # Almaty region, outside the city
    assert region_id_at(0.0, 0.0) is None


def test_demo_loads_people_and_facilities_and_is_idempotent(client) -> None:
    # One load for every check of the loaded demo: loading it takes about a minute.
    call_command("load_demo", verbosity=0, not_production=True)
    astana = Facility.objects.filter(region__slug="astana")
    almaty = Facility.objects.filter(region__slug="almaty")
    assert astana.filter(kind="school").count() > 50
    assert astana.filter(kind="police_station").exists()
    assert almaty.filter(kind="school").count() > 30
    assert almaty.filter(kind="fire_station").exists()
    assert Agency.objects.filter(region=None).count() >= 3
    for person in USERS:
        assert authenticate(username=person.username, password=DEMO_PASSWORD) is not None
    analyst = User.objects.get(username="analyst")
    assert Facility.objects.restrict(analyst).count() == Facility.objects.count()
    duty_almaty = User.objects.get(username="duty_almaty")
    assert not Facility.objects.restrict(duty_almaty).filter(region__slug="astana").exists()

    _winter_night_is_there()
    _season_indicators_match_the_records(client)
    _every_indicators_days_match_their_own_windows()

    counts = (Facility.objects.count(), AuditEntry.objects.count())
    call_command("load_demo", verbosity=0, not_production=True)
    assert (Facility.objects.count(), AuditEntry.objects.count()) == counts
    assert audit.verify()[1] is None


def _season_indicators_match_the_records(client) -> None:
    import datetime as dt

    from django.db.models import Sum
    from django.utils import timezone

    from saqshy.gatherings.models import Gathering
    from saqshy.inspections.models import Briefing, Drill, Inspection, Violation
    from saqshy.pyrotechnics.models import Raid, SeizureLine

    today = timezone.localdate()
    start, end = today - dt.timedelta(days=90), today + dt.timedelta(days=90)
    client.force_login(User.objects.get(username="analyst"))
    response = client.get(
        "/api/indicators/prevention/",
        {"region": "astana", "date_from": str(start), "date_to": str(end)},
    )
    assert response.status_code == 200, response.content
    [row] = response.json()
    astana = Region.objects.get(slug="astana")
    events = Gathering.objects.filter(
        region=astana, starts_at__date__gte=start, starts_at__date__lte=end
    ).exclude(status="cancelled")
    inspections = Inspection.objects.filter(
        facility__region=astana, inspected_on__gte=start, inspected_on__lte=end
    )
    violations = Violation.objects.filter(facility__region=astana, inspection__in=inspections)
    seized = SeizureLine.objects.filter(seizure__region=astana).aggregate(
        units=Sum("units"), boxes=Sum("boxes")
    )
    expected = {
        "events_planned": events.count(),
        "events_approved": events.filter(status__in=["approved", "held"]).count(),
        "events_blocked": events.filter(status__in=["draft", "submitted"]).count(),
        "inspections": inspections.count(),
        "facilities_inspected": inspections.values("facility").distinct().count(),
        "violations_found": violations.count(),
        "violations_eliminated": violations.exclude(status="open").count(),
        "briefings": Briefing.objects.filter(facility__region=astana).count(),
        "drills": Drill.objects.filter(facility__region=astana).count(),
        "raids": Raid.objects.filter(region=astana, status="done").count(),
        "units_seized": seized["units"],
        "boxes_seized": seized["boxes"],
    }
    assert {key: row[key] for key in expected} == expected
    assert row["events_planned"] > 100 and 0 < row["events_blocked"] < row["events_planned"]
    assert (row["units_seized"], row["boxes_seized"]) == (700, 97)


def _every_indicators_days_match_their_own_windows() -> None:
    """On the whole demo, every indicator's days evaluated at once (``evaluate_days``) give
    what each day's own window gives, in as many queries as the first and the last day alone,
    and most of them count something on those days."""
    import datetime as dt

    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from saqshy.core.indicators import local_day, registry_indicators
    from saqshy.incidents.models import Incident

    ids = list(Region.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    # This week and the days around the New Year's Eve night the demo plays.
    night = timezone.localdate(Incident.objects.aggregate(last=Max("reported_at"))["last"])
    days = sorted(
        {today + dt.timedelta(days=n) for n in range(-3, 4)}
        | {night + dt.timedelta(days=n) for n in range(-2, 3)}
    )
    counting = []
    for ind in registry_indicators():
        with CaptureQueriesContext(connection) as two:
            ind.evaluate_days(ids, [days[0], days[-1]])
        with CaptureQueriesContext(connection) as every:
            at_once = ind.evaluate_days(ids, days)
        assert len(every) == len(two) <= 10, (ind.code, len(two), len(every))
        for day in days:
            assert at_once[day] == ind.evaluate(ids, *local_day(day)), (ind.code, day)
        if any(figure.value for found in at_once.values() for figure in found.values()):
            counting.append(ind.code)
    missing = [i.code for i in registry_indicators() if i.code not in counting]
    assert len(counting) >= 30, missing


def _winter_night_is_there() -> None:
    """Issue 13's winter night: a blizzard warning from the real weather confirmed by the road
    authority, the M-36 closed, two warming points filling up, a stranded bus with children
    sent to one of them, a helicopter on standby and a published alert in three languages."""
    from saqshy.alerts.cap import validate
    from saqshy.alerts.models import Alert
    from saqshy.roads.models import Closure, Segment
    from saqshy.weather.models import WeatherWarning
    from saqshy.winter.models import Standby, StrandedReport, WarmingPoint

    warning = WeatherWarning.objects.get()
    assert (warning.kind, warning.source, warning.status) == ("blizzard", "rule", "confirmed")
    assert warning.max_gust_kmh and warning.max_gust_kmh >= 54
    m36 = Segment.objects.filter(number="M-36")
    assert m36.count() >= 5 and not m36.filter(status="open").exists()
    closures = Closure.objects.filter(segment__in=m36, ended_at=None)
    assert closures.count() == m36.count()
    assert {c.decided_by.username for c in closures} == {"roads_duty"}
    points = WarmingPoint.objects.all()
    assert points.count() == 2 and all(0 < p.occupancy <= p.capacity for p in points)
    bus = StrandedReport.objects.get()
    assert bus.vehicle_kind == "bus" and bus.children > 0 and bus.point in set(points)
    assert bus.incident_id is not None and bus.segment in set(m36)
    assert Standby.objects.filter(equipment_type="helicopter").exists()
    alert = Alert.objects.get(status="Actual")
    assert alert.state == "published"
    assert sorted(i.language for i in alert.infos.all()) == ["en-US", "kk-KZ", "ru-KZ"]
    assert alert.author.username == "duty_astana" and alert.approver.username == "head_astana"
    assert validate(alert.xml.encode() if isinstance(alert.xml, str) else alert.xml) == []
