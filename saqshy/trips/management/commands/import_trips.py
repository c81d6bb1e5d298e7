"""``manage.py import_trips FILE``: children's trips from CSV or XLSX, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, Any

from saqshy.core.importing import TableImportCommand
from saqshy.trips.importer import ImportResult, import_trips


class Command(TableImportCommand):
    help = (
        "Import children's trips from a CSV or XLSX file (columns: see saqshy/trips/importer.py) "
        "as submitted for approval; never approved. On any invalid row nothing is imported."
    )
    request_id_prefix = "import_trips:"

    def import_file(
        self, *, acting_user: Any, name: str, data: IO[bytes], progress: Callable[[int], None]
    ) -> ImportResult:
        return import_trips(acting_user=acting_user, name=name, data=data, progress=progress)

    def summary(self, result: ImportResult) -> str:
        return f"{result.rows} rows; {result.created} trips submitted for approval"

    def notes(self, result: ImportResult) -> Sequence[object]:
        return result.notes
