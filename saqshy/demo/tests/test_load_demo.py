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


def test_demo_loads_people_and_facilities_and_is_idempotent() -> None:
    call_command("load_demo", verbosity=0)
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

    counts = (Facility.objects.count(), AuditEntry.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Facility.objects.count(), AuditEntry.objects.count()) == counts
    assert audit.verify()[1] is None
