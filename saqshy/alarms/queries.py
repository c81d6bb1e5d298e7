"""Who sees which household, and the programme's read-only figures.

Households are personal data. ``households_for(user)`` is the one queryset every page, API
view and partial that shows a household starts from: what the user's grants give (social
services, administrators), plus, for the fire service's dispatch, the households with an
alarm incident open right now in a region where they dispatch. When that incident closes
the household disappears from their view again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import District, Grant
from saqshy.alarms.choices import AlarmEventKind, AlarmOutcome
from saqshy.alarms.models import (
    AlarmEvent,
    CallBack,
    Household,
    Installation,
    InstallationCampaign,
)
from saqshy.core import audit
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident

# Roles that, in an agency of the emergency and fire service, take home fire alarms.
FIRE_DISPATCH_ROLES = ("dispatcher", "duty-officer")

REFUSED_VIA = "alarms:household-refused"


@dataclass(frozen=True)
class FireReach:
    """Where a user dispatches for the fire service: nationally, or in these regions."""

    national: bool
    region_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.national and not self.region_ids


def fire_reach(user: Any) -> FireReach:
    """The regions in which ``user`` is a fire dispatcher or duty officer of the fire service."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return FireReach(False, frozenset())
    regions = list(
        Grant.objects.filter(
            user_id=user.pk,
            role__slug__in=FIRE_DISPATCH_ROLES,
            agency__kind=AgencyKind.EMERGENCY,
        ).values_list("region_id", flat=True)
    )
    return FireReach(None in regions, frozenset(r for r in regions if r is not None))


def _in_reach(reach: FireReach, field: str = "region_id") -> Q:
    return Q() if reach.national else Q(**{f"{field}__in": reach.region_ids})


def alarm_households_open() -> QuerySet[Any]:
    """Household ids with an alarm whose incident is open now (a subquery)."""
    return AlarmEvent.objects.filter(
        kind=AlarmEventKind.ALARM,
        household__isnull=False,
        incident__status__in=IncidentStatus.OPEN,
    ).values("household_id")


def households_for(user: Any) -> QuerySet[Household]:
    """Households ``user`` may see: their grants' plus, for fire dispatch, open alarms."""
    granted: QuerySet[Household] = Household.objects.restrict(user, "view")
    reach = fire_reach(user)
    if reach.empty:
        return granted
    return Household.objects.filter(
        Q(pk__in=granted.values("pk")) | (_in_reach(reach) & Q(pk__in=alarm_households_open()))
    )


def callbacks_for(user: Any) -> QuerySet[CallBack]:
    """Call-backs ``user`` may see: their grants' plus, for fire dispatch, those of open
    alarm incidents in their regions."""
    granted: QuerySet[CallBack] = CallBack.objects.restrict(user, "view")
    reach = fire_reach(user)
    if reach.empty:
        return granted
    return CallBack.objects.filter(
        Q(pk__in=granted.values("pk"))
        | (_in_reach(reach) & Q(incident__status__in=IncidentStatus.OPEN))
    )


def is_fire_dispatcher_for(user: Any, incident: Incident) -> bool:
    """Whether ``user`` dispatches for the fire service in the incident's region."""
    reach = fire_reach(user)
    return reach.national or incident.region_id in reach.region_ids


def household_or_refuse(user: Any, pk: Any, via: str) -> Household:
    """The household ``pk`` if ``user`` may see it, its read audited; otherwise 404.

    A refused request for a household that exists is audited too (a read entry whose
    ``via`` is ``alarms:household-refused:<via>``), so an attempt to look leaves a trace.
    """
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = households_for(user).select_related("category", "region", "district").filter(pk=key)
    household = found.first()
    if household is None:
        refuse_household(user, key, via)
        raise Http404
    audit.record_read(acting_user=user, instances=[household], via=via)
    return household


def refuse_household(user: Any, pk: int, via: str) -> None:
    """Audit a refused read of household ``pk`` (nothing is recorded if it does not exist)."""
    existing = Household.objects.filter(pk=pk).only("id", "region_id").first()
    if existing is not None:
        audit.record_read(acting_user=user, instances=[existing], via=f"{REFUSED_VIA}:{via}")


def open_alarm_incident(household: Household) -> Incident | None:
    """The household's alarm incident that is open now (the newest), if any."""
    event = (
        AlarmEvent.objects.filter(
            household=household,
            kind=AlarmEventKind.ALARM,
            incident__status__in=IncidentStatus.OPEN,
        )
        .select_related("incident")
        .order_by("-received_at", "-id")
        .first()
    )
    return event.incident if event else None


def incident_household(incident: Incident) -> Household | None:
    """The household whose alarm opened or joined ``incident`` (unrestricted; callers scope)."""
    event = (
        AlarmEvent.objects.filter(incident=incident, household__isnull=False)
        .select_related("household", "household__category")
        .order_by("received_at", "id")
        .first()
    )
    return event.household if event else None


# --- figures ----------------------------------------------------------------------------------

_DECIDED = (
    AlarmOutcome.INCIDENT,
    AlarmOutcome.JOINED,
    AlarmOutcome.FALSE_ALARM,
    AlarmOutcome.FIRE,
)


@dataclass(frozen=True)
class FalseAlarmRate:
    key: Any
    alarms: int
    false_alarms: int

    @property
    def rate(self) -> float:
        return self.false_alarms / self.alarms if self.alarms else 0.0


def _rates(user: Any, by: str) -> list[FalseAlarmRate]:
    # An exercise's alarms say nothing about a device model's or a home's false alarms.
    rows: Any = (
        AlarmEvent.objects.real()
        .restrict(user, "view")
        .filter(kind=AlarmEventKind.ALARM, outcome__in=_DECIDED)
        .values(by)
        .annotate(
            alarms=Count("id"),
            false_alarms=Count("id", filter=Q(outcome=AlarmOutcome.FALSE_ALARM)),
        )
        .order_by(by)
    )
    return [FalseAlarmRate(row[by], row["alarms"], row["false_alarms"]) for row in rows]


def false_alarm_rate_by_model(user: Any) -> list[FalseAlarmRate]:
    """Alarms and false alarms per device model (``key`` = ``Device.model``)."""
    return _rates(user, "device__model")


def false_alarm_rate_by_household(user: Any) -> list[FalseAlarmRate]:
    """Alarms and false alarms per household (``key`` = household id, no personal data)."""
    return [row for row in _rates(user, "household_id") if row.key is not None]


@dataclass(frozen=True)
class DistrictProgress:
    district_id: int | None
    district: str
    target: int
    installed: int

    @property
    def percent(self) -> int:
        if not self.target:
            return 100 if self.installed else 0
        return min(100, round(100 * self.installed / self.target))


def campaign_progress(user: Any, campaign: InstallationCampaign) -> list[DistrictProgress]:
    """Per district of the campaign: its target and the installations counted so far."""
    installed: dict[int | None, int] = dict(
        Installation.objects.restrict(user, "view")
        .filter(campaign=campaign)
        .values("district_id")
        .annotate(n=Count("id"))
        .values_list("district_id", "n")
    )
    targets = dict(campaign.targets.values_list("district_id", "target"))
    ids = [d for d in {*installed, *targets} if d is not None]
    names = {d.pk: d.display_name for d in District.objects.filter(pk__in=ids)}
    rows = [
        DistrictProgress(d, names.get(d, ""), targets.get(d, 0), installed.get(d, 0)) for d in ids
    ]
    rows.sort(key=lambda row: row.district)
    if None in installed:
        rows.append(DistrictProgress(None, "—", 0, installed[None]))
    return rows
