"""A boiler house in Astana with its gateway, the energy agency and a weather station."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.core.testing.geography import CENTRES, box, make_region
from saqshy.duty.models import Person, Post, Shift
from saqshy.facilities.models import Facility
from saqshy.ingest.handlers import ReadingIn
from saqshy.ingest.models import Device, Reading
from saqshy.lifelines.models import UtilitySite


def energy_agency(region: Region) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=f"energy-{region.slug}",
        defaults={"kind": "energy", "region": region, "name_en": "Energy"},
    )
    return agency


def energy_planner(region: Region) -> User:
    user = User.objects.create_user(username=f"energy_planner_{region.slug}", password="pw")
    Grant.objects.create(
        user=user,
        agency=energy_agency(region),
        role=Role.objects.get(slug="planner"),
        region=region,
    )
    return user


def make_site(region: Region | None = None, kind: str = "boiler_house", n: int = 1) -> UtilitySite:
    region = region or make_region("astana")
    lat, lon = CENTRES[region.slug]
    facility = Facility.objects.create(
        kind="heating_plant", name=f"Boiler house {n}", lat=lat, lon=lon, region=region
    )
    code = f"lifelines-test-{region.slug}-{n}"
    gateway = Device.objects.create(serial=code, kind="site_gateway", region=region)
    return UtilitySite.objects.create(
        facility=facility,
        code=code,
        kind=kind,
        gateway=gateway,
        region=region,
        agency=energy_agency(region),
        service_area=box(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01),
        buildings=40,
        people=1200,
    )


def weather_station(region: Region) -> Device:
    device, _ = Device.objects.get_or_create(
        serial=f"lifelines-test-weather-{region.slug}",
        defaults={"kind": "site_gateway", "region": region},
    )
    return device


def reading(device: Device, parameter: str, value: float, at: dt.datetime) -> ReadingIn:
    """Store a reading as ingest would and return what the handler is given."""
    row = Reading.objects.create(
        device=device,
        parameter=parameter,
        value=value,
        at=at,
        message_id=f"{device.serial}-{parameter}-{int(at.timestamp())}",
        received_at=at,
    )
    return ReadingIn(device.pk, device.serial, parameter, row.at, value, row.at)


def crew_on_duty(site: UtilitySite, at: dt.datetime) -> Person:
    """The site's repair-crew post with one fitter on shift around ``at``."""
    post = Post.objects.create(
        kind="utility",
        name=f"Repair crew: {site.facility}",
        region=site.region,
        facility=site.facility,
        lat=site.facility.lat,
        lon=site.facility.lon,
        starts_at=at - dt.timedelta(days=1),
        derived_from=f"facility:{site.facility_id}:utility",
    )
    person = Person.objects.create(
        agency=site.agency,
        region=site.region,
        personnel_number="E-1",
        first_name="Aibek",
        last_name="Seitkali",
    )
    Shift.objects.create(
        person=person,
        post=post,
        starts_at=at - dt.timedelta(hours=4),
        ends_at=at + dt.timedelta(hours=8),
    )
    return person


def start() -> dt.datetime:
    return timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3)
