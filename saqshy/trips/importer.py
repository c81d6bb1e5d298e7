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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from saqshy.core import importing
from saqshy.core.exceptions import Conflict
from saqshy.core.importing import ImportFileError, RowError
from saqshy.facilities.queries import by_key as facility_by_key
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
# The header needs one of these: the organiser's name or its facility.
ORGANISER = ("organiser", "organiser_facility")
TEXT_LIMITS = {
    "organiser": 255,
    "organiser_ref": 80,
    "departure_name": 255,
    "destination_name": 255,
    "route_text": 4000,
    "contact_name": 255,
    "contact_phone": 40,
}


@dataclass
class ImportResult(importing.ImportResult):
    created: int = 0
    notes: list[RowError] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)


class _Row(importing.RowParser):
    bad_time = gettext_noop("Give a date and time like 2026-12-31 08:00 (got %(value)s).")

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


class _Rollback(Exception):
    pass


def _parse(
    acting_user: Any, rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> list[tuple[int, dict[str, Any]]]:
    facilities = facility_by_key(
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
    rows = list(importing.read_rows(name, data, required=REQUIRED, one_of=[ORGANISER]))
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
