"""Bulk import of children's trips from CSV or XLSX: every row checked, all or nothing.

Columns (header row, any order, case-insensitive): ``organiser`` (or ``organiser_facility``,
a facility id or OpenStreetMap reference such as ``way/123``), ``organiser_ref``,
``children_count``, ``adults_count``, ``departs_at``, ``returns_at`` (``YYYY-MM-DD HH:MM`` or
ISO 8601, local time), ``departure_name``, ``departure_lat``, ``departure_lon``,
``destination_name``, ``destination_lat``, ``destination_lon``, ``route_text``, ``vehicles``
(``plate/kind/seats; …``), ``drivers`` (``name/licence; …``), ``contact_name``,
``contact_phone``. Every row goes through the same services as the pages: it is registered and
submitted for approval. A ``status`` column is ignored (and noted when it says anything
else): no import approves a trip, since approval needs an assigned, free police escort.
A trip whose ``organiser_ref`` is already registered is refused, so a re-import never
duplicates trips.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from saqshy.core.exceptions import Conflict
from saqshy.facilities.models import Facility
from saqshy.trips import services
from saqshy.trips.choices import TripStatus
from saqshy.trips.models import Trip

COLUMNS = (
    "organiser",
    "organiser_facility",
    "organiser_ref",
    "children_count",
    "adults_count",
    "departs_at",
    "returns_at",
    "departure_name",
    "departure_lat",
    "departure_lon",
    "destination_name",
    "destination_lat",
    "destination_lon",
    "route_text",
    "vehicles",
    "drivers",
    "contact_name",
    "contact_phone",
)
REQUIRED = (
    "children_count",
    "adults_count",
    "departs_at",
    "returns_at",
    "departure_name",
    "departure_lat",
    "departure_lon",
    "destination_name",
    "destination_lat",
    "destination_lon",
    "vehicles",
    "drivers",
    "contact_name",
    "contact_phone",
)
TEXT_LIMITS = {
    "organiser": 255,
    "organiser_ref": 80,
    "departure_name": 255,
    "destination_name": 255,
    "route_text": 4000,
    "contact_name": 255,
    "contact_phone": 40,
}


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
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(cells: list[Any]) -> list[str]:
    header = [str(c or "").strip().lower() for c in cells]
    missing = [c for c in REQUIRED if c not in header]
    if "organiser" not in header and "organiser_facility" not in header:
        missing.insert(0, "organiser")
    if missing:
        raise ImportFileError(
            _("The header row lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return header


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(name: str, data: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each non-empty data row; the header is line 1."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        try:
            reader = csv.reader(io.TextIOWrapper(data, encoding="utf-8-sig", newline=""))
            header = _header(next(reader, []))
            for line, cells in enumerate(reader, start=2):
                if any(c.strip() for c in cells):
                    yield line, {k: v.strip() for k, v in zip(header, cells, strict=False)}
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportFileError(
                _("The CSV file cannot be read: %(error)s") % {"error": error}
            ) from None
    elif suffix == ".xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(data, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
            raise ImportFileError(
                _("The XLSX file cannot be read: %(error)s") % {"error": error}
            ) from None
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = _header(list(next(rows, [])))
        for line, cells in enumerate(rows, start=2):
            if any(c not in (None, "") for c in cells):
                yield line, {k: _cell(v) for k, v in zip(header, cells, strict=False)}
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file (got %(name)s).") % {"name": name})


class _Row:
    """Parses one row, collecting every problem instead of stopping at the first."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.line, self.values, self.errors = line, values, errors

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))

    def text(self, column: str) -> str:
        value = self.values.get(column, "")
        if column in REQUIRED and not value:
            self.fail(column, _("This field is required."))
        limit = TEXT_LIMITS.get(column, 255)
        if len(value) > limit:
            self.fail(column, _("Longer than %(n)s characters.") % {"n": limit})
        return value

    def number(self, column: str, kind: type = int) -> Any:
        value = self.values.get(column, "")
        if not value:
            self.fail(column, _("This field is required."))
            return None
        try:
            return float(value.replace(",", ".")) if kind is float else int(value)
        except ValueError:
            self.fail(column, _("Not a number: %(value)s") % {"value": value})
            return None

    def when(self, column: str) -> datetime | None:
        value = self.values.get(column, "")
        parsed = parse_datetime(value.replace("T", " ")) if value else None
        if parsed is None:
            self.fail(
                column,
                _("Give a date and time like 2026-12-31 08:00 (got %(value)s).")
                % {"value": value or "—"},
            )
            return None
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed

    def vehicles(self) -> list[dict[str, Any]]:
        rows = []
        for part in self.text("vehicles").split(";"):
            if not part.strip():
                continue
            plate, kind, seats = ([p.strip() for p in part.split("/")] + ["", "", ""])[:3]
            rows.append(
                {
                    "plate": plate,
                    "kind": kind.lower(),
                    "seats": int(seats) if seats.isdigit() else seats,
                }
            )
        return rows

    def drivers(self) -> list[dict[str, Any]]:
        rows = []
        for part in self.text("drivers").split(";"):
            if part.strip():
                name, licence = ([p.strip() for p in part.split("/")] + ["", ""])[:2]
                rows.append({"name": name, "licence": licence})
        return rows


def _facilities(acting_user: Any, keys: set[str]) -> dict[str, Facility]:
    visible = Facility.objects.restrict(acting_user, "view") if acting_user else Facility.objects
    found: dict[str, Facility] = {}
    for facility in visible.filter(pk__in=[int(k) for k in keys if k.isdigit()]):
        found[str(facility.pk)] = facility
    for facility in visible.filter(osm_ref__in=[k for k in keys if not k.isdigit()]):
        found[str(facility.osm_ref)] = facility
    return found


class _Rollback(Exception):
    pass


def _parse(
    acting_user: Any, rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> list[tuple[int, dict[str, Any]]]:
    facilities = _facilities(
        acting_user, {v.get("organiser_facility", "") for _l, v in rows} - {""}
    )
    refs = {v.get("organiser_ref", "") for _l, v in rows} - {""}
    taken = dict(Trip.objects.filter(organiser_ref__in=refs).values_list("organiser_ref", "pk"))
    seen: dict[str, int] = {}
    parsed = []
    for line, values in rows:
        row = _Row(line, values, result.errors)
        key = values.get("organiser_facility", "")
        facility = facilities.get(key) if key else None
        if key and facility is None:
            row.fail(
                "organiser_facility", _("No facility %(value)s that you may see.") % {"value": key}
            )
        if not key and not values.get("organiser"):
            row.fail("organiser", _("Name the organiser or give the school or kindergarten."))
        ref = row.text("organiser_ref")
        if ref in taken:
            row.fail("organiser_ref", _("Already registered as trip #%(id)s.") % {"id": taken[ref]})
        elif ref in seen:
            row.fail("organiser_ref", _("The same trip as line %(line)s.") % {"line": seen[ref]})
        elif ref:
            seen[ref] = line
        status = values.get("status", "").strip().lower()
        if status and status not in (TripStatus.DRAFT, TripStatus.SUBMITTED):
            result.notes.append(
                RowError(
                    line,
                    "status",
                    _("Status %(value)s ignored: imported trips are submitted for approval.")
                    % {"value": status},
                )
            )
        fields = {
            "organiser": row.text("organiser"),
            "organiser_facility": facility,
            "organiser_ref": ref,
            "children_count": row.number("children_count"),
            "adults_count": row.number("adults_count"),
            "departs_at": row.when("departs_at"),
            "returns_at": row.when("returns_at"),
            "departure_name": row.text("departure_name"),
            "departure_lat": row.number("departure_lat", float),
            "departure_lon": row.number("departure_lon", float),
            "destination_name": row.text("destination_name"),
            "destination_lat": row.number("destination_lat", float),
            "destination_lon": row.number("destination_lon", float),
            "route_text": row.text("route_text"),
            "vehicles": row.vehicles(),
            "drivers": row.drivers(),
            "contact_name": row.text("contact_name"),
            "contact_phone": row.text("contact_phone"),
        }
        parsed.append((line, fields))
    return parsed


def _field_errors(line: int, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(line, "" if column == "__all__" else column, message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(line, "", message) for message in error.messages]


def import_trips(
    *,
    acting_user: Any,
    name: str,
    data: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row, then register and submit all of them in one transaction, or none."""
    result = ImportResult()
    rows = list(read_rows(name, data))
    result.rows = len(rows)
    if not rows:
        raise ImportFileError(_("The file has a header but no trips."))
    parsed = _parse(acting_user, rows, result)
    if result.errors:
        return result
    created: list[Trip] = []
    try:
        with transaction.atomic():
            for done, (line, fields) in enumerate(parsed, start=1):
                if progress:
                    progress(done)
                try:
                    with transaction.atomic():
                        trip = services.register_trip(acting_user=acting_user, **fields)
                        trip = services.submit_trip(acting_user=acting_user, trip=trip)
                        created.append(trip)
                except ValidationError as error:
                    result.errors.extend(_field_errors(line, error))
                except (PermissionDenied, Conflict) as error:
                    result.errors.append(RowError(line, "", str(error)))
            if result.errors:
                raise _Rollback
    except _Rollback:
        return result
    result.created, result.trips = len(created), created
    return result
