"""``manage.py import_gatherings FILE``: an event list from CSV or XLSX, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from saqshy.core.importing import TableImportCommand
from saqshy.gatherings.importer import ImportResult, import_gatherings


class Command(TableImportCommand):
    help = (
        "Import mass events from a CSV or XLSX file (columns: see saqshy/gatherings/importer.py). "
        "On any invalid row nothing is imported and every bad row is listed."
    )
    request_id_prefix = "import_gatherings:"

    def import_file(
        self, *, acting_user: Any, name: str, data: IO[bytes], progress: Callable[[int], None]
    ) -> ImportResult:
        return import_gatherings(acting_user=acting_user, name=name, data=data, progress=progress)

    def summary(self, result: ImportResult) -> str:
        return (
            f"{result.rows} rows; {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
