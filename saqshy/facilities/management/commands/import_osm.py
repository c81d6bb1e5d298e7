"""``manage.py import_osm PATH --region SLUG``: facilities and basemap from OpenStreetMap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saqshy.accounts.models import Region
from saqshy.algorithms.osm import OsmReadError
from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.osm_import import import_extract


class Command(BaseCommand):
    help = (
        "Import facilities (and the offline basemap) for a region from an OpenStreetMap "
        ".osm.pbf file or a folder of OSM QA .mvt tiles. Idempotent by OSM id; a bad file "
        "changes nothing. The region needs a boundary (load_regions or the admin)."
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
                f"unknown region {options['region']!r}; known regions: "
                f"{known or 'none loaded (run `manage.py load_regions` first)'}"
            ) from None
        quiet = options["no_progress"] or options["verbosity"] < 1
        bars: dict[str, tqdm[Any]] = {}

        def bar(name: str, unit: str) -> Any:
            def advance(done: int, total: int) -> None:
                if name not in bars:
                    bars[name] = tqdm(desc=name, unit=unit, total=total, disable=quiet)
                bars[name].total = total
                bars[name].n = done
                bars[name].refresh()

            return advance

        token = set_request_id(new_request_id("import_osm:"))
        try:
            outcome = import_extract(
                acting_user=None,
                region=region,
                path=Path(options["path"]),
                basemap=not options["no_basemap"],
                reading=bar("reading OSM", "step"),
                importing=bar("facilities", "rec"),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except OsmReadError as error:
            raise CommandError(str(error)) from None
        finally:
            reset_request_id(token)
            for progress in bars.values():
                progress.close()
        if outcome.basemap is not None:
            self.stdout.write(f"basemap: {outcome.basemap}")
        self.stdout.write(f"road graph: {outcome.graph}")
        result = outcome.result
        self.stdout.write(
            f"{region.slug}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.outside_region} outside the region"
        )
        for kind, count in sorted(result.per_kind.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {FacilityKind.label(kind)!s:<28} {count:>6}")
