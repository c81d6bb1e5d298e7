from __future__ import annotations

import datetime as dt
from typing import Any

from saqshy.cameras.models import Camera
from saqshy.facilities.models import Facility
from saqshy.protection import services
from saqshy.protection.choices import Answer
from saqshy.protection.models import Assessment
from saqshy.protection.queries import checklist

LON, LAT = 76.95, 43.24  # Almaty


def square(size: float = 0.001, lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def camera(facility: Facility, area: dict[str, Any] | None, **fields: Any) -> Camera:
    from saqshy.accounts.models import Agency

    owner: Any = Agency.objects.filter(region=facility.region).first() or Agency.objects.first()
    return Camera.objects.create(
        name=fields.pop("name", "Entrance"),
        region=facility.region,
        facility=facility,
        lat=facility.lat,
        lon=facility.lon,
        watched_area=area,
        owner=owner,
        **fields,
    )


def completed(
    facility: Facility,
    *,
    on: dt.date,
    tier: str | None = None,
    outdoor: bool = False,
    not_met: dict[str, str] | None = None,
) -> Assessment:
    """A completed assessment with every item met except ``not_met`` (code -> note)."""
    assessment = services.create_assessment(
        acting_user=None, facility=facility, assessed_on=on, tier=tier, outdoor=outdoor
    )
    not_met = not_met or {}
    services.record_answers(
        acting_user=None,
        assessment=assessment,
        answers=[
            services.ItemAnswer(
                item,
                Answer.NOT_MET if item.code in not_met else Answer.MET,
                not_met.get(item.code, ""),
            )
            for item in checklist(assessment.tier, assessment.outdoor)
        ],
    )
    return services.complete_assessment(acting_user=None, assessment=assessment)
