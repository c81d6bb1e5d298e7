"""The demo's protective security: the Astana venues of the season's large events assessed,
one of them with an open critical finding that keeps its event from approval.

Runs after the season (``load_season``), whose approvals the new gate would otherwise have
refused for want of an assessment: the demo inspector assesses every venue that hosts a
submitted or approved event at or above the standard tier, then the planner approves the
events whose every gate now passes, so the season looks as it did before the gate, except
the one venue left with an open critical finding. Idempotent: a venue with a completed
assessment is skipped, and an approved event is not approved again.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from saqshy.accounts.models import Region, User
from saqshy.facilities.models import Facility
from saqshy.gatherings import gates
from saqshy.gatherings import services as gatherings
from saqshy.gatherings.choices import GateCode, GatheringStatus
from saqshy.gatherings.models import Gathering
from saqshy.protection import queries
from saqshy.protection import services as protection
from saqshy.protection.choices import Answer, AssessmentStatus, Measure
from saqshy.protection.models import Assessment

CRITICAL_ITEM = "access-control"
CRITICAL_TEXT = "No bag search at the main entrance; the walk-through detector is out of order"
OWN_CCTV = "The venue's own CCTV (not in the city camera registry), checked on site"


@dataclass
class ProtectionResult:
    assessed: int = 0
    approved: int = 0
    blocked_venue: str = ""


def load_protection(slug: str = "astana", today: dt.date | None = None) -> ProtectionResult:
    today = today or timezone.localdate()
    region = Region.objects.get(slug=slug)
    inspector = User.objects.get(username=f"inspector_{slug}")
    planner = User.objects.get(username=f"planner_{slug}")
    result = ProtectionResult()
    rng = random.Random(2025)
    tiers = queries.thresholds(region.pk)
    events = list(
        Gathering.objects.filter(
            region=region,
            venue__isnull=False,
            status__in=[GatheringStatus.SUBMITTED, GatheringStatus.APPROVED],
        )
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    venues: dict[int, Facility] = {}
    people: dict[int, int] = {}
    for event in events:
        assert event.venue is not None
        size = max(event.expected_attendance, event.venue.capacity or 0)
        if tiers.tier(size) is not None:
            venues.setdefault(event.venue.pk, event.venue)
            people[event.venue.pk] = max(people.get(event.venue.pk, 0), size)
    done = set(
        Assessment.objects.filter(
            facility_id__in=venues, status=AssessmentStatus.COMPLETED
        ).values_list("facility_id", flat=True)
    )
    blocked = _blocked_venue(events, venues, done)
    for venue_id, venue in venues.items():
        if venue_id in done:
            continue
        not_met = {CRITICAL_ITEM: CRITICAL_TEXT} if venue_id == blocked else {}
        on = today - dt.timedelta(days=rng.randint(2, 20))
        _assess(inspector, venue, on, tiers.tier(people[venue_id]), not_met)
        result.assessed += 1
    if blocked is not None:
        result.blocked_venue = venues[blocked].display_name
    pending = [e for e in events if e.status == GatheringStatus.SUBMITTED]
    judged = gates.evaluate(pending)
    for event in pending:
        if all(gate.passed for gate in judged[event.pk]):
            gatherings.approve(acting_user=planner, gathering=event)
            result.approved += 1
    return result


def _blocked_venue(
    events: list[Gathering], venues: dict[int, Facility], done: set[int]
) -> int | None:
    """The venue of the first submitted large event that only the new gate holds back, so
    its open critical finding is the one reason the event waits (None on a second run)."""
    if done:
        return None
    pending = [e for e in events if e.status == GatheringStatus.SUBMITTED and e.venue_id in venues]
    judged = gates.evaluate(pending)
    for event in pending:
        failing = [g.code for g in judged[event.pk] if not g.passed]
        if failing == [GateCode.PROTECTIVE_SECURITY] and event.expected_attendance >= 800:
            return event.venue_id
    return None


def _assess(
    inspector: User, venue: Facility, on: dt.date, tier: str | None, not_met: dict[str, str]
) -> None:
    """A completed assessment at the tier of the largest event the venue hosts."""
    assessment = protection.create_assessment(
        acting_user=inspector,
        facility=venue,
        assessed_on=on,
        tier=tier,
        notes="Before the New Year: crowded places of the capital",
    )
    answers = []
    for item in queries.checklist(assessment.tier, assessment.outdoor):
        if item.code in not_met:
            answers.append(protection.ItemAnswer(item, Answer.NOT_MET, not_met[item.code]))
        elif item.measure == Measure.CCTV_COVERAGE:
            answers.append(protection.ItemAnswer(item, Answer.MET, OWN_CCTV))
        else:
            answers.append(protection.ItemAnswer(item, Answer.MET))
    protection.record_answers(acting_user=inspector, assessment=assessment, answers=answers)
    protection.complete_assessment(acting_user=inspector, assessment=assessment)
