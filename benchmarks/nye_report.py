"""Pure arithmetic of the New Year's Eve load and fault runs (no Django, no locust): the
per-group table of requests, the recovery time after a fault and the lost/duplicated counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

Sample = tuple[float, str, float, bool]
"""(time, request name, milliseconds, ok)."""


def pct(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def group_of(name: str) -> str:
    """``read: map layer`` → ``read``: the kind before the colon."""
    return name.split(":", 1)[0].strip() if ":" in name else name


def table(samples: Iterable[Sample], start: float, end: float) -> list[dict[str, Any]]:
    """One row per request name and one per kind (``read (all)``, ...) over ``[start, end)``:
    requests, requests/s, p50/p95/p99 in ms (of the successful ones) and errors."""
    rows: dict[str, dict[str, Any]] = {}
    seconds = max(end - start, 1e-9)
    for at, name, ms, ok in samples:
        if not start <= at < end:
            continue
        for key in (name, f"{group_of(name)} (all)"):
            row = rows.setdefault(key, {"name": key, "n": 0, "errors": 0, "ms": []})
            row["n"] += 1
            if ok:
                row["ms"].append(ms)
            else:
                row["errors"] += 1
    out = []
    for key in sorted(rows):
        row = rows[key]
        out.append(
            {
                "name": key,
                "n": row["n"],
                "rate": row["n"] / seconds,
                "p50": pct(row["ms"], 0.50),
                "p95": pct(row["ms"], 0.95),
                "p99": pct(row["ms"], 0.99),
                "errors": row["errors"],
            }
        )
    return out


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'group':<28} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    ]
    for r in rows:
        lines.append(
            f"{r['name']:<28} {r['n']:>9} {r['rate']:>8.1f} {r['p50']:>8.0f} {r['p95']:>8.0f} "
            f"{r['p99']:>8.0f} {r['errors']:>7}"
        )
    return "\n".join(lines)


def recovery(
    fault_at: float,
    until: float,
    calls: dict[str, dict[str, Any]],
    failures: Sequence[tuple[float, str, str]],
    maps: int,
) -> dict[str, float | None]:
    """How long after ``fault_at`` the system worked again (within ``[fault_at, until)``).

    - ``requests``: the last failed request or socket error in the window, after the fault
      (0 when nothing failed);
    - ``maps``: the post time of the first call from which on every call posted in the window
      reached all ``maps`` maps (``None``: the maps had not recovered by ``until``).
    Each in seconds after the fault; ``total`` is the larger.
    """
    failed = [at for at, _name, _error in failures if fault_at <= at < until]
    requests = (max(failed) - fault_at) if failed else 0.0
    posted = sorted(
        (call["posted"], call["seen"] >= maps)
        for call in calls.values()
        if fault_at <= call["posted"] < until and call.get("id") is not None
    )
    recovered_at: float | None = None
    for at, reached in posted:
        if reached and recovered_at is None:
            recovered_at = at
        elif not reached:
            recovered_at = None
    live = None if recovered_at is None else max(recovered_at - fault_at, 0.0)
    total = None if live is None else max(live, requests)
    return {"requests": requests, "maps": live, "total": total}


def calls_lost_and_duplicated(attempted: Iterable[str], stored: dict[str, int]) -> tuple[int, int]:
    """Calls posted (by key) that are not stored, and that are stored more than once."""
    keys = set(attempted)
    lost = sum(1 for key in keys if stored.get(key, 0) == 0)
    duplicated = sum(1 for key in keys if stored.get(key, 0) > 1)
    return lost, duplicated


def positions_lost(sent: dict[str, dict[str, Any]], stored: dict[str, tuple[float, float]]) -> int:
    """Units whose stored position is not the last fix the server acknowledged."""
    return sum(
        1
        for unit, fix in sent.items()
        if stored.get(unit) is None
        or abs(stored[unit][0] - fix["lat"]) > 1e-6
        or abs(stored[unit][1] - fix["lon"]) > 1e-6
    )
