"""Progress of an action-plan measure: how far its figure is towards its target, and whether
that is on track for the time that has passed.

Pure Python (no Django). A measure runs from ``start`` to ``deadline`` (both inclusive); its
figure is a count (``value``) or a share (``value`` of ``base``). A count is compared with a
count target (6,812 of 7,000 → 97 %), a share with a percent target (98 % of a 100 % target →
98 %). A measure is on track when its completion is at least the share of its period that has
elapsed, less a tolerance; it is overdue when its deadline has passed and it is not done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Completion may lag the elapsed share of the period by this much and still be on track.
TOLERANCE = 0.10

PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"

# Assessments, for the page and the API.
ON_TRACK = "on_track"
BEHIND = "behind"
OVERDUE = "overdue"
NOT_STARTED = "not_started"
REACHED = "reached"
UNMEASURED = "unmeasured"
NO_TARGET = "no_target"


@dataclass(frozen=True)
class Assessment:
    """``completion``: percent of the target reached (None without a figure or a target);
    ``expected``: percent of the period elapsed; ``state``: one of the constants above, or
    the measure's own status when it is done or cancelled."""

    completion: float | None
    expected: float
    state: str


def completion(value: float, base: float | None, target: float | None) -> float | None:
    """Percent of ``target`` reached: a count against a count, a share (``base`` given) in
    percent against a percent target. None without a target, or for a share of nothing."""
    if target is None or target <= 0:
        return None
    if base is None:
        return 100.0 * value / target
    if base <= 0:
        return None
    return 100.0 * (100.0 * value / base) / target


def elapsed(start: dt.date, deadline: dt.date, today: dt.date) -> float:
    """Percent of the period ``[start, deadline]`` (whole days, inclusive) that has passed by
    the end of ``today``: 0 before the start, 100 from the deadline on."""
    if deadline < start:
        raise ValueError("the deadline lies before the start")
    if today < start:
        return 0.0
    if today >= deadline:
        return 100.0
    days = (deadline - start).days + 1
    return 100.0 * ((today - start).days + 1) / days


def is_overdue(status: str, deadline: dt.date, today: dt.date) -> bool:
    """The deadline has passed and the measure is neither done nor cancelled."""
    return today > deadline and status not in (DONE, CANCELLED)


def assess(
    *,
    status: str,
    start: dt.date,
    deadline: dt.date,
    today: dt.date,
    reached: float | None,
    has_figure: bool = False,
) -> Assessment:
    """Judge a measure on ``today`` given the percent of its target ``reached``
    (``has_figure``: a figure exists but no target to compare it with)."""
    expected = elapsed(start, deadline, today)
    if status in (DONE, CANCELLED):
        return Assessment(reached, expected, status)
    if is_overdue(status, deadline, today):
        return Assessment(reached, expected, OVERDUE)
    if reached is not None and reached >= 100:
        return Assessment(reached, expected, REACHED)
    if today < start:
        return Assessment(reached, expected, NOT_STARTED)
    if reached is None:
        return Assessment(reached, expected, NO_TARGET if has_figure else UNMEASURED)
    state = ON_TRACK if reached >= expected - 100 * TOLERANCE else BEHIND
    return Assessment(reached, expected, state)
