"""``import_osm`` on the real OSM files in ../shared/data (skipped where they are absent)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.facilities.models import Facility

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
ALMATY_PBF = SHARED / "roads" / "almaty_2013.osm.pbf"
ASTANA_TILES = SHARED / "roads" / "osm-qa-astana"


@pytest.fixture(autouse=True)
def _regions_and_var(settings: object, tmp_path: Path) -> None:
    if not ALMATY_PBF.exists():
        pytest.skip(reason=f"shared data absent: {ALMATY_PBF} not found")
    settings.VAR_DIR = tmp_path
    loader.load_regions()


def _import(path: Path, region: str = "almaty") -> str:
    out = StringIO()
    call_command("import_osm", str(path), region=region, no_progress=True, stdout=out)
    return out.getvalue()


def _state() -> tuple[int, int, list[tuple[str, str, int | None]]]:
    rows = list(Facility.objects.order_by("osm_ref").values_list("osm_ref", "name", "capacity"))
    return Facility.objects.count(), AuditEntry.objects.count(), rows


def test_almaty_twice_leaves_the_same_facilities(tmp_path: Path) -> None:
    first = _import(ALMATY_PBF)
    after_first = _state()
    assert after_first[0] > 100
    assert "School" in first and "Fire station" in first
    assert Facility.objects.filter(kind="fire_station").count() >= 4
    second = _import(ALMATY_PBF)
    assert "0 created, 0 updated" in second
    assert _state() == after_first
    assert (tmp_path / "basemap" / "almaty.geojson.gz").stat().st_size > 10_000
    from saqshy.accounts.models import Region
    from saqshy.accounts.roads import graph_for

    graph = graph_for(Region.objects.get(slug="almaty"))
    assert graph.node_count > 10_000, "import_osm builds the region's road graph"


def test_truncated_file_fails_clearly_and_changes_nothing(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.osm.pbf"
    truncated.write_bytes(ALMATY_PBF.read_bytes()[:50_000])
    before = _state()
    with pytest.raises(CommandError, match=r"truncated\.osm\.pbf"):
        _import(truncated)
    assert _state() == before
    assert not (tmp_path / "basemap").exists()


def test_non_osm_file_fails_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.osm.pbf"
    bogus.write_text("these are not the droids you are looking for\n" * 50)
    before = _state()
    with pytest.raises(CommandError, match=r"notes\.osm\.pbf"):
        _import(bogus)
    with pytest.raises(CommandError):
        _import(tmp_path / "missing.osm.pbf")
    assert _state() == before


def test_unknown_region_is_named() -> None:
    with pytest.raises(CommandError, match="unknown region 'atlantis'"):
        _import(ALMATY_PBF, region="atlantis")


def test_astana_tiles_import() -> None:
    if not ASTANA_TILES.is_dir():
        pytest.skip(reason=f"shared data absent: {ASTANA_TILES} not found")
    output = _import(ASTANA_TILES, region="astana")
    assert Facility.objects.filter(region__slug="astana", kind="school").count() > 50
    assert "Police station" in output
