from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from saqshy.accounts.models import User
from saqshy.algorithms.basemap import lonlat_to_tile
from saqshy.core.testing.geography import make_region

pytestmark = pytest.mark.django_db


@pytest.fixture()
def signed_in(client: Client, settings, tmp_path: Path) -> Client:
    settings.VAR_DIR = tmp_path
    make_region("astana")
    client.force_login(User.objects.create_user(username="viewer", password="pw-viewer"))
    return client


def test_tile_is_a_png_drawn_from_our_own_data(signed_in: Client, tmp_path: Path) -> None:
    x, y = lonlat_to_tile(71.43, 51.128, 12)
    response = signed_in.get(f"/tiles/12/{x}/{y}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert image.size == (256, 256)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or []) > 1, "the tile is blank"
    assert list(tmp_path.glob("tiles/*/12/*/*.png")), "the tile was not cached"


def test_anonymous_requests_get_no_tile_and_write_nothing(
    client: Client, settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    make_region("astana")
    x, y = lonlat_to_tile(71.43, 51.128, 12)
    assert client.get(f"/tiles/12/{x}/{y}.png").status_code == 403
    assert not (tmp_path / "tiles").exists()


def test_tile_outside_the_grid_or_the_regions_is_404(signed_in: Client, tmp_path: Path) -> None:
    assert signed_in.get("/tiles/3/8/0.png").status_code == 404
    assert signed_in.get("/tiles/25/0/0.png").status_code == 404
    x, y = lonlat_to_tile(2.35, 48.86, 12)  # Paris: no region there
    assert signed_in.get(f"/tiles/12/{x}/{y}.png").status_code == 404
    x, y = lonlat_to_tile(76.9, 43.2, 12)  # Almaty: not loaded in this test
    assert signed_in.get(f"/tiles/12/{x}/{y}.png").status_code == 404
    assert not (tmp_path / "tiles").exists()


def test_render_tiles_fills_the_cache_and_the_view_only_reads_it(
    signed_in: Client, tmp_path: Path
) -> None:
    out = StringIO()
    call_command("render_tiles", region=["astana"], zooms="9-11", no_progress=True, stdout=out)
    files = list(tmp_path.glob("tiles/*/*/*/*.png"))
    assert f"tiles: {len(files)} over zooms 9-11, {len(files)} drawn" in out.getvalue()
    assert {p.parts[-3] for p in files} == {"9", "10", "11"}
    x, y = lonlat_to_tile(71.43, 51.128, 11)
    with mock.patch("saqshy.situation.basemap.render_tile") as render:
        response = signed_in.get(f"/tiles/11/{x}/{y}.png")
    assert response.status_code == 200 and not render.called
    out = StringIO()
    call_command("render_tiles", zooms="9-11", no_progress=True, stdout=out)
    assert ", 0 drawn" in out.getvalue()


def test_render_tiles_names_a_bad_region_or_zoom_range(signed_in: Client) -> None:
    with pytest.raises(CommandError, match="no region with a boundary named narnia"):
        call_command("render_tiles", region=["narnia"], no_progress=True)
    with pytest.raises(CommandError, match="expected A-B"):
        call_command("render_tiles", zooms="ten", no_progress=True)
    with pytest.raises(CommandError, match="low first"):
        call_command("render_tiles", zooms="12-3", no_progress=True)
