"""The bundled winter hours (gusts, snowfall) are exactly what the bundle derives."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from saqshy.demo import weather as demo_weather

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data"


def test_the_winter_file_is_what_the_bundle_derives() -> None:
    if not (SHARED / demo_weather.WEATHER_SOURCE).exists():
        pytest.skip(reason=f"shared data absent: {SHARED / demo_weather.WEATHER_SOURCE} not found")
    first, summary = demo_weather.winters_csv(SHARED)
    second, _ = demo_weather.winters_csv(SHARED)
    assert first == second
    assert first == (ROOT / "data" / demo_weather.WINTERS_FILE).read_bytes()
    assert summary["coldest"] < -30
    assert summary["strongest_gust"] > 72


def test_the_winter_file_holds_winter_months_with_gusts_and_snowfall() -> None:
    path = ROOT / "data" / demo_weather.WINTERS_FILE
    assert path.stat().st_size < 300_000
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == demo_weather.WINTERS_COLUMNS
    months = {int(row["at"][5:7]) for row in rows}
    assert months == set(demo_weather.WINTER_MONTHS)
    assert any(float(row["snowfall_cm"]) > 0 for row in rows)
    assert all(float(row["gusts_kmh"]) >= 0 for row in rows)
    # The older reader of the New Year window still works.
    assert len(demo_weather.read_weather(ROOT / "data" / demo_weather.WEATHER_FILE)) == 264
