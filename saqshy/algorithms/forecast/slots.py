"""Time slots: how a cell's expected events spread over the hours of the day.

The day is cut into ``SLOTS`` slots of equal length (slot ``s`` covers hours
``s * 24 / SLOTS`` …). A cell's share of its events in each slot is estimated from its own
events with the whole area's shares as a prior worth ``PRIOR_EVENTS`` events (a cell with few
events follows the area; one with many follows itself). Events with an unknown hour count in
the area's total only. The score of a cell for a time window is its score × the share of the
slots the window covers, each slot counted by the hours of it the window holds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from saqshy.algorithms.forecast.grid import FloatArray, IntArray

SLOTS = 6
PRIOR_EVENTS = 5.0


def slot_of_hour(hour: IntArray) -> IntArray:
    return np.asarray(hour, dtype=np.int64) * SLOTS // 24


def slot_shares(cell: IntArray, hour: IntArray, cells: IntArray) -> npt.NDArray[np.float64]:
    """Shares (rows sum to 1) of each of ``cells``' events per slot, shape (len(cells), SLOTS)."""
    known = hour >= 0
    slots = slot_of_hour(hour[known])
    overall = np.bincount(slots, minlength=SLOTS).astype(np.float64)
    prior = overall / overall.sum() if overall.sum() else np.full(SLOTS, 1.0 / SLOTS)
    position = {int(c): i for i, c in enumerate(cells)}
    own = np.zeros((len(cells), SLOTS))
    for c, s in zip(cell[known].tolist(), slots.tolist(), strict=True):
        i = position.get(c)
        if i is not None:
            own[i, s] += 1
    shares: FloatArray = (own + PRIOR_EVENTS * prior) / (
        own.sum(axis=1, keepdims=True) + PRIOR_EVENTS
    )
    return shares


def hours_weight(hours: list[int]) -> FloatArray:
    """Per slot, the share of it covered by ``hours`` (hours of the day, repeats count again)."""
    weight = np.zeros(SLOTS)
    per_slot = 24 / SLOTS
    for hour in hours:
        weight[int(hour) % 24 * SLOTS // 24] += 1 / per_slot
    return weight
