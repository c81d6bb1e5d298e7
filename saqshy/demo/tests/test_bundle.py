"""The committed bundle in data/ is exactly what build_bundle derives from ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from saqshy.demo.bundle import build_bundle

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data"
FILES = [
    "regions.geojson",
    "facilities/astana.geojson",
    "facilities/almaty.geojson",
    "basemap/astana.geojson.gz",
    "basemap/almaty.geojson.gz",
]


def test_bundle_is_reproducible_from_the_shared_data(tmp_path: Path) -> None:
    if not (SHARED / "boundaries").is_dir():
        pytest.skip(reason=f"shared data absent: {SHARED} not found")
    counts = build_bundle(SHARED, tmp_path)
    assert counts["regions"] == 20
    for name in FILES:
        built, committed = tmp_path / name, ROOT / "data" / name
        assert built.read_bytes() == committed.read_bytes(), (
            f"data/{name} differs from what build_bundle derives; run `make bundle`"
        )
    assert (ROOT / "data" / "ATTRIBUTION.md").read_text().count("OpenStreetMap") >= 1
