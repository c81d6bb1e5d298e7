"""``manage.py import_osm PATH --region SLUG``: facilities and basemap from OpenStreetMap."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saqshy.accounts.models import Region
from saqshy.accounts.roads import save_graph
from saqshy.algorithms.osm import OsmReadError, basemap_features, read_osm
from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.facilities import services
from saqshy.facilities.choices import FacilityKind


def write_basemap(region: Region, features: list[dict[str, Any]]) -> Path:
    """Replace the region's imported basemap file atomically."""
    folder = settings.VAR_DIR / "basemap"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{region.slug}.geojson.gz"
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    collection = {"type": "FeatureCollection", "features": features}
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        json.dump(collection, handle, separators=(",", ":"))
    partial.replace(target)
    return target


class Command(BaseCommand):
    help = (
        "Import facilities (and the offline basemap) for a region from an OpenStreetMap "
        ".osm.pbf file or a folder of OSM QA .mvt tiles. Idempotent by OSM id; a bad file "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=".osm.pbf file or folder of Z-X-Y.mvt tiles")
        parser.add_argument("--region", required=True, help="region slug, e.g. astana")
        parser.add_argument("--no-basemap", action="store_true", help="skip the basemap layers")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = Region.objects.get(slug=options["region"])
        except Region.DoesNotExist:
            known = ", ".join(Region.objects.values_list("slug", flat=True)[:25])
            raise CommandError(
                f"unknown region {options['region']!r}; known regions: {known or 'none loaded'}"
            ) from None
        quiet = options["no_progress"] or options["verbosity"] < 1
        with tqdm(desc="reading OSM", unit="step", disable=quiet) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                extract = read_osm(Path(options["path"]), progress=advance)
            except OsmReadError as error:
                raise CommandError(str(error)) from None
        records = [dataclasses.asdict(record) for record in extract.facilities]
        token = set_request_id(new_request_id("import_osm:"))
        try:
            with tqdm(total=len(records), desc="facilities", unit="rec", disable=quiet) as bar:
                result = services.import_facilities(
                    acting_user=None,
                    region=region,
                    records=records,
                    progress=lambda done: bar.update(done - bar.n),
                )
        finally:
            reset_request_id(token)
        if not options["no_basemap"]:
            path = write_basemap(region, basemap_features(extract))
            self.stdout.write(f"basemap: {path}")
        graph = save_graph(region, extract.roads)
        self.stdout.write(f"road graph: {graph}")
        self.stdout.write(
            f"{region.slug}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.outside_region} outside the region"
        )
        for kind, count in sorted(result.per_kind.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {FacilityKind.label(kind)!s:<28} {count:>6}")
