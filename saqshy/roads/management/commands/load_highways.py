"""``manage.py load_highways [FILE]``: the national highway network as road segments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.roads.importer import apply_names, import_highways

DEFAULT_FILE = Path("roads") / "kz_highways.geojson"
NAMES_FILE = Path("roads") / "names.json"


class Command(BaseCommand):
    help = (
        "Create or update road segments from a highway GeoJSON file (default: the bundled "
        "data/roads/kz_highways.geojson), matched by code; idempotent, a bad file changes "
        "nothing. Then give them road numbers and names from data/roads/names.json (segments "
        "already named are kept). Needs the regions and districts (load_regions, "
        "load_districts)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="highway GeoJSON (LineString features)")
        parser.add_argument("--names", help="road names JSON (default: data/roads/names.json)")
        parser.add_argument("--no-names", action="store_true", help="do not apply road names")
        parser.add_argument(
            "--overwrite-names", action="store_true", help="rename segments already named"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"] or Path(settings.DATA_DIR) / DEFAULT_FILE)
        collection = _read_json(path)
        quiet = options["no_progress"] or options["verbosity"] < 1
        total = len(collection.get("features") or []) if isinstance(collection, dict) else 0
        bar = tqdm(desc="segments", unit="seg", total=total, disable=quiet)

        def advance(done: int) -> None:
            bar.n = done
            bar.refresh()

        token = set_request_id(new_request_id("load_highways:"))
        try:
            result = import_highways(acting_user=None, collection=collection, progress=advance)
            names = None
            if not options["no_names"]:
                names_path = Path(options["names"] or Path(settings.DATA_DIR) / NAMES_FILE)
                roads = _read_json(names_path).get("roads") or []
                names = apply_names(
                    acting_user=None, roads=roads, overwrite=options["overwrite_names"]
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        finally:
            reset_request_id(token)
            bar.close()
        self.stdout.write(
            f"{result.segments} segments, {result.km:.0f} km: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged"
        )
        for slug, count in sorted(result.per_region.items()):
            self.stdout.write(f"  {slug}: {count}")
        if names is not None:
            self.stdout.write(
                f"names: {names.roads} roads, {names.named} segments named, {names.kept} kept"
            )
            if names.unknown:
                self.stdout.write(f"names not found: {', '.join(names.unknown)}")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: not JSON ({error})") from None
