"""The indicator contract: figures roll up as sums, date-only records fall in one window."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from saqshy.core.indicators import Figure, add, dates_in, local_day


def test_share_rolls_up_as_share_of_sums_not_mean_of_percents() -> None:
    total = add([Figure(9, 10), Figure(1, 90)], "share")
    assert total == Figure(10, 100)
    assert total.percent == 10.0


def test_count_rolls_up_as_sum_and_has_no_percent() -> None:
    total = add([Figure(3), Figure(4)], "count")
    assert total == Figure(7)
    assert total.percent is None
    assert total.shown == 7


def test_share_of_nothing_shows_nothing() -> None:
    assert Figure(0, 0).shown is None


def test_morning_window_takes_the_previous_day() -> None:
    midnight, _ = local_day(dt.date(2027, 1, 1))
    start = midnight - dt.timedelta(hours=16)  # 31.12 08:00
    end = midnight + dt.timedelta(hours=8)  # 01.01 08:00
    assert dates_in(start, end) == (dt.date(2026, 12, 31), dt.date(2026, 12, 31))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(0, 23))
def test_consecutive_windows_take_each_day_once(day: dt.date, hour: int) -> None:
    midnight, _ = local_day(day)
    start = midnight + dt.timedelta(hours=hour)
    days: list[dt.date] = []
    for k in range(3):
        first, last = dates_in(start + dt.timedelta(days=k), start + dt.timedelta(days=k + 1))
        days += [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert len(days) == len(set(days)) == 3
