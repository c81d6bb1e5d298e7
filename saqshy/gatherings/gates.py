"""Approval gates: computed from the records for every event, never typed by hand.

``evaluate`` loads everything a page of events needs in a fixed number of queries and
returns, per event, every gate with whether it passes and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from saqshy.accounts.queries import norms
from saqshy.gatherings.choices import GateCode, GatheringKind
from saqshy.gatherings.models import Gathering
from saqshy.inspections.choices import Clearance
from saqshy.inspections.models import Briefing, Drill
from saqshy.inspections.queries import clearance_on_days
from saqshy.protection.choices import Tier
from saqshy.protection.queries import Standing, Thresholds, standings


@dataclass(frozen=True)
class Gate:
    code: str
    passed: bool
    reason: str

    @property
    def label(self) -> str:
        return str(GateCode.label(self.code))

    def as_dict(self) -> dict[str, object]:
        return {
            "gate": self.code,
            "label": self.label,
            "passed": self.passed,
            "reason": self.reason,
        }


def _dates_by_facility(model: type[Briefing] | type[Drill], ids: set[int]) -> dict[int, list[date]]:
    found: dict[int, list[date]] = defaultdict(list)
    for facility_id, held_on in model.objects.filter(facility_id__in=ids).values_list(
        "facility_id", "held_on"
    ):
        found[facility_id].append(held_on)
    return found


def _within(dates: list[date], start: date, days: float) -> bool:
    return any(start - timedelta(days=days) <= held <= start for held in dates)


RULES = (
    "inspection_validity_days",
    "fire_standby_attendance",
    "medical_presence_attendance",
    "children_prep_season_days",
    "access_route_check_days",
    "protection_standard_tier_people",
    "protection_enhanced_tier_people",
)
"""The norms the gates read."""


def evaluate(gatherings: Sequence[Gathering]) -> dict[int, list[Gate]]:
    """Every gate of every event (the list is in a stable order)."""
    venue_ids = {g.venue_id for g in gatherings if g.venue_id is not None}
    briefings = _dates_by_facility(Briefing, venue_ids)
    drills = _dates_by_facility(Drill, venue_ids)
    protection = standings(venue_ids)
    table = norms(RULES, {g.region_id for g in gatherings})

    def rule(code: str, region_id: int) -> float:
        return table[(code, region_id)]

    states = {
        (day, region_id, venue_id): state
        for (venue_id, day, region_id), state in clearance_on_days(
            (g.venue_id, g.starts_at.date(), g.region_id)
            for g in gatherings
            if g.venue_id is not None
        ).items()
    }
    result: dict[int, list[Gate]] = {}
    for g in gatherings:
        start = g.starts_at.date()
        gates: list[Gate] = []
        if g.venue_id is not None:
            state = states[(start, g.region_id, g.venue_id)]
            reasons = {
                Clearance.CLEARED: _("Inspected on %(date)s; no open major or critical violation.")
                % {"date": _day_or_dash(state.last_inspected_on)},
                Clearance.BLOCKED: ngettext(
                    "The venue has %(n)s open major or critical violation.",
                    "The venue has %(n)s open major or critical violations.",
                    len(state.blocking_violations),
                )
                % {"n": len(state.blocking_violations)},
                Clearance.EXPIRED: _("Last inspected on %(date)s, more than %(days)s days before.")
                % {
                    "date": _day_or_dash(state.last_inspected_on),
                    "days": int(rule("inspection_validity_days", g.region_id)),
                },
                Clearance.NEVER: _("The venue has never been inspected."),
            }
            gates.append(Gate(GateCode.VENUE_CLEARED, state.cleared, reasons[state.status]))
        for code, norm_code, planned in (
            (GateCode.FIRE_STANDBY, "fire_standby_attendance", g.fire_standby_planned),
            (GateCode.MEDICAL, "medical_presence_attendance", g.medical_presence_planned),
        ):
            threshold = int(rule(norm_code, g.region_id))
            if g.expected_attendance >= threshold:
                reason = (
                    _("Planned (%(n)s expected; required from %(t)s).")
                    if planned
                    else _("Not planned, but %(n)s people are expected (required from %(t)s).")
                ) % {"n": g.expected_attendance, "t": threshold}
                gates.append(Gate(code, planned, reason))
        if g.children_involved and g.venue_id is not None:
            days = rule("children_prep_season_days", g.region_id)
            briefed = _within(briefings.get(g.venue_id, []), start, days)
            drilled = _within(drills.get(g.venue_id, []), start, days)
            missing = [
                str(text)
                for ok, text in (
                    (briefed, _("a staff briefing")),
                    (drilled, _("an evacuation drill")),
                )
                if not ok
            ]
            reason = (
                _("Briefing and drill held at the venue this season.")
                if not missing
                else _("Missing this season: %(what)s.") % {"what": ", ".join(missing)}
            )
            gates.append(Gate(GateCode.CHILDREN_PREP, not missing, reason))
        if g.venue_id is None or g.kind == GatheringKind.FIREWORKS:
            days = rule("access_route_check_days", g.region_id)
            checked = g.access_route_checked_on
            recent = checked is not None and start - timedelta(days=days) <= checked <= start
            ok = g.access_route_clear and recent
            reason = (
                _("Recorded clear on %(date)s.") % {"date": _day_or_dash(checked)}
                if ok
                else _("No clear access route recorded within %(days)s days before the event.")
                % {"days": int(days)}
            )
            gates.append(Gate(GateCode.ACCESS_ROUTE, ok, reason))
        tiers = Thresholds(
            int(rule("protection_standard_tier_people", g.region_id)),
            int(rule("protection_enhanced_tier_people", g.region_id)),
        )
        venue = protection.get(g.venue_id) if g.venue_id is not None else None
        protective = _protective_security(g, venue, tiers)
        if protective is not None:
            gates.append(protective)
        result[g.pk] = gates
    return result


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _day_or_dash(value: date | None) -> str:
    """dd.mm.yyyy, as every date on screen (or a dash for none)."""
    return _day(value) if value is not None else "—"


def _protective_security(g: Gathering, venue: Standing | None, tiers: Thresholds) -> Gate | None:
    """Crowded places (Terrorism (Protection of Premises) Act 2025 tiers, as norms): an event
    for at least the standard tier of people, by its attendance or its venue's capacity,
    needs a completed assessment of the venue at that tier, valid on the event's day, and no
    open critical finding at the venue. An event in the open with no venue has no premises
    to assess: the gate passes and says so (its security posts and access route are gated
    elsewhere). Below the standard tier there is no gate."""
    capacity = venue.capacity if venue is not None else None
    tier = tiers.tier(max(g.expected_attendance, capacity or 0))
    if tier is None:
        return None
    code = GateCode.PROTECTIVE_SECURITY
    if venue is None:
        return Gate(code, True, _("Outdoor area: no venue to assess."))
    day = g.starts_at.date()
    if venue.critical:
        first = venue.critical[0]
        reason = _("Open critical finding: %(text)s, due %(date)s.") % {
            "text": first.text,
            "date": _day(first.deadline),
        }
        if len(venue.critical) > 1:
            reason += " " + ngettext(
                "%(n)s more open critical finding.",
                "%(n)s more open critical findings.",
                len(venue.critical) - 1,
            ) % {"n": len(venue.critical) - 1}
        return Gate(code, False, reason)
    current = venue.current(day, tier)
    if current is not None:
        return Gate(
            code,
            True,
            _("Assessed on %(date)s at the %(tier)s, valid until %(until)s.")
            % {
                "date": _day(current.assessed_on),
                "tier": str(Tier.label(current.tier)).lower(),
                "until": _day(current.valid_until),
            },
        )
    expired, lower = venue.expired(day, tier), venue.lower(day)
    if lower is not None:
        reason = _(
            "The assessment of %(venue)s is at the %(has)s; %(n)s people need the %(tier)s."
        ) % {
            "venue": venue.name,
            "has": str(Tier.label(lower.tier)).lower(),
            "n": max(g.expected_attendance, capacity or 0),
            "tier": str(Tier.label(tier)).lower(),
        }
    elif expired is not None:
        reason = _("The protective-security assessment of %(venue)s expired on %(date)s.") % {
            "venue": venue.name,
            "date": _day(expired.valid_until),
        }
    else:
        reason = _("No current protective-security assessment of %(venue)s.") % {
            "venue": venue.name
        }
    return Gate(code, False, reason)


def failing(gathering: Gathering) -> list[Gate]:
    return [gate for gate in evaluate([gathering])[gathering.pk] if not gate.passed]
