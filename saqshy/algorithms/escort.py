"""Is an escort free for a trip? Overlap of one time window against an escort's commitments.

An escort (a police officer or a unit) is needed from ``buffer`` before departure until
``buffer`` after the return: to meet the group, check the vehicles and drivers, and get back.
Each commitment (an absence, a rostered shift, another trip) occupies its own window as
recorded. A commitment conflicts when the two half-open intervals
``[departs - buffer, returns + buffer)`` and ``[start, end)`` share any instant, so a
commitment that ends exactly when the buffered window opens does not conflict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    """The time an escort is needed for, before the buffer is added."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a window must end after it starts")


@dataclass(frozen=True)
class Commitment:
    """Something that already takes the escort's time: ``kind`` is a short code
    (``absence``, ``shift``, ``trip``), ``ref`` the record's id, ``label`` what people read."""

    kind: str
    ref: int
    label: str
    start: datetime
    end: datetime


def needed(window: Window, buffer: timedelta) -> tuple[datetime, datetime]:
    """The buffered interval the escort must be free for."""
    if buffer < timedelta(0):
        raise ValueError("the buffer must not be negative")
    return window.start - buffer, window.end + buffer


def conflicts(
    window: Window, commitments: Iterable[Commitment], buffer: timedelta = timedelta(0)
) -> list[Commitment]:
    """The commitments that overlap the buffered window, earliest first (ties by kind, ref)."""
    start, end = needed(window, buffer)
    found = [c for c in commitments if c.start < end and start < c.end]
    return sorted(found, key=lambda c: (c.start, c.kind, c.ref))
