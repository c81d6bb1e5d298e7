from __future__ import annotations

import datetime as dt
from typing import Any

from saqshy.accounts.models import Agency, District, Region
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.outreach.models import Campaign, ParentMeeting


def agency(region: Region) -> Agency:
    found, _ = Agency.objects.get_or_create(
        code=f"akimat-{region.slug}",
        defaults={"kind": "akimat", "region": region, "name_en": f"Akimat {region.slug}"},
    )
    return found


def district(region: Region, slug: str = "centre") -> District:
    found, _ = District.objects.get_or_create(
        region=region,
        slug=slug,
        defaults={"name_en": slug.title(), "name_kk": slug, "name_ru": slug},
    )
    return found


def school(region: Region, **fields: Any) -> Facility:
    return FacilityFactory(region=region, **{"kind": "school", **fields})


def campaign(region: Region, **fields: Any) -> Campaign:
    values: dict[str, Any] = {
        "title": "Fireworks are not toys",
        "topic": "fireworks",
        "channel": "tv",
        "audience": "parents",
        "starts_on": dt.date(2026, 12, 15),
        "ends_on": dt.date(2027, 1, 5),
        "planned_reach": 1000,
        "reached": 0,
        "status": "running",
        "owner": agency(region),
        **fields,
    }
    return Campaign.objects.create(region=region, **values)


def meeting(at: Facility, **fields: Any) -> ParentMeeting:
    values: dict[str, Any] = {
        "held_on": dt.date(2026, 12, 20),
        "attendees": 25,
        "topics": ["fireworks", "ice"],
        **fields,
    }
    return ParentMeeting.objects.create(
        school=at, region_id=at.region_id, district_id=at.district_id, **values
    )
