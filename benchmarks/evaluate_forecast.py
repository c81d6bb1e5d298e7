"""``evaluate_forecast`` on the Astana road accidents (2011–2026), against the 60 s budget.

Runs the command end to end (read the Parquet file, grid, fit and score every model, bootstrap
the margins) and prints the wall time per run. Prints a table; asserts nothing.

Usage: ``DEBUG=true .venv/bin/python benchmarks/evaluate_forecast.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASTANA = ROOT.parent / "shared" / "data" / "incidents" / "astana_road_accidents_2011_2026.parquet"
BUDGET_S = 60.0
ARGS = [
    "--lat-col", "y", "--lon-col", "x", "--time-col", "rta_date", "--crs", "EPSG:3857",
    "--tz", "+06:00", "--train-until", "2025-06-30",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--csv", type=Path, default=ASTANA)
    options = parser.parse_args()
    if not options.csv.exists():
        sys.exit(f"missing {options.csv}")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
    import django

    django.setup()
    from django.core.management import call_command

    times = []
    for _ in range(options.runs):
        started = time.perf_counter()
        call_command(
            "evaluate_forecast", "--csv", str(options.csv), *ARGS, stdout=io.StringIO(),
            skip_checks=True,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
    print("| runs | median s | max s | budget s |")
    print("|---|---|---|---|")
    print(f"| {len(times)} | {statistics.median(times):.1f} | {max(times):.1f} | {BUDGET_S:.0f} |")


if __name__ == "__main__":
    main()
