from __future__ import annotations

import random

import numpy as np
import pytest

from saqshy.algorithms.response import percentile, summarise


def test_percentile_matches_numpy_linear() -> None:
    rng = random.Random(4)
    for size in (1, 2, 3, 7, 10, 101):
        values = sorted(rng.uniform(0, 900) for _ in range(size))
        for q in (0, 10, 50, 90, 100):
            assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_judges_each_sample_by_its_own_norm() -> None:
    summary = summarise([(30, 60), (61, 60), (45, 40), (500, None)])
    assert (summary.count, summary.with_norm, summary.within_norm) == (4, 3, 1)
    assert summary.share_within_norm == pytest.approx(1 / 3)
    assert summary.norms == (40.0, 60.0)
    assert summary.norm is None  # mixed
    assert summary.median == pytest.approx(53.0)
    empty = summarise([])
    assert (empty.count, empty.median, empty.share_within_norm, empty.norm) == (0, None, None, None)
    assert summarise([(60, 60)]).within_norm == 1  # on the norm counts as within
