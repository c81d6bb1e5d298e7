"""evaluate_forecast and forecast: synthetic CSV, Parquet, bad input, the Astana evaluation."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

# The commands check the points against the regions in the database (swapped columns).
pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
ASTANA = SHARED / "data" / "incidents" / "astana_road_accidents_2011_2026.parquet"


def _synthetic_rows(seed: int = 1) -> list[tuple[float, float, str]]:
    """Three years of events: most at two fixed places in Astana, the rest scattered."""
    rng = np.random.default_rng(seed)
    hot = [(51.1280, 71.4300), (51.1600, 71.4700)]
    rows = []
    start = dt.datetime(2022, 1, 1, 8, 0)
    for i in range(900):
        when = start + dt.timedelta(days=int(rng.integers(0, 3 * 365)), hours=int(i % 12))
        if rng.random() < 0.7:
            lat, lon = hot[int(rng.integers(0, 2))]
            lat, lon = lat + rng.normal(0, 0.0003), lon + rng.normal(0, 0.0004)
        else:
            lat, lon = 51.10 + rng.random() * 0.1, 71.35 + rng.random() * 0.2
        rows.append((round(lat, 6), round(lon, 6), when.strftime("%Y-%m-%dT%H:%M")))
    return rows


@pytest.fixture
def events_csv(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["latitude", "longitude", "when", "note"])
        for lat, lon, when in _synthetic_rows():
            writer.writerow([lat, lon, when, "x"])
    return path


def _evaluate(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate_forecast", *args, stdout=out, skip_checks=True)
    return out.getvalue()


def _rows(table: str, header: str = "| model") -> dict[str, list[str]]:
    """The rows of the table whose header starts with ``header``, by their first cell."""
    rows: dict[str, list[str]] = {}
    inside = False
    for line in table.splitlines():
        if line.startswith(header):
            inside = True
        elif inside and not line.startswith("|"):
            break
        elif inside and line.startswith("| "):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


COLUMNS = ["--lat-col", "latitude", "--lon-col", "longitude", "--time-col", "when"]


def test_evaluate_prints_every_model_on_a_csv(events_csv: Path) -> None:
    table = _evaluate("--csv", str(events_csv), *COLUMNS, "--train-until", "2023-12-31")
    rows = _rows(table)
    assert set(rows) == {"counts", "last_year", "kde_scott", "kde", "prospective", "perfect"}
    for name, cells in rows.items():
        hit_rates = [float(c) for c in cells[:6]]
        assert all(0 <= h <= 1 for h in hit_rates), name
        assert hit_rates[0] <= hit_rates[1] <= hit_rates[2]
        assert hit_rates[3] <= hit_rates[4] <= hit_rates[5]
    # Two fixed hotspots hold ~70 % of the events: counts catch most of them at 1 km².
    assert float(rows["counts"][3]) > 0.5
    assert float(rows["perfect"][3]) >= float(rows["counts"][3])
    assert "2024-01-01 – 2024-12-30" in table  # one year after --train-until
    margins = _rows(table, "| area")
    assert [cells[0] for cells in margins.values()] and set(margins) == {
        "1%",
        "5%",
        "10%",
        "1km2",
        "5km2",
        "25km2",
    }


def test_evaluate_reads_parquet_with_epoch_times_and_another_crs(tmp_path: Path) -> None:
    from pyproj import Transformer

    rows = _synthetic_rows()
    to_mercator = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    x, y = to_mercator.transform([r[1] for r in rows], [r[0] for r in rows])
    epoch_ms = [
        int(dt.datetime.fromisoformat(r[2]).replace(tzinfo=dt.UTC).timestamp() * 1000) for r in rows
    ]
    path = tmp_path / "events.parquet"
    pq.write_table(pa.table({"x": x, "y": y, "t": epoch_ms}), path)
    args = ["--lat-col", "y", "--lon-col", "x", "--time-col", "t", "--crs", "EPSG:3857"]
    parquet = _rows(
        _evaluate("--csv", str(path), *args, "--tz", "UTC", "--train-until", "2023-12-31")
    )
    events_csv = tmp_path / "same.csv"
    with events_csv.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["latitude", "longitude", "when"])
        writer.writerows(rows)
    plain = _rows(_evaluate("--csv", str(events_csv), *COLUMNS, "--train-until", "2023-12-31"))
    assert parquet["counts"][:6] == plain["counts"][:6]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lat-col", "lat", "--lon-col", "longitude", "--time-col", "when"], "no column 'lat'"),
        ([*COLUMNS, "--train-until", "2030-01-01"], "No events in the test period"),
        ([*COLUMNS, "--train-until", "2001-01-01"], "No events in the training period"),
        ([*COLUMNS, "--train-until", "31/12/2023"], "is not a date"),
        ([*COLUMNS, "--cell", "0"], "--cell"),
        (["--lat-col", "latitude", "--lon-col", "longitude", "--time-col", "note"], "Row 1"),
        (["--lat-col", "longitude", "--lon-col", "when", "--time-col", "latitude"], "numeric"),
    ],
)
def test_bad_input_is_a_clear_error(events_csv: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _evaluate("--csv", str(events_csv), *args)


def test_forecast_writes_the_surface(events_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "surface.csv"
    args = ["--csv", str(events_csv), *COLUMNS, "--train-until", "2023-12-31"]
    call_command(
        "forecast",
        *args,
        "--model",
        "counts",
        "--out",
        str(out),
        stdout=io.StringIO(),
        skip_checks=True,
    )
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert set(rows[0]) == {"lat", "lon", "cell_m", "score"}
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-5)
    assert {r["cell_m"] for r in rows} == {"250"}
    top = rows[0]
    assert min(abs(float(top["lat"]) - 51.128), abs(float(top["lat"]) - 51.16)) < 0.003


def test_forecast_with_bad_input_writes_nothing(events_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "surface.csv"
    with pytest.raises(CommandError):
        call_command(
            "forecast",
            "--csv",
            str(events_csv),
            *COLUMNS,
            "--train-until",
            "2001-01-01",
            "--out",
            str(out),
            stdout=io.StringIO(),
            skip_checks=True,
        )
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


@pytest.mark.skipif(not ASTANA.exists(), reason=f"shared data absent: {ASTANA} not found")
def test_astana_accidents_end_to_end() -> None:
    """The reference hit rates (its run time is measured by benchmarks/evaluate_forecast.py)."""
    table = _evaluate(
        "--csv",
        str(ASTANA),
        "--lat-col",
        "y",
        "--lon-col",
        "x",
        "--time-col",
        "rta_date",
        "--crs",
        "EPSG:3857",
        "--tz",
        "+06:00",
        "--train-until",
        "2025-06-30",
    )
    rows = _rows(table)
    hr = {name: [float(c) for c in cells[:6]] for name, cells in rows.items()}
    # Reference (../shared/docs/NORMS.md, 1 % of the convex hull): Scott 0.325, counts 0.558.
    assert hr["kde_scott"][0] == pytest.approx(0.325, abs=0.01)
    assert hr["counts"][0] == pytest.approx(0.558, abs=0.01)
    best_baseline_5pct = max(hr["counts"][1], hr["kde"][1])
    best_baseline_5km2 = max(hr["counts"][4], hr["kde"][4])
    assert hr["prospective"][1] > best_baseline_5pct
    assert hr["prospective"][4] > best_baseline_5km2
    assert all(hr["perfect"][i] >= hr["prospective"][i] for i in range(6))
    # The margins table: the difference to the best baseline, inside its bootstrap interval.
    margins = _rows(table, "| area")
    assert set(margins) == {"1%", "5%", "10%", "1km2", "5km2", "25km2"}
    baseline, baseline_hr, model_hr, difference, interval = margins["5%"]
    assert baseline in {"counts", "last_year", "kde"}
    assert float(model_hr) == hr["prospective"][1]
    assert float(difference) == pytest.approx(float(model_hr) - float(baseline_hr), abs=0.0011)
    low, high = (float(v) for v in interval.strip("[]").split(","))
    assert low <= float(difference) <= high
    assert low > 0  # at 5 % of the area the margin is more than noise


def _write(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _as_utc(when: str) -> dt.datetime:
    return dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "write_time",
    [
        pytest.param(lambda w: _as_utc(w).strftime("%Y/%m/%d %H:%M:%S+00"), id="slashes+00"),
        pytest.param(
            lambda w: _as_utc(w).astimezone(dt.timezone(dt.timedelta(hours=6))).isoformat(),
            id="iso-offset",
        ),
        pytest.param(lambda w: str(int(_as_utc(w).timestamp())), id="epoch-s"),
        pytest.param(lambda w: str(int(_as_utc(w).timestamp() * 1000)), id="epoch-ms"),
    ],
)
def test_real_world_time_formats_read_alike(tmp_path: Path, write_time: Any) -> None:
    rows = _synthetic_rows()
    plain = _write(tmp_path / "plain.csv", ["latitude", "longitude", "when"], rows)
    other = _write(
        tmp_path / "other.csv",
        ["latitude", "longitude", "when"],
        [[lat, lon, write_time(when)] for lat, lon, when in rows],
    )
    args = [*COLUMNS, "--train-until", "2023-12-31", "--tz", "UTC"]
    expected = _rows(_evaluate("--csv", str(plain), *args))
    assert _rows(_evaluate("--csv", str(other), *args))["counts"] == expected["counts"]


def test_dropped_rows_are_counted_by_reason(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(r) for r in _synthetic_rows()]
    rows[0][0] = ""
    rows[1][1] = "n/a"
    rows[2][2] = ""
    rows[3][2] = "yesterday"
    rows[4][2] = "2023-02-30 10:00"
    path = _write(tmp_path / "e.csv", ["latitude", "longitude", "when"], rows)
    out = _evaluate("--csv", str(path), *COLUMNS, "--train-until", "2023-12-31")
    assert (
        "Dropped 5 of 900 rows: 2 missing or non-numeric coordinate, 1 missing time, "
        "2 unreadable time." in out
    )


def test_swapped_coordinates_are_refused_naming_the_columns(tmp_path: Path) -> None:
    from saqshy.demo import loader

    loader.load_regions()
    rows = _synthetic_rows()
    path = _write(tmp_path / "e.csv", ["a", "b", "when"], [[lon, lat, w] for lat, lon, w in rows])
    args = ["--lat-col", "a", "--lon-col", "b", "--time-col", "when"]
    with pytest.raises(CommandError, match="--lat-col a and --lon-col b swapped"):
        _evaluate("--csv", str(path), *args, "--train-until", "2023-12-31")
    fixed = ["--lat-col", "b", "--lon-col", "a", "--time-col", "when"]
    assert _rows(_evaluate("--csv", str(path), *fixed, "--train-until", "2023-12-31"))


def test_the_grid_covers_the_training_events_only(tmp_path: Path) -> None:
    rows = _synthetic_rows()
    far = [(51.60, 72.20, f"2024-0{m}-10T10:00") for m in range(1, 7)]
    path = _write(tmp_path / "e.csv", ["latitude", "longitude", "when"], [*rows, *far])
    table = _evaluate("--csv", str(path), *COLUMNS, "--train-until", "2023-12-31")
    alone = _evaluate(
        "--csv",
        str(_write(tmp_path / "t.csv", ["latitude", "longitude", "when"], rows)),
        *COLUMNS,
        "--train-until",
        "2023-12-31",
    )
    grid_line = next(line for line in table.splitlines() if line.startswith("Grid"))
    alone_line = next(line for line in alone.splitlines() if line.startswith("Grid"))
    assert grid_line.split(".")[0] == alone_line.split(".")[0]  # same CRS, cells and size
    assert "6 test events lie outside the grid" in table
    assert float(_rows(table)["perfect"][5]) < float(_rows(alone)["perfect"][5])
