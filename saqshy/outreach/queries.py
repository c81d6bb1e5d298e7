"""Scoped reads: the lists, the school picker and the progress per district."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from saqshy.accounts.models import District, Region
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.models import Facility
from saqshy.outreach.choices import CampaignStatus, Topic
from saqshy.outreach.models import Campaign, ParentMeeting


def campaigns(user: Any) -> QuerySet[Campaign]:
    found: QuerySet[Campaign] = (
        Campaign.objects.restrict(user, "view")
        .select_related("region", "owner")
        .prefetch_related("districts")
    )
    return found


def meetings(user: Any) -> QuerySet[ParentMeeting]:
    found: QuerySet[ParentMeeting] = ParentMeeting.objects.restrict(user, "view").select_related(
        "school", "region", "district", "held_by_agency"
    )
    return found


def schools(user: Any, query: str = "") -> QuerySet[Facility]:
    """The schools ``user`` may see, matching ``query`` in the name or the address."""
    found: QuerySet[Facility] = (
        Facility.objects.restrict(user, "view")
        .filter(kind=FacilityKind.SCHOOL)
        .select_related("district")
    )
    query = query.strip()
    if query:
        found = found.filter(
            Q(name__icontains=query)
            | Q(name_kk__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(address__icontains=query)
        )
    return found.order_by("name", "id")


def school_label(school: Facility) -> str:
    """A school as a reader finds it: name, then address (or district)."""
    where = school.address or (str(school.district) if school.district_id else "")
    return f"{school} — {where}" if where else str(school)


def season(today: dt.date) -> tuple[dt.date, dt.date]:
    """The holiday season around ``today``: 1 December to 15 January."""
    year = today.year if today.month >= 7 else today.year - 1
    return dt.date(year, 12, 1), dt.date(year + 1, 1, 15)


@dataclass
class DistrictProgress:
    """One row of the progress table (``district`` None: schools outside every district)."""

    district: District | None
    schools: int = 0
    schools_met: int = 0
    meetings: int = 0
    attendees: int = 0
    campaigns_running: int = 0
    planned_reach: int = 0
    reached: int = 0
    topics: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> int | None:
        return round(100 * self.schools_met / self.schools) if self.schools else None

    @property
    def reach_percent(self) -> int | None:
        return round(100 * self.reached / self.planned_reach) if self.planned_reach else None

    @property
    def topic_counts(self) -> list[int]:
        return [self.topics.get(topic, 0) for topic in Topic.values()]


def progress(
    user: Any, region: Region, first: dt.date, last: dt.date
) -> tuple[list[DistrictProgress], DistrictProgress]:
    """Per district of ``region``: schools, schools with a parent meeting held in
    ``[first, last]``, meetings, attendees and meetings per topic; campaigns that ran in the
    period (started, dates overlapping) covering the district (a campaign for the whole
    region counts in every district) and their reach against plan. Plus the region's total,
    where a region-wide campaign counts once."""
    districts = list(District.objects.filter(region=region).order_by("name_en"))
    rows: dict[int | None, DistrictProgress] = {d.pk: DistrictProgress(d) for d in districts}

    def row(district_id: int | None) -> DistrictProgress:
        if district_id not in rows:
            rows[district_id] = DistrictProgress(None)
        return rows[district_id]

    school_counts: Any = (
        Facility.objects.restrict(user, "view")
        .filter(region=region, kind=FacilityKind.SCHOOL)
        .order_by()
        .values("district_id")
        .annotate(n=Count("id"))
    )
    for item in school_counts:
        row(item["district_id"]).schools = item["n"]
    held = meetings(user).filter(region=region, held_on__gte=first, held_on__lte=last)
    met: dict[Any, set[int]] = defaultdict(set)
    topics: dict[Any, Counter[str]] = defaultdict(Counter)
    for district_id, school_id, attendees, chosen in held.values_list(
        "district_id", "school_id", "attendees", "topics"
    ):
        target = row(district_id)
        target.meetings += 1
        target.attendees += attendees
        met[district_id].add(school_id)
        topics[district_id].update(set(chosen or []))
    for key, school_ids in met.items():
        rows[key].schools_met = len(school_ids)
    for key, counter in topics.items():
        rows[key].topics = dict(counter)
    total = DistrictProgress(None)
    ran = (
        campaigns(user)
        .filter(
            region=region,
            status__in=CampaignStatus.STARTED,
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .order_by("id")
    )
    for campaign in ran:
        covered = [d.pk for d in campaign.districts.all()] or [d.pk for d in districts]
        for district_id in covered:
            if district_id in rows:
                rows[district_id].campaigns_running += 1
                rows[district_id].planned_reach += campaign.planned_reach
                rows[district_id].reached += campaign.reached
        total.campaigns_running += 1
        total.planned_reach += campaign.planned_reach
        total.reached += campaign.reached
    ordered = [rows[d.pk] for d in districts] + ([rows[None]] if None in rows else [])
    for item in ordered:
        total.schools += item.schools
        total.schools_met += item.schools_met
        total.meetings += item.meetings
        total.attendees += item.attendees
    total.topics = dict(sum((Counter(item.topics) for item in ordered), Counter()))
    return ordered, total


def reach_totals(queryset: QuerySet[Campaign]) -> dict[str, int]:
    found = queryset.order_by().aggregate(planned=Sum("planned_reach"), reached=Sum("reached"))
    return {key: value or 0 for key, value in found.items()}


def public_campaigns(
    region: Region | None = None, *, today: dt.date | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Holiday-safety campaigns running today, for the public page (no login): title in the
    active language, topic, period and the material links. Nothing internal: no reach, notes,
    owner or audience figures. ``region`` None: every region's."""
    from django.utils import timezone

    day = today or timezone.localdate()
    found = Campaign.objects.filter(
        status=CampaignStatus.RUNNING, starts_on__lte=day, ends_on__gte=day
    ).select_related("region")
    if region is not None:
        found = found.filter(region=region)
    return [
        {
            "title": campaign.display_title,
            "topic": campaign.topic,
            "topic_label": str(Topic.label(campaign.topic)),
            "region": str(campaign.region),
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "materials": list(campaign.materials or []),
        }
        for campaign in found.order_by("ends_on", "id")[:limit]
    ]
