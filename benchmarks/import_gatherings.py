"""Import of a 1,000-event XLSX on SQLite, against the 10 s budget (issue 3).

Each repetition migrates a fresh SQLite database in a temporary folder, creates five venues
and a planner, writes the XLSX, and times ``import_gatherings`` (read, validate every row,
insert, audit) end to end. Prints a table; asserts nothing.

Usage: ``DEBUG=true .venv/bin/python benchmarks/import_gatherings.py [--rows 1000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 10.0


def one_run(rows: int) -> float:
    """Time one import in a child process with its own fresh database."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{folder}/b.sqlite3",
            "DJANGO_SETTINGS_MODULE": "saqshy.settings",
        }
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
            env=env,
            check=True,
            cwd=ROOT,
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(rows), folder],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return float(out.stdout.strip().splitlines()[-1])


def child(rows: int, folder: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from saqshy.core.testing.personas import make_personas
    from saqshy.facilities.tests.factories import FacilityFactory
    from saqshy.gatherings.importer import import_gatherings
    from saqshy.gatherings.tests.files import event_rows, write_xlsx

    personas = make_personas()
    refs = [f"way/{n}" for n in range(5)]
    for ref in refs:
        FacilityFactory(region=personas.almaty, osm_ref=ref)
    start = (timezone.localtime() + dt.timedelta(days=20)).replace(tzinfo=None, microsecond=0)
    path = write_xlsx(Path(folder) / "events.xlsx", event_rows(refs, rows, start))
    started = time.perf_counter()
    with path.open("rb") as data:
        result = import_gatherings(acting_user=personas.planner_almaty, name=path.name, data=data)
    elapsed = time.perf_counter() - started
    assert result.ok and result.created == rows, result.errors[:3]
    print(f"{elapsed:.4f}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = sorted(one_run(args.rows) for _ in range(args.runs))
    median = statistics.median(times)
    print(
        f"{'rows':>6} {'runs':>5} {'median s':>9} {'min s':>7} {'max s':>7} {'budget s':>9} "
        f"{'median/budget':>14} {'rows/s':>8}"
    )
    print(
        f"{args.rows:>6} {args.runs:>5} {median:>9.2f} {times[0]:>7.2f} {times[-1]:>7.2f} "
        f"{BUDGET_S:>9.1f} {median / BUDGET_S:>14.3f} {args.rows / median:>8.0f}"
    )


if __name__ == "__main__":
    main()
