"""The demo's computed duty: Astana's roster for the New Year window from the real optimiser,
and patrol plans for New Year's Eve night from the accident forecast.

The roster run is recorded like any other (requested by the city's planner, audited) and
computed inline by ``duty.rosters.tasks.execute`` with a short solver time limit per district,
so ``load_demo`` stays within about a minute more. Its gaps are whatever the optimiser reports
for the demo's personnel, absences and posts: nothing is tuned to hide or make them. A second
call finds the finished run and the plan and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from saqshy.accounts.models import Region, User
from saqshy.demo.season import new_year
from saqshy.duty.choices import PlanKind, PlanStatus
from saqshy.duty.models import PatrolPlan, PlanRun
from saqshy.duty.patrols import services as patrols
from saqshy.duty.rosters import plans, tasks
from saqshy.forecasts.queries import latest_forecast
from saqshy.forecasts.services import compute_forecast

ROSTER_TIME_LIMIT_S = 4.0
"""CP-SAT's limit per district (six groups in Astana: five districts and people without one)."""
ROSTER_DAYS = 3  # 30 December 00:00 to 2 January 00:00
PATROL_FROM_HOUR, PATROL_HOURS = 22, 6  # New Year's Eve 22:00 to 04:00


@dataclass
class PlansResult:
    run: PlanRun | None = None
    roster_skipped: bool = False
    forecast_computed: bool = False
    patrol_plan: PatrolPlan | None = None
    patrol_skipped: bool = False


def _local(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def roster_window(today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    eve = new_year(today or timezone.localdate()) - dt.timedelta(days=1)
    start = _local(eve - dt.timedelta(days=1))
    return start, start + dt.timedelta(days=ROSTER_DAYS)


def load_plans(city: str = "astana", today: dt.date | None = None) -> PlansResult:
    region = Region.objects.get(slug=city)
    planner = User.objects.filter(username=f"planner_{city}").first()
    result = PlansResult()
    starts_at, ends_at = roster_window(today)
    done = PlanRun.objects.filter(
        region=region,
        kind=PlanKind.ROSTER,
        status=PlanStatus.DONE,
        starts_at=starts_at,
        ends_at=ends_at,
    ).first()
    if done is None:
        run = plans.request_run(
            acting_user=planner,
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            time_limit_s=ROSTER_TIME_LIMIT_S,
            queue=False,
        )
        tasks.execute(run.pk)
        result.run = PlanRun.objects.get(pk=run.pk)
    else:
        result.run, result.roster_skipped = done, True
    if latest_forecast(region) is None:
        compute_forecast(acting_user=planner, region=region)
        result.forecast_computed = True
    eve = new_year(today or timezone.localdate()) - dt.timedelta(days=1)
    night = _local(eve, PATROL_FROM_HOUR)
    existing = PatrolPlan.objects.filter(region=region, starts_at=night).first()
    if existing is not None:
        result.patrol_plan, result.patrol_skipped = existing, True
        return result
    try:
        result.patrol_plan = patrols.create_patrol_plan(
            acting_user=planner,
            region=region,
            starts_at=night,
            ends_at=night + dt.timedelta(hours=PATROL_HOURS),
            name="New Year's Eve patrols",
        )
    except ValidationError:
        result.patrol_plan = None  # no forecast or no crews: the loader says so
    return result
