"""The commission's figures on outreach (declared in ``apps.py``; see docs/indicators.md).

Campaigns and meetings carry dates only, so a window counts the days whose noon it holds
(``core.indicators.dates_in``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, QuerySet, Sum

from saqshy.core.indicators import Figure, dates_in
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.models import Facility
from saqshy.outreach.choices import CampaignStatus
from saqshy.outreach.models import Campaign, ParentMeeting


def _running(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Campaign]:
    first, last = dates_in(start, end)
    found: QuerySet[Campaign] = Campaign.objects.filter(
        region_id__in=ids,
        status__in=CampaignStatus.STARTED,
        starts_on__lte=last,
        ends_on__gte=first,
    ).order_by()
    return found


def _held(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[ParentMeeting]:
    first, last = dates_in(start, end)
    found: QuerySet[ParentMeeting] = ParentMeeting.objects.filter(
        region_id__in=ids, held_on__gte=first, held_on__lte=last
    ).order_by()
    return found


def campaigns_running(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Campaigns started (running or finished) whose period overlaps the window's days."""
    rows = _running(ids, start, end).values("region_id").annotate(n=Count("id"))
    return {row["region_id"]: Figure(row["n"]) for row in rows}


def campaign_reach(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """People reached so far by those campaigns (each campaign's recorded total)."""
    rows = _running(ids, start, end).values("region_id").annotate(n=Sum("reached"))
    return {row["region_id"]: Figure(row["n"] or 0) for row in rows}


def parent_meetings(ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, Figure]:
    """Parent meetings held on the window's days."""
    rows = _held(ids, start, end).values("region_id").annotate(n=Count("id"))
    return {row["region_id"]: Figure(row["n"]) for row in rows}


def parent_meeting_attendees(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Parents attending the meetings held on the window's days."""
    rows = _held(ids, start, end).values("region_id").annotate(n=Sum("attendees"))
    return {row["region_id"]: Figure(row["n"] or 0) for row in rows}


def schools_with_parent_meeting_share(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    """Schools with at least one parent meeting held on the window's days, of the region's
    schools."""
    bases = (
        Facility.objects.filter(region_id__in=ids, kind=FacilityKind.SCHOOL)
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"))
    )
    met = _held(ids, start, end).values("region_id").annotate(n=Count("school_id", distinct=True))
    values = {row["region_id"]: row["n"] for row in met}
    return {row["region_id"]: Figure(values.get(row["region_id"], 0), row["n"]) for row in bases}
