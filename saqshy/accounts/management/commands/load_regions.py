"""``manage.py load_regions [FILE]``: regions (and, with no FILE, districts) from GeoJSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from saqshy.accounts import services
from saqshy.accounts.boundaries import district_features, region_features
from saqshy.accounts.management.commands._boundary_options import (
    add_name_option,
    name_properties,
    read_collection,
    refused,
    shipped,
)
from saqshy.core.context import new_request_id, reset_request_id, set_request_id

SHIPPED_REGIONS = "regions.geojson"
SHIPPED_DISTRICTS = "districts.geojson"


class Command(BaseCommand):
    help = (
        "Create or update regions from a GeoJSON FeatureCollection (one feature per region, "
        "any country), matched by code; all or nothing, every bad feature named. With no "
        "FILE, load Kazakhstan's 20 regions and 224 districts shipped in data/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="GeoJSON file (default: the shipped ones)")
        add_name_option(parser)
        parser.add_argument("--code-property", default="iso_code", help="unique region code")
        parser.add_argument(
            "--slug-property", default="slug", help="URL name (default: made from the name)"
        )
        parser.add_argument(
            "--kind-property", default="kind", help="'region' or 'city' (default: region)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = name_properties(options["name"])
        token = set_request_id(new_request_id("load_regions:"))
        try:
            if options["file"]:
                path = Path(options["file"])
                self._regions(path, names, options)
                return
            path = shipped(SHIPPED_DISTRICTS)
            with transaction.atomic():
                self._regions(shipped(SHIPPED_REGIONS), names, options)
                try:
                    features = district_features(read_collection(path), names=names)
                    created, updated = services.upsert_districts(
                        acting_user=None, features=features
                    )
                except ValidationError as error:
                    raise refused(path, error) from None
            self.stdout.write(f"districts: {created} created, {updated} updated")
        finally:
            reset_request_id(token)

    def _regions(self, path: Path, names: dict[str, str], options: dict[str, Any]) -> None:
        try:
            features = region_features(
                read_collection(path),
                names=names,
                code_property=options["code_property"],
                slug_property=options["slug_property"],
                kind_property=options["kind_property"],
            )
            created, updated = services.upsert_regions(acting_user=None, features=features)
        except ValidationError as error:
            raise refused(path, error) from None
        self.stdout.write(f"regions: {created} created, {updated} updated")
