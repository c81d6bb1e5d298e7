"""``manage.py render_tiles [--region SLUG] [--zooms A-B]``: write the basemap tile archives."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.accounts.models import Region
from saqshy.algorithms.basemap import MAX_DATA_ZOOM
from saqshy.situation import basemap

DEFAULT_ZOOMS = f"0-{MAX_DATA_ZOOM}"


def zoom_range(text: str) -> range:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if not match:
        raise CommandError(f"--zooms {text!r}: expected A-B, e.g. 10-14")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if not 0 <= low <= high <= MAX_DATA_ZOOM:
        raise CommandError(
            f"--zooms {text!r}: data zoom levels run from 0 to {MAX_DATA_ZOOM}, low first"
        )
    return range(low, high + 1)


class Command(BaseCommand):
    help = (
        "Encode the basemap (data/basemap and var/basemap, clipped to each region's extent) "
        "into vector-tile archives under SAQSHY_VAR_DIR/tiles (one per region, plus the "
        f"regions' outlines). Default data zooms {DEFAULT_ZOOMS} (data zoom z is shown at map "
        f"zoom z+1; the map over-zooms beyond {MAX_DATA_ZOOM}); an archive whose inputs have "
        "not changed is kept. Run again after import_osm or load_regions (the map also "
        "rewrites a stale archive on its next tile request)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", action="append", default=[], help="region slug (repeat)")
        parser.add_argument("--zooms", default=DEFAULT_ZOOMS, help="data zoom levels A-B")
        parser.add_argument("--force", action="store_true", help="rewrite unchanged archives")
        parser.add_argument("--no-progress", action="store_true", help="(kept for scripts)")

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
        written = kept = 0
        for source in basemap.sources(options["region"] or None):
            current = basemap.current_archive(source.path)
            if current is not None and current.version == source.version and not options["force"]:
                kept += 1
                continue
            stats = basemap.build(source, zooms)
            written += 1
            tiles = sum(count for count, _ in stats.values())
            size = source.path.stat().st_size
            self.stdout.write(
                f"{source.path.name}: {tiles} tiles over zooms {zooms.start}-{zooms.stop - 1}, "
                f"{size / 1024:.0f} KiB"
            )
        self.stdout.write(f"tile archives: {written} written, {kept} unchanged")
