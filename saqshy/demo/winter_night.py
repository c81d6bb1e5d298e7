"""The demo's winter night on the roads: the highways, a blizzard closing the M-36
Astana – Karaganda road, warming points filling up, a stranded bus with children, standby
equipment and a helicopter, a public alert in three languages, and the season's outreach.

Each part is its app's own demo loader; this module only decides who does what: the national
road authority's duty officer (``roads_duty``) confirms the blizzard warning (closing the
road), Astana's coordinator runs the warming points, the emergency dispatcher registers the
stranded bus, Astana's duty officer writes the alert and the head of the region approves it.
Idempotent like every loader it calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from saqshy.accounts.models import Region, User
from saqshy.demo.alerts import load_alerts
from saqshy.demo.outreach import load_outreach
from saqshy.demo.roads import load_roads
from saqshy.demo.season import new_year
from saqshy.demo.weather import load_weather_warnings
from saqshy.demo.winter import load_winter
from saqshy.roads.models import Segment

ROAD_NUMBER = "M-36"


@dataclass
class WinterNight:
    segments: int = 0
    closed: int = 0
    warning: object | None = None


def load_winter_night(
    region_slug: str = "astana", *, say: Callable[[str], None] = print
) -> WinterNight:
    result = WinterNight(segments=load_roads(say=say))
    region = Region.objects.get(slug=region_slug)
    users = {u.username: u for u in User.objects.filter(username__in=_USERS)}
    road = list(Segment.objects.filter(number=ROAD_NUMBER).order_by("code"))
    if not road:
        say(f"winter night: no {ROAD_NUMBER} segments, skipped")
        return result
    result.warning = load_weather_warnings(
        region=region, road_authority=users["roads_duty"], segments=road, say=say
    )
    result.closed = Segment.objects.filter(number=ROAD_NUMBER).exclude(status="open").count()
    midnight = timezone.make_aware(dt.datetime.combine(new_year(timezone.localdate()), dt.time()))
    # The bus stands on the longest stretch of the closed road.
    longest = max(road, key=lambda segment: segment.length_km)
    load_winter(
        region=region,
        segment=longest,
        coordinator=users["coordinator_astana"],
        dispatcher=users["dispatch_des_astana"],
        at=midnight + dt.timedelta(hours=1),
        say=say,
    )
    load_alerts(
        region=region,
        author=users["duty_astana"],
        approver=users["head_astana"],
        segments=road,
        at=midnight - dt.timedelta(hours=7),
        say=say,
    )
    load_outreach(region=region_slug, say=say)
    return result


_USERS = ("roads_duty", "coordinator_astana", "dispatch_des_astana", "duty_astana", "head_astana")
