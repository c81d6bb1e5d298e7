"""``read_osm`` on small synthetic inputs: a PBF written with pyosmium, tiles encoded here.

Also the error contract: anything unreadable raises ``OsmReadError`` naming the file.
"""

from __future__ import annotations

from pathlib import Path

import mapbox_vector_tile
import osmium
import pytest
from osmium.osm.mutable import Node, Relation, Way
from shapely.geometry import LineString, Point, Polygon, shape

from saqshy.algorithms.osm import OsmReadError, basemap_features, read_osm
from saqshy.algorithms.osm.tiles import tile_to_lonlat


@pytest.fixture()
def small_pbf(tmp_path: Path) -> Path:
    """A square building (way 10) that a school multipolygon (relation 20) wraps, a police
    node inside it, a separate clinic point in a building of its own, a one-way road and a
    river."""
    path = tmp_path / "small.osm.pbf"
    corners = [(71.400, 51.100), (71.401, 51.100), (71.401, 51.101), (71.400, 51.101)]
    far = [(71.410, 51.100), (71.4105, 51.100), (71.4105, 51.1005), (71.410, 51.1005)]
    with osmium.SimpleWriter(str(path)) as writer:
        for i, loc in enumerate(corners + far, start=1):
            writer.add_node(Node(id=i, location=loc, tags={}))
        writer.add_node(Node(id=9, location=(71.4005, 51.1005), tags={"amenity": "police"}))
        clinic = {"amenity": "clinic", "name": "Emhana", "addr:street": "Абая", "capacity": "40"}
        writer.add_node(Node(id=12, location=(71.4102, 51.1002), tags=clinic))
        writer.add_node(Node(id=13, location=(71.39, 51.09), tags={}))
        writer.add_node(Node(id=14, location=(71.38, 51.08), tags={}))
        writer.add_way(Way(id=10, nodes=[1, 2, 3, 4, 1], tags={"building": "yes"}))
        writer.add_way(
            Way(id=11, nodes=[5, 6, 7, 8, 5], tags={"building": "yes", "building:levels": "3"})
        )
        road = {"highway": "primary", "oneway": "-1", "maxspeed": "60", "name": "Абая"}
        writer.add_way(Way(id=30, nodes=[4, 3, 2], tags=road))
        writer.add_way(Way(id=31, nodes=[13, 14, 99], tags={"waterway": "river", "name": "Есіл"}))
        school = {"type": "multipolygon", "amenity": "school", "name": "Школа № 1"}
        writer.add_relation(Relation(id=20, members=[("w", 10, "outer")], tags=school))
    return path


def test_pbf_records(small_pbf: Path) -> None:
    calls: list[tuple[int, int]] = []
    extract = read_osm(small_pbf, lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] > 0
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    by_ref = {f.osm_ref: f for f in extract.facilities}
    assert sorted(by_ref) == ["node/12", "node/9", "relation/20"]
    school = by_ref["relation/20"]
    assert school.kind == "school" and school.name == "Школа № 1"
    assert school.footprint is not None
    assert shape(school.footprint).contains(Point(school.lon, school.lat))
    assert school.capacity_source == "estimated" and school.capacity
    clinic = by_ref["node/12"]
    assert (clinic.capacity, clinic.capacity_source, clinic.address) == (40, "osm", "Абая")
    assert clinic.footprint == next(b.geometry for b in extract.buildings if b.osm_ref == "way/11")
    assert clinic.storeys == 3
    assert by_ref["node/9"].footprint is None
    (road,) = extract.roads
    assert (road.osm_id, road.oneway, road.maxspeed) == (30, "-1", "60")
    assert road.coords == ((71.4, 51.101), (71.401, 51.101), (71.401, 51.1))
    (river,) = extract.water
    assert (river.osm_ref, river.kind, river.geometry["type"]) == ("way/31", "river", "LineString")
    assert [b.osm_ref for b in extract.buildings] == ["way/10", "way/11"]


def _encode(features: list[tuple[object, dict[str, object]]], extent: int = 4096) -> bytes:
    layer = {"name": "osm", "features": [{"geometry": g, "properties": p} for g, p in features]}
    data: bytes = mapbox_vector_tile.encode(
        [layer], default_options={"extents": extent, "y_coord_down": True}
    )
    return data


def test_tiles_stitch_roads_and_union_polygons(tmp_path: Path) -> None:
    road = {"@id": 5, "@type": "way", "highway": "primary", "oneway": "yes"}
    mall = {"@id": 6, "@type": "way", "shop": "mall", "building": "yes", "name": "Хан Шатыр"}
    police = {"@id": 7, "@type": "node", "amenity": "police", "@user": "x"}
    west = _encode(
        [
            (LineString([(1000, 1000), (3000, 1500), (4096, 2000)]), road),
            (Polygon([(3000, 3000), (4096, 3000), (4096, 3500), (3000, 3500)]), mall),
            (Point(100, 100), police),
        ]
    )
    east = _encode(
        [
            (LineString([(0, 2000), (2000, 3000)]), road),
            (Polygon([(0, 3000), (500, 3000), (500, 3500), (0, 3500)]), mall),
        ]
    )
    (tmp_path / "12-2860-1367.mvt").write_bytes(west)
    (tmp_path / "12-2861-1367.mvt").write_bytes(east)
    (tmp_path / "README.txt").write_text("not a tile")
    calls: list[tuple[int, int]] = []
    extract = read_osm(tmp_path, lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    (line,) = extract.roads
    expected = [
        tile_to_lonlat(12, 2860, 1367, 1000, 1000, 4096),
        tile_to_lonlat(12, 2860, 1367, 3000, 1500, 4096),
        tile_to_lonlat(12, 2861, 1367, 2000, 3000, 4096),
    ]
    assert len(line.coords) == 3
    for got, want in zip(line.coords, expected, strict=True):
        assert got == pytest.approx(want, abs=2e-7)
    assert line.oneway == "yes"
    kinds = {f.osm_ref: f.kind for f in extract.facilities}
    assert kinds == {"node/7": "police_station", "way/6": "mall"}
    mall_record = next(f for f in extract.facilities if f.osm_ref == "way/6")
    assert mall_record.footprint is not None and mall_record.footprint["type"] == "Polygon"
    assert "@user" not in next(f for f in extract.facilities if f.osm_ref == "node/7").tags


def test_missing_path() -> None:
    with pytest.raises(OsmReadError, match=r"nowhere\.osm\.pbf"):
        read_osm("/nonexistent/nowhere.osm.pbf")


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(OsmReadError, match=r"no Z-X-Y\.mvt tiles"):
        read_osm(tmp_path)


def test_garbage_tile(tmp_path: Path) -> None:
    (tmp_path / "12-1-1.mvt").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(OsmReadError, match=r"12-1-1\.mvt.*corrupt"):
        read_osm(tmp_path)


def test_tile_without_osm_ids(tmp_path: Path) -> None:
    (tmp_path / "12-1-1.mvt").write_bytes(_encode([(Point(1, 1), {"name": "x"})]))
    with pytest.raises(OsmReadError, match="not an OSM QA tile"):
        read_osm(tmp_path)


def test_badly_named_tile(tmp_path: Path) -> None:
    (tmp_path / "astana.mvt").write_bytes(b"")
    with pytest.raises(OsmReadError, match=r"astana\.mvt is not named Z-X-Y\.mvt"):
        read_osm(tmp_path)


def test_text_file_named_pbf(tmp_path: Path) -> None:
    path = tmp_path / "notes.osm.pbf"
    path.write_text("Meeting notes: this is not OpenStreetMap data at all.\n" * 20)
    with pytest.raises(OsmReadError, match=r"notes\.osm\.pbf"):
        read_osm(path)


def test_empty_and_truncated_pbf(small_pbf: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.osm.pbf"
    empty.write_bytes(b"")
    with pytest.raises(OsmReadError, match=r"empty\.osm\.pbf is empty"):
        read_osm(empty)
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(small_pbf.read_bytes()[:-40])
    with pytest.raises(OsmReadError, match=r"cut\.osm\.pbf.*truncated"):
        read_osm(cut)


def test_basemap_features_in_drawing_order(small_pbf: Path) -> None:
    features = basemap_features(read_osm(small_pbf))
    layers = [f["properties"]["layer"] for f in features]
    assert layers == ["water", "building", "building", "road"]
    road = features[-1]
    assert road["properties"]["oneway"] == "-1"
    assert road["geometry"]["coordinates"][0] == [71.4, 51.101]
