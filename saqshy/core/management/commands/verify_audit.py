import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.core import audit


class Command(BaseCommand):
    help = (
        "Walk every audit chain and check each entry's keyed hash and link to the one before "
        "it; with --against, also check that every chain still reaches the heads published "
        "earlier by audit_head. Exits non-zero naming the first entry that was edited, or "
        "where entries were removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chain", help="check one chain only (e.g. national, region:3)")
        parser.add_argument(
            "--against",
            nargs="+",
            default=[],
            metavar="FILE",
            help="published head files (JSON written by audit_head) the trail must still reach",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published = [self._load(Path(name)) for name in options["against"]]
        checked, broken = audit.verify(options.get("chain"))
        if broken is not None:
            raise CommandError(f"audit trail broken at {broken}")
        for name, heads in zip(options["against"], published, strict=True):
            broken = audit.check_published(heads)
            if broken is not None:
                raise CommandError(f"audit trail does not match {name}: {broken}")
        against = f", matching {len(published)} published head(s)" if published else ""
        self.stdout.write(
            self.style.SUCCESS(f"audit trail intact: {checked} entries verified{against}")
        )

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            message = f"--against {path}: cannot read a published head ({error})"
            raise CommandError(message) from error
        if not isinstance(data, dict):
            raise CommandError(f"--against {path}: not a published head")
        return data
