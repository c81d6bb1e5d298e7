"""``manage.py import_trips FILE``: children's trips from CSV or XLSX, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saqshy.accounts.models import User
from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.trips.importer import ImportFileError, import_trips


class Command(BaseCommand):
    help = (
        "Import children's trips from a CSV or XLSX file (columns: see saqshy/trips/importer.py) "
        "as submitted for approval; never approved. On any invalid row nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".csv or .xlsx file")
        parser.add_argument(
            "--as", dest="username", help="import as this user (their grants apply)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no such user: {options['username']}")
        token = set_request_id(new_request_id("import_trips:"))
        try:
            with (
                path.open("rb") as data,
                tqdm(
                    desc="rows",
                    unit="row",
                    disable=options["no_progress"] or options["verbosity"] < 1,
                ) as bar,
            ):
                result = import_trips(
                    acting_user=user,
                    name=path.name,
                    data=data,
                    progress=lambda done: bar.update(done - bar.n),
                )
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        finally:
            reset_request_id(token)
        for note in result.notes:
            self.stderr.write(f"{path.name}: {note}")
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(result.errors)} problem(s) in {path.name}; nothing was imported"
            )
        self.stdout.write(
            f"{path.name}: {result.rows} rows; {result.created} trips submitted for approval"
        )
