"""Response-time statistics: count, median, 90th percentile and the share within a norm.

Pure Python (no Django). Each sample is a duration in seconds with the norm that applies to it
(or ``None`` where none is set); samples of one group may carry different norms, e.g. when
regions override a national norm, so each is judged against its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) of sorted values, interpolating linearly between ranks
    (the same definition as numpy's default); ``None`` for no values."""
    if not ordered:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q must lie between 0 and 100")
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    return float(ordered[low] + (ordered[high] - ordered[low]) * fraction)


@dataclass(frozen=True)
class Summary:
    count: int
    median: float | None
    p90: float | None
    with_norm: int  # samples that have a norm
    within_norm: int  # of those, at or under it
    norms: tuple[float, ...]  # the distinct norms met in the group, ascending

    @property
    def share_within_norm(self) -> float | None:
        return self.within_norm / self.with_norm if self.with_norm else None

    @property
    def norm(self) -> float | None:
        """The group's norm when all its samples share one, else ``None``."""
        return self.norms[0] if len(self.norms) == 1 else None


def summarise(samples: Iterable[tuple[float, float | None]]) -> Summary:
    """Summarise ``(seconds, norm_seconds or None)`` pairs."""
    values: list[float] = []
    with_norm = within = 0
    norms: set[float] = set()
    for seconds, norm in samples:
        values.append(float(seconds))
        if norm is not None:
            with_norm += 1
            within += seconds <= norm
            norms.add(float(norm))
    values.sort()
    return Summary(
        count=len(values),
        median=percentile(values, 50),
        p90=percentile(values, 90),
        with_norm=with_norm,
        within_norm=within,
        norms=tuple(sorted(norms)),
    )
