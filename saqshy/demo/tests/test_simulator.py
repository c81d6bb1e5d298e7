"""The New Year's Eve simulator against a real server: a short seeded night over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from saqshy.core.testing.live import ROOT, live_server

SEED = """
from saqshy.demo import loader
from saqshy.demo.units import load_units
loader.load_regions(); loader.load_people(); loader.load_facilities("astana")
load_units("astana")
"""


def _get(url: str, token: str, path: str) -> Any:
    request = urllib.request.Request(f"{url}{path}", headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _token(url: str, username: str) -> str:
    body = json.dumps({"username": username, "password": "saqshy-demo-2026"}).encode()
    request = urllib.request.Request(
        f"{url}/api/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["token"])


@pytest.mark.xdist_group("live_server")
def test_a_short_night_reports_dispatches_moves_and_closes(tmp_path: Path) -> None:
    with live_server(tmp_path, SEED) as url:
        run = subprocess.run(
            [
                sys.executable, str(ROOT / "manage.py"), "simulate_nye", "--url", url,
                "--fast", "--ticks", "90", "--speed", "30", "--start", "23:40", "--seed", "7",
                "--wait", "60", "-v", "0",
            ],
            env={**_server_env(tmp_path)},
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-3000:]
        stats = json.loads(run.stdout.strip().split("simulator: ", 1)[1])
        token = _token(url, "duty_astana")
        incidents = _get(url, token, "/api/incidents/?page_size=1000")["results"]
        units = _get(url, token, "/api/units/?page_size=1000")["results"]

    assert stats["errors"] == 0, run.stderr[-3000:]
    assert stats["reported"] == len(incidents) >= 15
    statuses = {incident["status"] for incident in incidents}
    assert "closed" in statuses and statuses & {"dispatched", "en_route", "on_scene"}
    assert sum(1 for i in incidents if i["type"] == "traffic_accident") >= 1
    assert stats["dispatched_units"] >= 10 and stats["advanced"] >= 10 and stats["closed"] >= 3
    assert stats["positions"] >= 100 and stats["units_home"] >= 1
    # Units really moved: some are away from their station now or were on their way back.
    moved = [u for u in units if u["position_at"] and u["status"] != "available"]
    assert moved, "no unit is out on a call"
    closed = [i for i in incidents if i["status"] == "closed"]
    assert all(i["dispatched_at"] and i["on_scene_at"] for i in closed)
    assert all(i["assignments"] for i in closed)


def _server_env(work: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "SAQSHY_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "saqshy.settings",
    }
