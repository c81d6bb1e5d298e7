"""The commission's figures on outreach (declared in ``apps.py``; see docs/indicators.md).

Campaigns and meetings carry dates only, so a window counts the days whose noon it holds
(``core.indicators.dates_in``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet, Sum

from saqshy.core.indicators import (
    Days,
    Figure,
    by_day,
    dated_by_day,
    dated_in,
    dates_in,
    per_region,
    rows_counted,
    standing_by_day,
)
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.models import Facility
from saqshy.outreach.choices import CampaignStatus
from saqshy.outreach.models import Campaign, ParentMeeting


def _meetings(ids: Sequence[int]) -> QuerySet[ParentMeeting]:
    return ParentMeeting.objects.filter(region_id__in=ids)


def _started(ids: Sequence[int]) -> QuerySet[Campaign]:
    return Campaign.objects.filter(region_id__in=ids, status__in=CampaignStatus.STARTED)


def _running_on(first: dt.date, last: dt.date) -> Q:
    return Q(starts_on__lte=last, ends_on__gte=first)


def _running_on_day(day: dt.date, _end: dt.datetime) -> Q:
    return _running_on(day, day)


def _reach(selected: Q) -> Sum:
    return Sum("reached", filter=selected)


def campaigns_running_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_started(ids), days, _running_on_day, rows_counted)


@by_day(campaigns_running_days)
def campaigns_running(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Campaigns started (running or finished) whose period overlaps the window's days."""
    running = _started(ids).filter(_running_on(*dates_in(start, end)))
    return per_region(running, Count("id"))


def campaign_reach_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return standing_by_day(_started(ids), days, _running_on_day, _reach)


@by_day(campaign_reach_days)
def campaign_reach(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """People reached so far by those campaigns (each campaign's recorded total)."""
    running = _started(ids).filter(_running_on(*dates_in(start, end)))
    return per_region(running, Sum("reached"))


def parent_meetings_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_meetings(ids), "held_on", days, Count("id"))


@by_day(parent_meetings_days)
def parent_meetings(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Parent meetings held on the window's days."""
    return dated_in(_meetings(ids), "held_on", start, end, Count("id"))


def parent_meeting_attendees_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    return dated_by_day(_meetings(ids), "held_on", days, Sum("attendees"))


@by_day(parent_meeting_attendees_days)
def parent_meeting_attendees(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Parents attending the meetings held on the window's days."""
    return dated_in(_meetings(ids), "held_on", start, end, Sum("attendees"))


def _schools(ids: Sequence[int]) -> dict[int, int]:
    """The number of schools of each region."""
    rows = (
        Facility.objects.filter(region_id__in=ids, kind=FacilityKind.SCHOOL)
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: row["n"] for row in rows}


def _of_schools(met: dict[int, Figure], schools: dict[int, int]) -> dict[int, Figure]:
    return {
        region_id: Figure(met[region_id].value if region_id in met else 0, n)
        for region_id, n in schools.items()
    }


def _schools_met() -> Count:
    return Count("school_id", distinct=True)


def schools_with_parent_meeting_share_days(ids: Sequence[int], days: Sequence[dt.date]) -> Days:
    schools = _schools(ids)
    met = dated_by_day(_meetings(ids), "held_on", days, _schools_met())
    return {day: _of_schools(met[day], schools) for day in days}


@by_day(schools_with_parent_meeting_share_days)
def schools_with_parent_meeting_share(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Schools with at least one parent meeting held on the window's days, of the region's
    schools."""
    met = dated_in(_meetings(ids), "held_on", start, end, _schools_met())
    return _of_schools(met, _schools(ids))
