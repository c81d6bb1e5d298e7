"""Smoke test of ``benchmarks/ingest.py``: a tiny run end to end, counts checked, no timings.

The benchmark starts its own Mosquitto and PostgreSQL cluster (it empties tables and restarts
both), so it needs the ``mosquitto`` and PostgreSQL server binaries, not running services.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_parts import OwnPostgres

SCRIPT = Path(__file__).resolve().parent / "ingest.py"
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("mqtt")]


def _missing() -> str | None:
    if not shutil.which("mosquitto") and not Path("/usr/sbin/mosquitto").exists():
        return "no mosquitto binary (the benchmark starts a broker of its own)"
    if not OwnPostgres.available():
        return "no PostgreSQL server binaries (initdb) for the benchmark's own cluster"
    return None


def test_a_tiny_run_stores_every_acknowledged_message_once() -> None:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; CI must run this test")
        pytest.skip(reason=missing)
    done = subprocess.run(
        [
            sys.executable, str(SCRIPT), "--database-url", "own", "--messages", "300",
            "--runs", "1", "--devices", "200", "--sites", "5", "--map-every", "20",
            "--storm-seconds", "2", "--fault-messages", "1500", "--fault-rate", "500",
            "--patience", "120",
        ],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    # Sustained: every acknowledged message stored (300 of 300), bare subscriber alongside.
    sustained = re.search(r"^\s+1\s+\d+\s+(\d+)/(\d+)\s", out, re.MULTILINE)
    assert sustained, out
    assert sustained.groups() == ("300", "300")
    # Storm: 200 alarms acknowledged, stored, distinct, handled; no handler called twice.
    storm = out.split("Alarm storm:", 1)[1].splitlines()[2].split()
    assert storm[:4] == ["200", "200", "200", "200"], out
    assert storm[-1] == "0"
    # Faults: the run completes, with its table (acked, unacked, stored, lost, ...).
    faults = out.split("\nFaults (2 consumers, one shared group):", 1)[1].splitlines()
    assert "kill -9 consumer c0" in faults[0]
    assert "broker restarted" in faults[0]
    assert int(faults[2].split()[0]) + int(faults[2].split()[1]) == 1500, out
