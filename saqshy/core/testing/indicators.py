"""Indicator figures in tests, checked both ways they are computed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from saqshy.core.indicators import Figure, indicator, local_day


def day_figures(code: str, region_ids: Sequence[int], day: dt.date) -> dict[int, Figure]:
    """``code``'s figures over local day ``day``, after checking that its evaluation of that
    day and of the days either side of it all at once (``evaluate_days``, one query where the
    indicator counts by day) gives what each day's own window gives."""
    ind = indicator(code)
    around = [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]
    at_once = ind.evaluate_days(region_ids, around)
    for each in around:
        assert at_once[each] == ind.evaluate(region_ids, *local_day(each)), (code, each)
    return at_once[day]
