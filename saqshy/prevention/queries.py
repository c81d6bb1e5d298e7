"""Campaign progress, the risk-ranked work queue, and prevention indicators, from records."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet

from saqshy.algorithms.risk import RiskScore, VenueRisk, rank
from saqshy.facilities.models import Facility
from saqshy.gatherings import gates
from saqshy.gatherings.choices import GatheringStatus
from saqshy.gatherings.models import Gathering
from saqshy.inspections.choices import ViolationStatus
from saqshy.inspections.models import Briefing, Drill, Inspection, Violation
from saqshy.inspections.queries import clearance
from saqshy.prevention.models import Campaign
from saqshy.pyrotechnics.queries import totals as pyrotechnics_totals

QUEUE_HORIZON_DAYS = 30


def campaign_facilities(campaign: Campaign) -> QuerySet[Facility]:
    return Facility.objects.filter(region_id=campaign.region_id, kind__in=campaign.facility_kinds)


@dataclass(frozen=True)
class Progress:
    group: str
    planned: int
    inspected: int
    violations_found: int
    eliminated: int
    cleared: int

    @property
    def percent_cleared(self) -> float:
        return round(100 * self.cleared / self.planned, 1) if self.planned else 0.0


def progress(campaign: Campaign, today: dt.date) -> tuple[Progress, list[Progress]]:
    """The whole campaign and each district (facilities without a district grouped apart)."""
    facilities = list(campaign_facilities(campaign).values_list("pk", "district__name_en"))
    ids = [pk for pk, _district in facilities]
    window = Q(inspected_on__gte=campaign.starts_on, inspected_on__lte=today)
    inspected = set(
        Inspection.objects.filter(window, facility_id__in=ids).values_list("facility_id", flat=True)
    )
    found = Counter(
        Violation.objects.filter(
            facility_id__in=ids,
            inspection__inspected_on__gte=campaign.starts_on,
        ).values_list("facility_id", flat=True)
    )
    eliminated = Counter(
        Violation.objects.filter(
            facility_id__in=ids,
            inspection__inspected_on__gte=campaign.starts_on,
            status__in=[ViolationStatus.ELIMINATED, ViolationStatus.VERIFIED],
        ).values_list("facility_id", flat=True)
    )
    states = clearance(ids, today, region_id=campaign.region_id)
    groups: dict[str, list[int]] = defaultdict(list)
    for pk, district in facilities:
        groups[district or ""].append(pk)

    def summarise(name: str, members: list[int]) -> Progress:
        return Progress(
            name,
            len(members),
            sum(1 for pk in members if pk in inspected),
            sum(found[pk] for pk in members),
            sum(eliminated[pk] for pk in members),
            sum(1 for pk in members if states[pk].cleared and pk in inspected),
        )

    total = summarise(str(campaign.region), ids)
    return total, [summarise(name, members) for name, members in sorted(groups.items())]


def burndown(campaign: Campaign, today: dt.date) -> list[tuple[dt.date, int]]:
    """(day, facilities still to inspect) for each day from the start to today."""
    ids = list(campaign_facilities(campaign).values_list("pk", flat=True))
    earliest: dict[int, dt.date] = {}
    for facility_id, day in Inspection.objects.filter(
        facility_id__in=ids, inspected_on__gte=campaign.starts_on
    ).values_list("facility_id", "inspected_on"):
        if facility_id not in earliest or day < earliest[facility_id]:
            earliest[facility_id] = day
    end = min(today, max(campaign.deadline, campaign.starts_on))
    days = (end - campaign.starts_on).days
    remaining = []
    for offset in range(max(days, 0) + 1):
        day = campaign.starts_on + dt.timedelta(days=offset)
        remaining.append((day, len(ids) - sum(1 for d in earliest.values() if d <= day)))
    return remaining


def work_queue(campaign: Campaign, today: dt.date) -> list[tuple[Facility, RiskScore]]:
    """Facilities of the campaign not yet inspected in it, most at risk first.

    The order is exactly ``algorithms.risk.rank`` over the factors shown on the page.
    """
    facilities = {
        f.pk: f
        for f in campaign_facilities(campaign).exclude(
            inspections__inspected_on__gte=campaign.starts_on
        )
    }
    ids = list(facilities)
    horizon = today + dt.timedelta(days=QUEUE_HORIZON_DAYS)
    events: dict[int, list[Gathering]] = defaultdict(list)
    for event in Gathering.objects.filter(
        venue_id__in=ids, starts_at__date__gte=today, starts_at__date__lte=horizon
    ).exclude(status__in=[GatheringStatus.CANCELLED, GatheringStatus.REJECTED]):
        events[event.venue_id].append(event)  # type: ignore[index]
    open_v: dict[int, Counter[str]] = defaultdict(Counter)
    past_v: dict[int, Counter[str]] = defaultdict(Counter)
    since = today - dt.timedelta(days=3 * 365)
    for facility_id, severity, status in Violation.objects.filter(
        facility_id__in=ids, created_at__date__gte=since
    ).values_list("facility_id", "severity", "status"):
        (open_v if status != ViolationStatus.VERIFIED else past_v)[facility_id][severity] += 1
    last = dict(
        Inspection.objects.filter(facility_id__in=ids)
        .values("facility_id")
        .annotate(last=Max("inspected_on"))
        .values_list("facility_id", "last")
    )
    venues = []
    for pk, facility in facilities.items():
        upcoming = sorted(events[pk], key=lambda e: e.starts_at)
        venues.append(
            VenueRisk(
                venue_id=pk,
                kind=facility.kind,
                capacity=facility.capacity,
                storeys=facility.storeys,
                has_fire_alarm=facility.has_fire_alarm,
                has_sprinklers=facility.has_sprinklers,
                children_events_soon=sum(1 for e in upcoming if e.children_involved),
                events_soon=len(upcoming),
                days_until_next_event=(
                    (upcoming[0].starts_at.date() - today).days if upcoming else None
                ),
                open_violations=dict(open_v[pk]),
                past_violations=dict(past_v[pk]),
                days_since_last_inspection=(today - last[pk]).days if pk in last else None,
            )
        )
    return [(facilities[s.venue_id], s) for s in rank(venues)]


def prevention_indicators(
    user: Any, regions: QuerySet[Any], date_from: dt.date, date_to: dt.date
) -> list[dict[str, Any]]:
    """The prevention figures per region for the commission, counted from the records."""
    rows = []
    pyro = {
        row.region.pk: row
        for row in pyrotechnics_totals(user, date_from=date_from, date_to=date_to)
        if row.region is not None
    }
    for region in regions:
        events = Gathering.objects.filter(
            region=region, starts_at__date__gte=date_from, starts_at__date__lte=date_to
        ).exclude(status=GatheringStatus.CANCELLED)
        pending = list(events.filter(status__in=[GatheringStatus.DRAFT, GatheringStatus.SUBMITTED]))
        blocked: Counter[str] = Counter()
        blocked_events = 0
        for gate_list in gates.evaluate(pending).values():
            failing = [gate.code for gate in gate_list if not gate.passed]
            blocked.update(failing)
            blocked_events += bool(failing)
        inspections = Inspection.objects.filter(
            facility__region=region, inspected_on__gte=date_from, inspected_on__lte=date_to
        )
        inspected_ids = list(
            inspections.order_by().values_list("facility_id", flat=True).distinct()
        )
        states = clearance(inspected_ids, date_to, region_id=region.pk)
        violations = Violation.objects.filter(
            facility__region=region,
            inspection__inspected_on__gte=date_from,
            inspection__inspected_on__lte=date_to,
        )
        row = {
            "region": region.slug,
            "events_planned": events.count(),
            "events_approved": events.filter(
                status__in=[GatheringStatus.APPROVED, GatheringStatus.HELD]
            ).count(),
            "events_blocked": blocked_events,
            "events_blocked_by_gate": dict(sorted(blocked.items())),
            "inspections": inspections.count(),
            "facilities_inspected": len(inspected_ids),
            "violations_found": violations.count(),
            "violations_eliminated": violations.filter(
                status__in=[ViolationStatus.ELIMINATED, ViolationStatus.VERIFIED]
            ).count(),
            "violations_verified": violations.filter(status=ViolationStatus.VERIFIED).count(),
            "venues_cleared": sum(1 for s in states.values() if s.cleared),
            "briefings": Briefing.objects.filter(
                facility__region=region, held_on__gte=date_from, held_on__lte=date_to
            ).count(),
            "drills": Drill.objects.filter(
                facility__region=region, held_on__gte=date_from, held_on__lte=date_to
            ).count(),
        }
        seized = pyro.get(region.pk)
        row.update(
            raids=seized.raids_done if seized else 0,
            outlets_checked=seized.outlets_checked if seized else 0,
            units_seized=seized.units if seized else 0,
            boxes_seized=seized.boxes if seized else 0,
            units_uncertified_seized=seized.units_uncertified if seized else 0,
            boxes_uncertified_seized=seized.boxes_uncertified if seized else 0,
        )
        rows.append(row)
    return rows
