"""Small, fast stand-ins for real boundaries: a box around each demo city."""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Region

# (iso, slug, kind, en, ru, kk, (minlon, minlat, maxlon, maxlat))
BOXES = {
    "astana": ("KZ-71", "city", "Astana", "Астана", "Астана", (71.20, 50.95, 71.75, 51.35)),
    "almaty": ("KZ-75", "city", "Almaty", "Алматы", "Алматы", (76.70, 43.05, 77.20, 43.45)),
    "shymkent": ("KZ-79", "city", "Shymkent", "Шымкент", "Шымкент", (69.45, 42.20, 69.80, 42.45)),
}

# A point well inside each box.
CENTRES = {"astana": (51.128, 71.430), "almaty": (43.238, 76.945), "shymkent": (42.32, 69.60)}


def box(minlon: float, minlat: float, maxlon: float, maxlat: float) -> dict[str, Any]:
    ring = [
        [minlon, minlat],
        [maxlon, minlat],
        [maxlon, maxlat],
        [minlon, maxlat],
        [minlon, minlat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def make_region(slug: str) -> Region:
    iso, kind, en, ru, kk, bounds = BOXES[slug]
    lat, lon = CENTRES[slug]
    region, _ = Region.objects.get_or_create(
        iso_code=iso,
        defaults={
            "slug": slug,
            "kind": kind,
            "name_en": en,
            "name_ru": ru,
            "name_kk": kk,
            "boundary": box(*bounds),
            "centre_lat": lat,
            "centre_lon": lon,
            "bbox": list(bounds),
        },
    )
    return region
