"""Hit rate and predictive accuracy index (PAI) of a forecast surface.

A forecast flags the highest-scoring cells until the flagged area reaches a target, either a
share of the *study area* (1 %, 5 %, 10 %) or a fixed area (1, 5, 25 km²):

* **hit rate** = test events in the flagged cells / all test events on the grid;
* **PAI** = hit rate / (flagged area / study area): how many times better than flagging at random.

**Study-area rule:** the cells whose centre lies inside (or on) the convex hull of the centres of
the cells holding at least one *training* event. Shares of the study area flag only study-area
cells; fixed areas flag from the whole grid, so their hit rate does not depend on the rule (their
PAI does, through its denominator).

**Ties and partial cells:** cells are taken in descending score; where cells tie at the cut, or
the target is not a whole number of cells, each tied cell counts with the share of it that fits
(the expected hit rate under a random tie-break). So a constant surface scores exactly the area
share, and no model gains or loses from the order in which the grid numbers its cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import ConvexHull, QhullError

from saqshy.algorithms.forecast.grid import FloatArray, Grid, IntArray

BoolArray = npt.NDArray[np.bool_]

STUDY_SHARES: tuple[float, ...] = (0.01, 0.05, 0.10)
FIXED_AREAS_KM2: tuple[float, ...] = (1.0, 5.0, 25.0)


def share_label(share: float) -> str:
    return f"{share * 100:g}%"


def area_label(km2: float) -> str:
    return f"{km2:g}km2"


LABELS: tuple[str, ...] = (
    *(share_label(s) for s in STUDY_SHARES),
    *(area_label(a) for a in FIXED_AREAS_KM2),
)


def study_area(grid: Grid, training_cells: IntArray) -> BoolArray:
    """The study area (see the module docstring) as a mask over the grid's cells.

    With fewer than three non-collinear occupied cells there is no hull; the study area is then
    the occupied cells themselves.
    """
    occupied = np.unique(training_cells[training_cells >= 0])
    mask = np.zeros(grid.n_cells, dtype=bool)
    if len(occupied) == 0:
        return mask
    x, y = grid.centres_xy
    points = np.column_stack([x[occupied], y[occupied]])
    try:
        hull = ConvexHull(points)
    except (QhullError, ValueError):
        mask[occupied] = True
        return mask
    tolerance = grid.cell_m * 1e-6
    inside = np.ones(grid.n_cells, dtype=bool)
    for a, b, c in hull.equations:
        inside &= a * x + b * y + c <= tolerance
    return inside


def flagged_hits(scores: FloatArray, hits: FloatArray, cells: float) -> float:
    """Test events caught by flagging ``cells`` (may be fractional) of the highest ``scores``.

    ``scores`` and ``hits`` cover the candidate cells only. Ties at the cut are shared
    proportionally (see the module docstring).
    """
    if cells <= 0 or len(scores) == 0:
        return 0.0
    return float(np.sum(flag_shares(scores, cells) * hits))


def flag_shares(scores: FloatArray, cells: float) -> FloatArray:
    """The share (0–1) of each cell that flagging ``cells`` of the highest ``scores`` takes."""
    order = np.argsort(-scores, kind="stable")
    return _shares_in_order(scores, order, cells)


def _shares_in_order(scores: FloatArray, order: IntArray, cells: float) -> FloatArray:
    """:func:`flag_shares` given the cells ``order``-ed by descending score (ties in any order)."""
    shares = np.zeros(len(scores))
    if cells <= 0 or len(order) == 0:
        return shares
    sorted_scores = scores[order]
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_scores)])
    before = np.r_[0, np.cumsum(sizes)[:-1]]
    taken = np.clip(cells - before, 0, sizes)
    shares[order] = np.repeat(taken / sizes, sizes)
    return shares


def flag_map(
    scores: FloatArray, study: BoolArray, grid: Grid
) -> list[tuple[str, float, FloatArray]]:
    """For every standard area (``LABELS`` order): its label, the flagged cells (may be
    fractional) and the share of each grid cell flagged. Shares of the study area flag study
    cells only; fixed areas flag from the whole grid. One sort serves every area."""
    order = np.argsort(-scores, kind="stable")
    study_order = order[study[order]]
    study_cells = int(study.sum())
    n_cells = len(scores)
    result = []
    for share in STUDY_SHARES:
        cells = min(share * study_cells, float(study_cells))
        result.append((share_label(share), cells, _shares_in_order(scores, study_order, cells)))
    for km2 in FIXED_AREAS_KM2:
        cells = min(km2 / grid.cell_km2, float(n_cells))
        result.append((area_label(km2), cells, _shares_in_order(scores, order, cells)))
    return result


@dataclass(frozen=True)
class Metric:
    label: str
    flagged_km2: float
    hit_rate: float
    pai: float


def evaluate_surface(
    scores: FloatArray, test_counts: FloatArray, study: BoolArray, grid: Grid
) -> list[Metric]:
    """Hit rate and PAI at every standard area (``LABELS`` order)."""
    return metrics_of_flags(flag_map(scores, study, grid), test_counts, study, grid)


def metrics_of_flags(
    flags: list[tuple[str, float, FloatArray]],
    test_counts: FloatArray,
    study: BoolArray,
    grid: Grid,
    *,
    missed: int = 0,
) -> list[Metric]:
    """Hit rate and PAI of the flagged cells of :func:`flag_map`; ``missed`` test events lie
    off the grid and count against every model."""
    total = float(test_counts.sum()) + missed
    study_km2 = int(study.sum()) * grid.cell_km2
    results: list[Metric] = []
    for label, cells, shares in flags:
        caught = float(np.sum(shares * test_counts))
        hit_rate = caught / total if total else 0.0
        flagged_km2 = cells * grid.cell_km2
        share = flagged_km2 / study_km2 if study_km2 else 0.0
        pai = hit_rate / share if share else 0.0
        results.append(Metric(label, flagged_km2, hit_rate, pai))
    return results


def mean_hit_rate(
    scores: FloatArray, test_counts: FloatArray, study: BoolArray, grid: Grid
) -> float:
    """The tuning criterion: the mean hit rate over the six standard areas."""
    metrics = evaluate_surface(scores, test_counts, study, grid)
    return float(np.mean([m.hit_rate for m in metrics]))
