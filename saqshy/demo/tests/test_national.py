"""generate_national at a tiny scale: counts, every region, points in their polygons, audit."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from saqshy.accounts.models import District, Region
from saqshy.algorithms.national import Area, allocate
from saqshy.core import audit
from saqshy.core.audit_models import AuditEntry
from saqshy.demo import national
from saqshy.duty.models import Person
from saqshy.facilities.models import Facility
from saqshy.gatherings.models import Gathering
from saqshy.incidents.models import Incident, Unit
from saqshy.ingest.models import Device

pytestmark = pytest.mark.django_db

SCALE = 0.002


def test_allocate_follows_weights_sums_and_keeps_a_floor() -> None:
    counts = allocate(100, {"a": 1.0, "b": 3.0, "c": 0.0})
    assert sum(counts.values()) == 100
    assert counts["c"] == 1 and counts["b"] > 2 * counts["a"]
    assert allocate(2, {"a": 1.0, "b": 1.0, "c": 1.0}, floor=1) == {"a": 1, "b": 1, "c": 0}


def test_refused_without_the_flag_when_debug_is_off(settings: object) -> None:
    with pytest.raises(CommandError, match="demo-data"):
        call_command("generate_national", scale=SCALE)
    assert not Device.objects.exists()


def test_tiny_national_generation() -> None:
    call_command("generate_national", scale=SCALE, seed=7, demo_data=True)
    expected = {key: national.scaled(target, SCALE) for key, target in national.TARGETS.items()}
    assert Facility.objects.count() == expected["venues"] == 14
    assert Gathering.objects.count() == expected["events"]
    assert Device.objects.count() == expected["sensors"] == 72
    assert Unit.objects.count() == expected["units"]
    assert Person.objects.count() == expected["personnel"]
    assert Incident.objects.count() == expected["incidents"] == 400

    regions = {r.pk: r for r in Region.objects.all()}
    assert len(regions) == 20
    for model in (Device, Incident, Person):
        assert set(model.objects.values_list("region_id", flat=True)) == set(regions)
    # More people live in Almaty city than in Ulytau: so do more of the sensors.
    per_region = {regions[r].slug: n for r, n in _count(Device).items()}
    assert per_region["almaty"] > per_region["ulytau"]

    districts = {d.pk: Area(d.boundary) for d in District.objects.exclude(boundary=None)}
    region_areas = {pk: Area(r.boundary) for pk, r in regions.items()}
    for model in (Facility, Device, Incident):
        for row in model.objects.values("region_id", "lat", "lon", *_district(model)):
            assert region_areas[row["region_id"]].contains(row["lat"], row["lon"]), row
            if row.get("district_id"):
                assert districts[row["district_id"]].contains(row["lat"], row["lon"]), row

    # Three past seasons, 15.12–15.01, all closed or cancelled.
    months = {d.month for d in Incident.objects.values_list("reported_at", flat=True)}
    assert months <= {12, 1}
    assert set(Incident.objects.values_list("status", flat=True)) <= {"closed", "cancelled"}
    assert len({d.year for d in Incident.objects.values_list("reported_at", flat=True)}) >= 3

    checked, broken = audit.verify()
    assert broken is None and checked == AuditEntry.objects.count()
    created = AuditEntry.objects.filter(object_type="ingest.device", action="create").count()
    assert created == Device.objects.count()
    assert AuditEntry.objects.filter(object_type="incidents.incident", action="update").exists()
    call_command("verify_audit")

    with pytest.raises(CommandError, match="already here"):
        call_command("generate_national", scale=SCALE, demo_data=True)
    assert Device.objects.count() == 72


def _count(model: type) -> dict[int, int]:
    counts: dict[int, int] = {}
    for region_id in model.objects.values_list("region_id", flat=True):
        counts[region_id] = counts.get(region_id, 0) + 1
    return counts


def _district(model: type) -> tuple[str, ...]:
    return ("district_id",) if model in (Facility, Device) else ()
