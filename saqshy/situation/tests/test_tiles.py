from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from saqshy.algorithms.basemap import lonlat_to_tile
from saqshy.core.testing.geography import make_region

pytestmark = pytest.mark.django_db


def test_tile_is_a_png_drawn_from_our_own_data(client: Client, settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path
    make_region("astana")
    x, y = lonlat_to_tile(71.43, 51.128, 12)
    response = client.get(f"/tiles/12/{x}/{y}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert image.size == (256, 256)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or []) > 1, "the tile is blank"
    assert list(tmp_path.glob("tiles/*/12/*/*.png")), "the tile was not cached"


def test_tile_outside_the_grid_is_404(client: Client) -> None:
    assert client.get("/tiles/3/8/0.png").status_code == 404
    assert client.get("/tiles/25/0/0.png").status_code == 404
