"""``manage.py load_districts [FILE]``: districts from GeoJSON, any country."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from saqshy.accounts import services
from saqshy.accounts.boundaries import district_features
from saqshy.accounts.management.commands._boundary_options import (
    add_name_option,
    name_properties,
    read_collection,
    refused,
    shipped,
)
from saqshy.accounts.management.commands.load_regions import SHIPPED_DISTRICTS
from saqshy.core.context import new_request_id, reset_request_id, set_request_id


class Command(BaseCommand):
    help = (
        "Create or update districts from a GeoJSON FeatureCollection, matched by region and "
        "slug; all or nothing, every bad feature named. With no FILE, Kazakhstan's 224 "
        "districts shipped in data/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="GeoJSON file (default: the shipped one)")
        add_name_option(parser)
        parser.add_argument(
            "--region-property", default="region", help="region ISO code or slug per feature"
        )
        parser.add_argument("--region", help="put every district of the file in this region")
        parser.add_argument(
            "--slug-property", default="slug", help="URL name (default: made from the name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else shipped(SHIPPED_DISTRICTS)
        token = set_request_id(new_request_id("load_districts:"))
        try:
            features = district_features(
                read_collection(path),
                names=name_properties(options["name"]),
                region_property=options["region_property"],
                slug_property=options["slug_property"],
                region=options["region"],
            )
            created, updated = services.upsert_districts(acting_user=None, features=features)
        except ValidationError as error:
            raise refused(path, error) from None
        finally:
            reset_request_id(token)
        self.stdout.write(f"districts: {created} created, {updated} updated")
