"""The arithmetic of the New Year's Eve runs: groups, percentiles, recovery, lost/duplicated."""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nye_report import calls_lost_and_duplicated, pct, positions_lost, recovery, table


def test_pct_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert pct(values, 0.5) == 50
    assert pct(values, 0.99) == 99
    assert pct([7.0], 0.99) == 7
    assert math.isnan(pct([], 0.5))


def test_table_groups_by_kind_within_the_window() -> None:
    samples = [
        (10.0, "read: map layer", 20.0, True),
        (11.0, "read: browse api", 40.0, True),
        (12.0, "read: browse api", 0.0, False),
        (13.0, "write: unit position", 5.0, True),
        (99.0, "read: map layer", 1000.0, True),  # after the window
    ]
    rows = {r["name"]: r for r in table(samples, 10.0, 20.0)}
    assert rows["read (all)"]["n"] == 3
    assert rows["read (all)"]["errors"] == 1
    assert rows["read (all)"]["p99"] == 40
    assert rows["read (all)"]["rate"] == 0.3
    assert rows["write: unit position"]["p50"] == 5
    assert "push (all)" not in rows


def test_recovery_waits_for_every_later_call_to_reach_every_map() -> None:
    calls = {
        "a": {"posted": 100.0, "id": 1, "seen": 3},  # before the fault
        "b": {"posted": 101.0, "id": 2, "seen": 3},  # reached all: but a later one did not
        "c": {"posted": 103.0, "id": 3, "seen": 1},
        "d": {"posted": 106.0, "id": 4, "seen": 3},
        "e": {"posted": 107.0, "id": 5, "seen": 3},
    }
    failures = [(102.5, "POST x", "500"), (99.0, "GET y", "500")]
    result = recovery(100.5, 120.0, calls, failures, maps=3)
    assert result == {"requests": 2.0, "maps": 5.5, "total": 5.5}
    calls["e"]["seen"] = 2
    assert recovery(100.5, 120.0, calls, failures, maps=3)["maps"] is None


def test_calls_and_positions_lost_or_duplicated() -> None:
    assert calls_lost_and_duplicated(["a", "b", "c"], {"a": 1, "b": 2}) == (1, 1)
    sent = {"1": {"lat": 51.1, "lon": 71.4}, "2": {"lat": 51.2, "lon": 71.5}}
    assert positions_lost(sent, {"1": (51.1, 71.4), "2": (51.0, 71.5)}) == 1
    assert positions_lost(sent, {"1": (51.1, 71.4)}) == 1
