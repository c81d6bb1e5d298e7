from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import mapbox_vector_tile
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from saqshy.accounts.models import User
from saqshy.algorithms.basemap import lonlat_to_tile
from saqshy.core.testing.geography import make_region
from saqshy.situation import basemap

pytestmark = pytest.mark.django_db

LON, LAT = 71.43, 51.128
STREET: dict[str, Any] = {
    "type": "Feature",
    "properties": {
        "layer": "road",
        "highway": "residential",
        "name": "Кенесары көшесі",
        "name:ru": "улица Кенесары",
        "name:en": "Kenesary St",
    },
    "geometry": {"type": "LineString", "coordinates": [[LON - 0.003, LAT], [LON + 0.003, LAT]]},
}
AVENUE = {  # runs west out of the region's box, across its outline
    "type": "Feature",
    "properties": {"layer": "road", "highway": "primary", "name": "Тұран даңғылы"},
    "geometry": {"type": "LineString", "coordinates": [[LON, LAT], [71.15, LAT]]},
}
HOUSE = {
    "type": "Feature",
    "properties": {"layer": "building", "housenumber": "53", "street": "Кенесары көшесі"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [
                [LON, LAT + 0.0002],
                [LON + 0.0004, LAT + 0.0002],
                [LON + 0.0004, LAT + 0.0005],
                [LON, LAT + 0.0002],
            ]
        ],
    },
}


@pytest.fixture()
def basemap_dirs(settings, tmp_path: Path) -> Path:
    """A small Astana basemap as the bundle, and an empty var directory."""
    settings.VAR_DIR = tmp_path / "var"
    settings.DATA_DIR = tmp_path / "data"
    folder = settings.DATA_DIR / "basemap"
    folder.mkdir(parents=True)
    doc = {"type": "FeatureCollection", "features": [STREET, AVENUE, HOUSE]}
    (folder / "astana.geojson.gz").write_bytes(gzip.compress(json.dumps(doc).encode()))
    make_region("astana")
    return settings.VAR_DIR


@pytest.fixture()
def signed_in(client: Client, basemap_dirs: Path) -> Client:
    client.force_login(User.objects.create_user(username="viewer", password="pw-viewer"))
    return client


def _decode(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert response["Content-Encoding"] == "gzip"
    assert "max-age" in response["Cache-Control"]
    return mapbox_vector_tile.decode(gzip.decompress(response.content))


def test_tile_is_a_vector_tile_with_street_names_and_house_numbers(
    signed_in: Client, basemap_dirs: Path
) -> None:
    x, y = lonlat_to_tile(LON, LAT, 15)
    first = signed_in.get(f"/tiles/15/{x}/{y}.mvt")
    assert first.status_code == 204 and first["Cache-Control"] == "no-store", "being written"
    basemap.wait_for_builds()
    tile = _decode(signed_in.get(f"/tiles/15/{x}/{y}.mvt"))
    roads = [f["properties"] for f in tile["roads"]["features"]]
    assert roads[0]["name:ru"] == "улица Кенесары" and roads[0]["name:en"] == "Kenesary St"
    numbers = [f["properties"]["housenumber"] for f in tile["addresses"]["features"]]
    assert numbers == ["53"]
    assert (basemap_dirs / "tiles" / "astana.pmtiles").exists(), "the archive was not written"
    x, y = lonlat_to_tile(LON, LAT, 12)
    assert "addresses" not in _decode(signed_in.get(f"/tiles/12/{x}/{y}.mvt"))
    x, y = lonlat_to_tile(71.2, LAT, 10)  # on the region's western edge
    tile = _decode(signed_in.get(f"/tiles/10/{x}/{y}.mvt"))
    assert [f["properties"]["name"] for f in tile["roads"]["features"]] == ["Тұран даңғылы"]
    assert tile["boundary"]["features"], "the region outline is merged into the tile"


def test_anonymous_requests_get_no_tile_and_write_nothing(
    client: Client, basemap_dirs: Path
) -> None:
    x, y = lonlat_to_tile(LON, LAT, 12)
    assert client.get(f"/tiles/12/{x}/{y}.mvt").status_code == 403
    assert not (basemap_dirs / "tiles").exists()


def test_tile_outside_the_grid_is_404_and_outside_the_regions_204(signed_in: Client) -> None:
    assert signed_in.get("/tiles/3/8/0.mvt").status_code == 404
    assert signed_in.get("/tiles/16/0/0.mvt").status_code == 404, "over-zoomed by the browser"
    assert signed_in.get("/tiles/12/0/0.png").status_code == 404
    x, y = lonlat_to_tile(2.35, 48.86, 12)  # Paris: no region there
    assert signed_in.get(f"/tiles/12/{x}/{y}.mvt").status_code == 204
    basemap.wait_for_builds()
    x, y = lonlat_to_tile(76.9, 43.2, 12)  # Almaty: not loaded in this test
    assert signed_in.get(f"/tiles/12/{x}/{y}.mvt").status_code == 204


def test_render_tiles_writes_the_archives_and_the_view_only_reads_them(
    signed_in: Client, basemap_dirs: Path
) -> None:
    out = StringIO()
    call_command("render_tiles", region=["astana"], stdout=out)
    assert "astana.pmtiles" in out.getvalue() and "_regions.pmtiles" in out.getvalue()
    assert "tile archives: 2 written, 0 unchanged" in out.getvalue()
    x, y = lonlat_to_tile(LON, LAT, 14)
    with mock.patch("saqshy.situation.basemap.build") as build:
        response = signed_in.get(f"/tiles/14/{x}/{y}.mvt")
    assert response.status_code == 200 and not build.called
    out = StringIO()
    call_command("render_tiles", stdout=out)
    assert "tile archives: 0 written, 2 unchanged" in out.getvalue()


def test_a_new_import_rewrites_the_archive_on_the_next_request(
    signed_in: Client, basemap_dirs: Path
) -> None:
    call_command("render_tiles", stdout=StringIO())
    imported = basemap_dirs / "basemap" / "astana.geojson.gz"
    imported.parent.mkdir(parents=True)
    renamed = {**STREET, "properties": {**STREET["properties"], "name": "Жаңа көше"}}
    doc = {"type": "FeatureCollection", "features": [renamed]}
    imported.write_bytes(gzip.compress(json.dumps(doc).encode()))
    x, y = lonlat_to_tile(LON, LAT, 15)
    stale = _decode(signed_in.get(f"/tiles/15/{x}/{y}.mvt"))
    assert "addresses" in stale, "the old archive is served while the new one is written"
    basemap.wait_for_builds()
    tile = _decode(signed_in.get(f"/tiles/15/{x}/{y}.mvt"))
    assert [f["properties"].get("name") for f in tile["roads"]["features"]] == ["Жаңа көше"]
    assert "addresses" not in tile


def test_render_tiles_names_a_bad_region_or_zoom_range(signed_in: Client) -> None:
    with pytest.raises(CommandError, match="no region with a boundary named narnia"):
        call_command("render_tiles", region=["narnia"])
    with pytest.raises(CommandError, match="expected A-B"):
        call_command("render_tiles", zooms="ten")
    with pytest.raises(CommandError, match="low first"):
        call_command("render_tiles", zooms="12-3")
    with pytest.raises(CommandError, match="low first"):
        call_command("render_tiles", zooms="10-17")


def test_a_tile_asked_while_its_archive_is_missing_is_never_cached(
    signed_in: Client, basemap_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the archive is written before the answer goes out (a tiny region on an idle
    machine), the empty answer was about a missing archive: "ask again", not "empty for a day"."""
    monkeypatch.setattr(basemap, "building", lambda: False)  # the build already finished
    x, y = lonlat_to_tile(LON, LAT, 15)
    first = signed_in.get(f"/tiles/15/{x}/{y}.mvt")
    assert first.status_code == 204 and first["Cache-Control"] == "no-store"
    basemap.wait_for_builds()
    assert signed_in.get(f"/tiles/15/{x}/{y}.mvt").status_code == 200
