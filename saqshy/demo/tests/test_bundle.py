"""The committed bundle in data/ is exactly what build_bundle derives from ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from saqshy.demo.bundle import build_bundle

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data"
FILES = [
    "regions.geojson",
    "districts.geojson",
    "ATTRIBUTION.md",
    "facilities/astana.geojson",
    "facilities/almaty.geojson",
    "basemap/astana.geojson.gz",
    "basemap/almaty.geojson.gz",
    "incidents/astana_accidents.csv.gz",
    "roads/kz_highways.geojson",
    "weather/astana_winters_hourly.csv.gz",
    "cap/CAP-v1.2.xsd",
]


def test_bundle_is_reproducible_from_the_shared_data(tmp_path: Path) -> None:
    if not (SHARED / "boundaries").is_dir():
        pytest.skip(reason=f"shared data absent: {SHARED} not found")
    counts = build_bundle(SHARED, tmp_path)
    assert counts["regions"] == 20
    assert counts["districts"] == 224
    for name in FILES:
        built, committed = tmp_path / name, ROOT / "data" / name
        assert built.read_bytes() == committed.read_bytes(), (
            f"data/{name} differs from what build_bundle derives; run `make bundle`"
        )
    assert (ROOT / "data" / "ATTRIBUTION.md").read_text().count("OpenStreetMap") >= 1
    assert built_attribution_names_the_accident_source(tmp_path)


def built_attribution_names_the_accident_source(built: Path) -> bool:
    return "legal-statistics" in (built / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_accident_file_holds_real_cards_inside_astana() -> None:
    """Every row has a valid local time and a position in Astana; the file stays small."""
    import csv
    import datetime as dt
    import gzip
    import json

    import shapely
    from shapely.geometry import Point, shape

    regions = json.loads((ROOT / "data" / "regions.geojson").read_text(encoding="utf-8"))
    [astana] = [
        shape(f["geometry"]) for f in regions["features"] if f["properties"]["slug"] == "astana"
    ]
    shapely.prepare(astana)
    path = ROOT / "data" / "incidents" / "astana_accidents.csv.gz"
    assert path.stat().st_size < 1_000_000
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 12_000
    assert list(rows[0]) == ["at", "lat", "lon", "injured", "killed", "surface", "light", "weather"]
    times = [dt.datetime.strptime(row["at"], "%Y-%m-%dT%H:%M") for row in rows]
    assert times == sorted(times)
    assert times[0].year == 2011 and times[-1].year == 2026
    for row in rows:
        assert astana.contains(Point(float(row["lon"]), float(row["lat"])))
        assert row["surface"] in {
            "",
            "dry",
            "wet",
            "snowy",
            "icy",
            "packed_snow",
            "treated",
            "other",
        }
        assert row["light"] in {"", "day", "twilight", "night"}
    assert sum(int(row["killed"]) for row in rows) > 100  # fatal accidents are recorded
