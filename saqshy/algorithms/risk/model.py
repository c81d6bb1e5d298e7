"""Input and output records of the inspection risk score.

:class:`VenueRisk` is everything the score looks at for one venue, already aggregated by the
caller (counts, not querysets), so the score is a pure function of plain values.
:class:`RiskScore` is the result: the total and the :class:`Factor` rows that add up to it,
which is what the work-queue page shows so an inspector can see why a venue ranks where it
does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from saqshy.algorithms.risk.weights import SEVERITIES

FACTOR_CODES: tuple[str, ...] = (
    "kind",
    "capacity",
    "children_events",
    "events",
    "next_event",
    "open_violations",
    "past_violations",
    "last_inspection",
    "no_fire_alarm",
    "no_sprinklers",
    "storeys",
)
"""Every factor code, in the order :attr:`RiskScore.factors` lists them (always all of them,
zero-point ones included, so the breakdown has the same rows for every venue)."""


def _empty() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class VenueRisk:
    """What the risk score knows about one venue; ``None`` always means *unknown*.

    ``children_events_soon`` and ``events_soon`` count events scheduled in the planning horizon
    (children's events are a subset of all events, so ``children_events_soon <= events_soon``).
    ``days_until_next_event`` is ``None`` when nothing is scheduled.  ``open_violations`` and
    ``past_violations`` map a severity (``"minor"``, ``"major"``, ``"critical"``) to a count;
    missing severities count 0, past ones are those eliminated in the last three years.
    ``days_since_last_inspection`` is ``None`` when the venue was never inspected.

    Construction raises :class:`ValueError` naming the field for any negative count, capacity
    or day count, an unknown severity, or more children's events than events.
    """

    venue_id: int
    kind: str
    capacity: int | None = None
    storeys: int | None = None
    has_fire_alarm: bool | None = None
    has_sprinklers: bool | None = None
    children_events_soon: int = 0
    events_soon: int = 0
    days_until_next_event: int | None = None
    open_violations: Mapping[str, int] = field(default_factory=_empty)
    past_violations: Mapping[str, int] = field(default_factory=_empty)
    days_since_last_inspection: int | None = None

    def __post_init__(self) -> None:
        """Validate the counts and freeze the violation mappings."""
        for name in (
            "capacity",
            "storeys",
            "children_events_soon",
            "events_soon",
            "days_until_next_event",
            "days_since_last_inspection",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be >= 0, got {value!r}")
        if self.children_events_soon > self.events_soon:
            raise ValueError(
                f"children_events_soon ({self.children_events_soon}) must not exceed "
                f"events_soon ({self.events_soon})"
            )
        for name in ("open_violations", "past_violations"):
            counts: Mapping[str, int] = getattr(self, name)
            for severity, count in counts.items():
                if severity not in SEVERITIES:
                    raise ValueError(
                        f"{name} has unknown severity {severity!r}; "
                        f"expected one of {', '.join(SEVERITIES)}"
                    )
                if count < 0:
                    raise ValueError(f"{name}[{severity!r}] must be >= 0, got {count!r}")
            object.__setattr__(self, name, MappingProxyType(dict(counts)))


@dataclass(frozen=True)
class Factor:
    """One row of a score breakdown.

    ``code`` is a stable machine name from :data:`FACTOR_CODES` (the UI translates by it),
    ``label`` a short English description without the value, ``value`` the input as a short
    language-neutral string (numbers, ``"unknown"``, ``"none"``, ``"never"``, ``"yes"``,
    ``"no"``, or ``"critical=1, major=2"``-style lists), and ``points`` its contribution,
    rounded to 3 decimals.
    """

    code: str
    label: str
    value: str
    points: float


@dataclass(frozen=True)
class RiskScore:
    """A venue's total risk and the factors it is made of.

    Rounding: each factor's points are rounded to 3 decimals, and ``total`` is
    ``round(sum(f.points for f in factors), 6)`` -- exactly the sum of the shown factors with
    float noise removed -- so the page's rows always add up to the shown total and anyone can
    reproduce the order from them.  Construction checks this invariant.
    """

    venue_id: int
    total: float
    factors: tuple[Factor, ...]

    def __post_init__(self) -> None:
        """Reject a total that is not the rounded sum of the factors."""
        expected = round(sum(f.points for f in self.factors), 6)
        if self.total != expected:
            raise ValueError(f"total must equal the rounded sum of factor points ({expected})")

    def factor(self, code: str) -> Factor:
        """The factor with this ``code``; :class:`KeyError` if there is none."""
        for item in self.factors:
            if item.code == code:
                return item
        raise KeyError(code)
