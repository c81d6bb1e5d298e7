"""The district-heating temperature schedule: supply temperature by outdoor temperature.

A heat network's supply temperature follows the outdoor temperature: at the design outdoor
temperature (Astana about −31 °C) the plant sends its design supply (150 °C on a 150/70
schedule); at the end of the heating season's mild range (+8 °C) the supply is the minimum
that still heats hot water (about 70 °C). Between them the schedule is linear here (real
schedules are slightly convex; the region sets its own points as norms), and outside them it
is clamped: colder than the design temperature does not ask for more than the design supply.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HeatingCurve:
    """A linear, clamped schedule through (design_outdoor, design_supply) and
    (mild_outdoor, mild_supply); ``tolerance`` is how far below it a supply still counts."""

    design_outdoor: float = -31.0
    design_supply: float = 150.0
    mild_outdoor: float = 8.0
    mild_supply: float = 70.0
    tolerance: float = 5.0

    def __post_init__(self) -> None:
        if self.mild_outdoor <= self.design_outdoor:
            raise ValueError("the mild outdoor temperature must be above the design one")
        if self.mild_supply > self.design_supply:
            raise ValueError("the design supply must not be below the mild one")

    def supply(self, outdoor: float) -> float:
        """The scheduled supply temperature (°C) at ``outdoor`` (°C)."""
        if outdoor <= self.design_outdoor:
            return self.design_supply
        if outdoor >= self.mild_outdoor:
            return self.mild_supply
        share = (self.mild_outdoor - outdoor) / (self.mild_outdoor - self.design_outdoor)
        return self.mild_supply + share * (self.design_supply - self.mild_supply)

    def lowest_allowed(self, outdoor: float) -> float:
        """The lowest supply temperature that is not a breach at ``outdoor``."""
        return self.supply(outdoor) - self.tolerance
