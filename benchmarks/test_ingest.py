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
            "--pace", "1000", "--alarms-every", "20", "--storm-seconds", "2",
            "--storm-repeat-after", "1", "--fault-messages", "1500", "--fault-rate", "500",
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
    # Every device is installed in a home of its own.
    assert re.search(r"^homes: 200 installed", out, re.MULTILINE), out
    # Alarm→map: every 20th of the 300 paced messages an alarm from its own home: 15 alarms,
    # each opened an incident, whose live push reached the map (when Redis is there).
    alarm_map = out.split("Alarm→map", 1)[1].splitlines()[2].split()
    assert alarm_map[:3] == ["1", "15", "15"], out
    if "publish→map: not measured" not in out:
        assert alarm_map[3] == "15", out
    # Storm: 200 first alarms + 20 second ones acknowledged, stored, distinct, handled; no
    # handler called twice; one incident per home, the second alarms joined theirs.
    storm_lines = out.split("Alarm storm:", 1)[1].splitlines()
    storm = storm_lines[2].split()
    assert storm[:4] == ["220", "220", "220", "220"], out
    assert storm[-2:] == ["220", "0"], out
    incidents = storm_lines[4].split()
    assert incidents[:5] == ["200", "200", "200", "20", "1"], out
    # The region's dispatcher fetched the incidents page and the API list meanwhile.
    desk = {line.split()[0]: line.split() for line in storm_lines[7:9]}
    assert set(desk) == {"page", "api"}, out
    assert all(int(row[1]) >= 1 and row[-1] == "0" for row in desk.values()), out
    # Faults: the run completes, with its table (acked, unacked, stored, lost, ...).
    faults = out.split("\nFaults (2 consumers, one shared group):", 1)[1].splitlines()
    assert "kill -9 consumer c0" in faults[0]
    assert "broker restarted" in faults[0]
    assert int(faults[2].split()[0]) + int(faults[2].split()[1]) == 1500, out
