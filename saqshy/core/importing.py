"""Building blocks for table imports (CSV or XLSX, every row checked, all or nothing).

What every import shares lives here: reading a file into rows with their line numbers, the
file-level and row-level errors, a row parser's common parts, the ``manage.py`` command body
(file check, ``--as``, request id, progress bar) and the upload page. What differs stays in
each app: its columns, how a row becomes a record, and the service that saves it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from tqdm import tqdm

from saqshy.core.context import new_request_id, reset_request_id, set_request_id


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, no header, missing columns)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(reason)s") % {
            "line": self.line,
            "column": self.column or "—",
            "reason": self.reason,
        }


@dataclass
class ImportResult:
    """What every import reports; an app's result adds its own counts."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer(Protocol):
    def __call__(
        self,
        *,
        acting_user: Any,
        name: str,
        data: IO[bytes],
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult: ...


def read_rows(
    name: str,
    data: IO[bytes],
    *,
    required: Sequence[str],
    one_of: Sequence[Sequence[str]] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each non-empty data row; the header is line 1.

    The header must hold every ``required`` column and at least one column of each ``one_of``
    group (a missing group is named by its first column, ahead of the required ones).
    """
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(data, required, one_of)
    elif suffix == ".xlsx":
        yield from _xlsx_rows(data, required, one_of)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file (got %(name)s).") % {"name": name})


def _header(
    cells: Sequence[Any], required: Sequence[str], one_of: Sequence[Sequence[str]]
) -> list[str]:
    header = [str(c or "").strip().lower() for c in cells]
    missing = [group[0] for group in one_of if not any(c in header for c in group)]
    missing += [c for c in required if c not in header]
    if missing:
        raise ImportFileError(
            _("The header row lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return header


def _csv_rows(
    data: IO[bytes], required: Sequence[str], one_of: Sequence[Sequence[str]]
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        reader = csv.reader(io.TextIOWrapper(data, encoding="utf-8-sig", newline=""))
        header = _header(next(reader, []), required, one_of)
        for line, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                _refuse_nul(line, cells)
                yield line, {k: v.strip() for k, v in zip(header, cells, strict=False)}
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None


def _xlsx_rows(
    data: IO[bytes], required: Sequence[str], one_of: Sequence[Sequence[str]]
) -> Iterator[tuple[int, dict[str, str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(data, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportFileError(
            _("The XLSX file cannot be read: %(error)s") % {"error": error}
        ) from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = _header(list(next(rows, [])), required, one_of)
    for line, cells in enumerate(rows, start=2):
        if any(cell not in (None, "") for cell in cells):
            texts = [cell_text(v) for v in cells]
            _refuse_nul(line, texts)
            yield line, dict(zip(header, texts, strict=False))


def _refuse_nul(line: int, cells: Sequence[str]) -> None:
    """A NUL character means a binary or UTF-16 file saved as .csv; PostgreSQL cannot store it."""
    if any("\x00" in cell for cell in cells):
        raise ImportFileError(
            _("Line %(line)s contains a NUL character: save the file as UTF-8 CSV or XLSX.")
            % {"line": line}
        )


def cell_text(cell: Any) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class RowParser:
    """Parses one row, collecting every problem instead of stopping at the first.

    A subclass sets ``bad_time``: the message (marked with ``gettext_noop``) for a missing or
    malformed date and time, with a ``%(value)s`` placeholder.
    """

    bad_time: str

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.line, self.values, self.errors = line, values, errors

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))

    def when(self, column: str) -> datetime | None:
        value = self.values.get(column, "")
        try:
            parsed = parse_datetime(value.replace("T", " ")) if value else None
        except ValueError:  # well formed but impossible, such as 2026-13-45 18:00
            parsed = None
        if parsed is None:
            self.fail(column, _(self.bad_time) % {"value": value or "—"})
            return None
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class TableImportCommand(BaseCommand):
    """``manage.py import_… FILE [--as USER] [--no-progress]``: imports the file, all or nothing.

    A subclass sets ``request_id_prefix`` and implements ``import_file`` and ``summary``;
    ``notes`` may list remarks that do not stop the import.
    """

    request_id_prefix: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".csv or .xlsx file")
        parser.add_argument(
            "--as", dest="username", help="import as this user (their grants apply)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def import_file(
        self, *, acting_user: Any, name: str, data: IO[bytes], progress: Callable[[int], None]
    ) -> ImportResult:
        raise NotImplementedError

    def summary(self, result: Any) -> str:
        raise NotImplementedError

    def notes(self, result: Any) -> Sequence[object]:
        return ()

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no such user: {options['username']}")
        token = set_request_id(new_request_id(self.request_id_prefix))
        try:
            with (
                path.open("rb") as data,
                tqdm(
                    desc="rows",
                    unit="row",
                    disable=options["no_progress"] or options["verbosity"] < 1,
                ) as bar,
            ):
                result = self.import_file(
                    acting_user=user,
                    name=path.name,
                    data=data,
                    progress=lambda done: bar.update(done - bar.n),
                )
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        finally:
            reset_request_id(token)
        for note in self.notes(result):
            self.stderr.write(f"{path.name}: {note}")
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(result.errors)} problem(s) in {path.name}; nothing was imported"
            )
        self.stdout.write(f"{path.name}: {self.summary(result)}")


def import_page(
    request: HttpRequest, *, template: str, importer: Importer, columns: Sequence[str]
) -> HttpResponse:
    """The upload page: on POST run ``importer`` on the file; show its result or the problem.

    The caller checks the user may add records before calling this.
    """
    result, problem = None, ""
    upload = request.FILES.get("file")
    if request.method == "POST":
        if upload is None:
            problem = _("Choose a file to upload.")
        else:
            try:
                result = importer(acting_user=request.user, name=upload.name or "", data=upload)
            except ImportFileError as error:
                problem = str(error)
    return render(request, template, {"result": result, "problem": problem, "columns": columns})
