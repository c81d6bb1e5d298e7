"""``manage.py render_tiles [--region SLUG] [--zooms A-B]``: fill the basemap tile cache."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saqshy.accounts.models import Region
from saqshy.algorithms.basemap.style import MAX_ZOOM
from saqshy.situation import basemap

DEFAULT_ZOOMS = "5-9"
"""About 1,900 tiles over Kazakhstan's 20 regions; a city's streets need --zooms 10-15."""


def zoom_range(text: str) -> range:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if not match:
        raise CommandError(f"--zooms {text!r}: expected A-B, e.g. 10-14")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if not 0 <= low <= high <= MAX_ZOOM:
        raise CommandError(f"--zooms {text!r}: zoom levels run from 0 to {MAX_ZOOM}, low first")
    return range(low, high + 1)


class Command(BaseCommand):
    help = (
        "Pre-render the basemap tiles over the regions' extent (or one region's) into the tile "
        f"cache (SAQSHY_VAR_DIR/tiles), so the map only reads them. Default zooms {DEFAULT_ZOOMS}; "
        "tiles already cached are skipped. Run again after import_osm or load_regions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", action="append", default=[], help="region slug (repeat)")
        parser.add_argument("--zooms", default=DEFAULT_ZOOMS, help="zoom levels A-B")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        zooms = zoom_range(options["zooms"])
        if options["region"]:
            found = Region.objects.exclude(bbox=None).filter(slug__in=options["region"])
            missing = set(options["region"]) - set(found.values_list("slug", flat=True))
            if missing:
                raise CommandError(
                    f"no region with a boundary named {', '.join(sorted(missing))}; load or "
                    "draw its boundary first (load_regions or the admin)"
                )
        extents = basemap.region_extents(options["region"])
        tiles = sorted(
            {
                (z, x, y)
                for extent in extents
                for z in zooms
                for xs, ys in [basemap.tile_range(extent, z)]
                for x in xs
                for y in ys
            }
        )
        loaded = basemap.current()
        quiet = options["no_progress"] or options["verbosity"] < 1
        drawn = 0
        for z, x, y in tqdm(tiles, desc="tiles", unit="tile", disable=quiet):
            if not basemap.tile_path(loaded, z, x, y).exists():
                basemap.cached_tile(loaded, z, x, y)
                drawn += 1
        self.stdout.write(
            f"tiles: {len(tiles)} over zooms {zooms.start}-{zooms.stop - 1}, {drawn} drawn, "
            f"{len(tiles) - drawn} already cached"
        )
