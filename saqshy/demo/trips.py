"""A dozen children's group trips out of Astana over the winter holidays.

Schools from the imported facilities organise them; destinations are real places within a
day's drive. Most are approved with a police escort from the demo's personnel, two wait for
approval with their escort assigned, two are drafts, and one is submitted without an escort:
its approval is refused, which is the point of the rule ("every trip escorted, without
exception"). Everything goes through the trips services; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from saqshy.accounts.models import Region, User
from saqshy.core.exceptions import Conflict
from saqshy.demo.season import new_year
from saqshy.duty.models import Person
from saqshy.facilities.models import Facility
from saqshy.trips import services
from saqshy.trips.models import Trip

# (destination, lat, lon, route, days away, departure hour)
DESTINATIONS = [
    ("Burabay resort, Shchuchinsk", 53.0810, 70.3000, "A-1 Astana – Shchuchinsk", 2, 8),
    ("Kokshetau, regional drama theatre", 53.2830, 69.3900, "A-1 via Shchuchinsk", 1, 7),
    ("Karaganda, ice palace", 49.8070, 73.0880, "M-36 Astana – Karaganda", 1, 8),
    ("Ereymentau, ski base", 51.6250, 73.1000, "R-4 Astana – Ereymentau", 1, 8),
    ("Korgalzhyn nature reserve visitor centre", 50.5830, 70.0170, "R-2 Astana – Korgalzhyn", 1, 9),
    ("Stepnogorsk, children's camp", 52.3500, 71.8830, "R-7 via Shortandy", 3, 9),
    ("Temirtau, ski slope", 50.0550, 72.9600, "M-36 via Karaganda", 1, 8),
    ("Akkol, lake lodge", 52.0000, 70.9400, "A-1 Astana – Akkol", 2, 10),
]
# Status each of the twelve trips ends in.
PLAN = ["approved"] * 7 + ["submitted_escorted"] * 2 + ["draft"] * 2 + ["submitted_no_escort"]


@dataclass
class TripsResult:
    created: int = 0
    approved: int = 0
    blocked: int = 0


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load_trips(city: str = "astana", today: dt.date | None = None) -> TripsResult:
    """Register the city's twelve demo trips (once) and take each to its planned status."""
    result = TripsResult()
    region = Region.objects.get(slug=city)
    if Trip.objects.filter(region=region, organiser_ref__startswith="demo-").exists():
        return result
    today = today or timezone.localdate()
    first_day = new_year(today) + dt.timedelta(days=2)  # the holidays after New Year's Day
    rng = random.Random(2026)
    schools = list(Facility.objects.filter(region=region, kind="school").order_by("id")[:40])
    # Officers trained for escort duty (skills is a JSON list: filtered here, not in SQL,
    # which SQLite's JSON support cannot do portably).
    escorts = [
        person
        for person in Person.objects.filter(
            region=region, agency__kind="police", active=True
        ).order_by("id")
        if "escort" in (person.skills or [])
    ][:40]
    if len(schools) < len(PLAN) or len(escorts) < len(PLAN):
        return result
    planner = User.objects.filter(username=f"planner_{city}").first()
    rng.shuffle(schools)
    for n, outcome in enumerate(PLAN, start=1):
        name, lat, lon, route, days, hour = DESTINATIONS[(n - 1) % len(DESTINATIONS)]
        school = schools[n - 1]
        departs = _at(first_day + dt.timedelta(days=(n - 1) % 7), hour)
        children = rng.randint(18, 42)
        adults = max(2, children // 10)
        buses = 1 if children + adults <= 45 else 2
        trip = services.register_trip(
            acting_user=planner,
            organiser_facility=school,
            organiser_ref=f"demo-{city}-{n:02d}",
            children_count=children,
            adults_count=adults,
            departs_at=departs,
            returns_at=departs + dt.timedelta(days=days - 1, hours=10),
            departure_name=school.name or "School",
            departure_lat=school.lat,
            departure_lon=school.lon,
            destination_name=name,
            destination_lat=lat,
            destination_lon=lon,
            route_text=route,
            vehicles=[
                {"plate": f"{rng.randint(100, 999)} ABC 01", "kind": "bus", "seats": 49}
                for _ in range(buses)
            ],
            drivers=[
                {"name": f"Driver {n}-{b + 1}", "licence": f"KZ{rng.randint(10**6, 10**7 - 1)}"}
                for b in range(buses)
            ],
            contact_name=f"Class teacher, {school.name or 'school'}",
            contact_phone=f"+7 701 {rng.randint(1000000, 9999999)}",
        )
        result.created += 1
        if outcome == "draft":
            continue
        trip = services.submit_trip(acting_user=planner, trip=trip)
        if outcome == "submitted_no_escort":
            try:
                services.approve_trip(acting_user=planner, trip=trip)
            except Conflict:
                result.blocked += 1
            continue
        # The first trained officer who is free for the whole trip (the service refuses the
        # others: on leave, sick, or escorting another group then).
        while escorts:
            try:
                services.assign_escort(acting_user=planner, trip=trip, person=escorts.pop(0))
                break
            except Conflict:
                continue
        if outcome == "approved":
            services.approve_trip(acting_user=planner, trip=trip)
            result.approved += 1
    return result
