"""``read_osm`` on the real OSM data in ``<repo>/../shared/data`` (skipped when absent)."""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import mapbox_vector_tile
import pytest
from shapely.geometry import Point, shape

from saqshy.algorithms.osm import OsmExtract, OsmReadError, read_osm
from saqshy.algorithms.osm.tiles import tile_to_lonlat

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
ASTANA_TILES = SHARED_DATA / "roads" / "osm-qa-astana"
ALMATY_PBF = SHARED_DATA / "roads" / "almaty_2013.osm.pbf"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(reason=f"shared data absent: {path.resolve()} not found")
    return path


@pytest.fixture(scope="module")
def astana() -> OsmExtract:
    return read_osm(_require(ASTANA_TILES))


@pytest.fixture(scope="module")
def almaty() -> OsmExtract:
    return read_osm(_require(ALMATY_PBF))


def _kinds(extract: OsmExtract) -> collections.Counter[str]:
    return collections.Counter(f.kind for f in extract.facilities)


def test_astana_tiles_counts(astana: OsmExtract) -> None:
    kinds = _kinds(astana)
    assert 85 <= kinds["school"] <= 100
    assert 70 <= kinds["kindergarten"] <= 85
    assert 30 <= kinds["hospital"] <= 36
    assert 12 <= kinds["police_station"] <= 16
    assert kinds["fire_station"] == 2
    assert 10 <= kinds["stadium"] <= 14
    assert kinds["heating_plant"] == 1
    assert len(astana.roads) > 9000
    assert len(astana.buildings) > 28000
    assert astana.water


def test_almaty_pbf_counts(almaty: OsmExtract) -> None:
    kinds = _kinds(almaty)
    assert kinds["school"] == 69
    assert kinds["police_station"] == 40
    assert kinds["fire_station"] == 6
    assert kinds["hospital"] == 51
    assert len(almaty.roads) > 4000
    assert len(almaty.buildings) > 8000


@pytest.mark.parametrize("city", ["astana", "almaty"])
def test_facility_locations_and_footprints(city: str, request: pytest.FixtureRequest) -> None:
    extract: OsmExtract = request.getfixturevalue(city)
    refs = [f.osm_ref for f in extract.facilities]
    assert len(refs) == len(set(refs))
    for facility in extract.facilities:
        assert facility.capacity_source in ("osm", "estimated", "")
        assert (facility.capacity is None) == (facility.capacity_source == "")
        if facility.footprint is not None:
            outline = shape(facility.footprint)
            assert outline.buffer(1e-5).contains(Point(facility.lon, facility.lat))


def test_single_tile_way_keeps_osm_vertex_order(astana: OsmExtract) -> None:
    """A road wholly inside one tile comes back vertex for vertex as the tile stores it."""
    tile = ASTANA_TILES / "12-2860-1368.mvt"
    layer = mapbox_vector_tile.decode(tile.read_bytes(), default_options={"y_coord_down": True})
    extent = layer["osm"]["extent"]
    roads = {r.osm_id: r for r in astana.roads}
    checked = 0
    for feature in layer["osm"]["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        coords = geometry["coordinates"]
        if "highway" not in props or geometry["type"] != "LineString":
            continue
        if any(v in (0, extent) for xy in coords for v in xy):
            continue
        expected = [v for x, y in coords for v in tile_to_lonlat(12, 2860, 1368, x, y, extent)]
        got = [v for point in roads[props["@id"]].coords for v in point]
        assert got == pytest.approx(expected, abs=2e-7)
        assert roads[props["@id"]].oneway == props.get("oneway", "")
        checked += 1
    assert checked > 1000


def test_second_pbf_read_is_identical_and_reports_progress(almaty: OsmExtract) -> None:
    calls: list[tuple[int, int]] = []
    again = read_osm(_require(ALMATY_PBF), lambda done, total: calls.append((done, total)))
    assert again == almaty
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1] > 80_000
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_truncated_pbf(tmp_path: Path) -> None:
    cut = tmp_path / "almaty_first_50k.osm.pbf"
    cut.write_bytes(_require(ALMATY_PBF).read_bytes()[:50_000])
    with pytest.raises(OsmReadError, match=r"almaty_first_50k\.osm\.pbf.*truncated"):
        read_osm(cut)


def test_one_corrupt_tile_among_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "tiles"
    folder.mkdir()
    shutil.copy(_require(ASTANA_TILES) / "12-2859-1366.mvt", folder)
    (folder / "12-2859-1367.mvt").write_bytes(b"\x1a\xff\xff\xff garbage")
    with pytest.raises(OsmReadError, match=r"12-2859-1367\.mvt"):
        read_osm(folder)


def test_astana_addresses_and_names(astana: OsmExtract) -> None:
    """Buildings keep ``addr:street``/``addr:housenumber``; roads their names per language."""
    addressed = [b for b in astana.buildings if b.housenumber and b.street]
    assert len(addressed) > 20000
    assert any(b.street == "проспект Кабанбай Батыра" for b in addressed)
    assert all(not b.housenumber or b.housenumber.strip() == b.housenumber for b in addressed)
    languages = collections.Counter(lang for road in astana.roads for lang in road.names)
    assert languages["ru"] > 100 and languages["en"] > 50 and languages["kk"] > 10
    assert astana.places and all(p.name for p in astana.places)
