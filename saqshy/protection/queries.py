"""Read-side rules of protective security: a venue's tier, its CCTV coverage and its standing
for events on a day, derived from the records in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from saqshy.accounts.queries import norm
from saqshy.algorithms.coverage import Coverage, coverage
from saqshy.cameras.models import Camera
from saqshy.facilities.models import Facility
from saqshy.protection.choices import AssessmentStatus, FindingStatus, Severity, Tier
from saqshy.protection.models import Assessment, ChecklistItem, Finding

STANDARD_NORM = "protection_standard_tier_people"
ENHANCED_NORM = "protection_enhanced_tier_people"
VALIDITY_NORM = "protection_assessment_validity_days"


@dataclass(frozen=True)
class Thresholds:
    """The people from which each tier applies in a region (norms, 200 and 800 by default)."""

    standard: int
    enhanced: int

    def tier(self, people: int | None) -> str | None:
        """The tier for ``people`` (None: below the standard tier, not in scope)."""
        if people is None or people < self.standard:
            return None
        return Tier.ENHANCED if people >= self.enhanced else Tier.STANDARD


def thresholds(region_id: int | None) -> Thresholds:
    return Thresholds(int(norm(STANDARD_NORM, region_id)), int(norm(ENHANCED_NORM, region_id)))


def validity_days(region_id: int | None) -> int:
    return int(norm(VALIDITY_NORM, region_id))


def checklist(tier: str, outdoor: bool) -> list[ChecklistItem]:
    """The active items an assessment at ``tier`` asks (outdoor items only for the open air)."""
    return [
        item for item in ChecklistItem.objects.filter(active=True) if item.applies(tier, outdoor)
    ]


def coverage_of(facility: Facility) -> Coverage:
    """What the venue's active cameras in the registry watch of its footprint."""
    areas = Camera.objects.filter(facility=facility, is_active=True).values_list(
        "watched_area", flat=True
    )
    return coverage(facility.footprint, list(areas))


@dataclass(frozen=True)
class Done:
    """A completed assessment as the gate needs it."""

    tier: str
    assessed_on: dt.date
    valid_until: dt.date


@dataclass(frozen=True)
class OpenCritical:
    text: str
    deadline: dt.date


@dataclass
class Standing:
    """A venue's protective-security records: completed assessments, open critical findings."""

    facility_id: int
    name: str
    capacity: int | None
    done: list[Done] = field(default_factory=list)
    critical: list[OpenCritical] = field(default_factory=list)

    def current(self, day: dt.date, tier: str) -> Done | None:
        """The latest completed assessment at ``tier`` or above that is valid on ``day``."""
        found = [
            d
            for d in self.done
            if d.assessed_on <= day <= d.valid_until and Tier.RANK[d.tier] >= Tier.RANK[tier]
        ]
        return max(found, key=lambda d: d.assessed_on) if found else None

    def expired(self, day: dt.date, tier: str) -> Done | None:
        """The latest one at the tier that ran out before ``day`` (to say so)."""
        found = [
            d for d in self.done if d.valid_until < day and Tier.RANK[d.tier] >= Tier.RANK[tier]
        ]
        return max(found, key=lambda d: d.valid_until) if found else None

    def lower(self, day: dt.date) -> Done | None:
        """A current assessment at a lower tier than needed (to say so)."""
        found = [d for d in self.done if d.assessed_on <= day <= d.valid_until]
        return max(found, key=lambda d: d.assessed_on) if found else None


def standings(facility_ids: Iterable[int]) -> dict[int, Standing]:
    """Every venue's standing, in three queries whatever the number of venues.

    Findings count as they stand today (an open critical finding blocks until it is fixed).
    """
    ids = list(set(facility_ids))
    if not ids:
        return {}
    found = {
        f.pk: Standing(f.pk, f.display_name, f.capacity)
        for f in Facility.objects.filter(pk__in=ids).only(
            "pk", "name", "name_kk", "name_ru", "name_en", "capacity"
        )
    }
    for facility_id, tier, on, until in (
        Assessment.objects.filter(facility_id__in=ids, status=AssessmentStatus.COMPLETED)
        .order_by()
        .values_list("facility_id", "tier", "assessed_on", "valid_until")
    ):
        found[facility_id].done.append(Done(tier, on, until))
    for facility_id, text, deadline in (
        Finding.objects.filter(
            facility_id__in=ids, status=FindingStatus.OPEN, severity=Severity.CRITICAL
        )
        .order_by("deadline", "pk")
        .values_list("facility_id", "text", "deadline")
    ):
        found[facility_id].critical.append(OpenCritical(text, deadline))
    return found
