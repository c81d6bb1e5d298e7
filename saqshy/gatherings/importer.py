"""Bulk import of an event list from CSV or XLSX: every row checked, all or nothing.

Columns (header row, any order, case-insensitive): ``name``, ``kind``, ``venue`` (a facility
id or its OpenStreetMap reference such as ``way/123``; empty for an outdoor event),
``lat``/``lon`` (outdoor events), ``starts_at``, ``ends_at`` (``YYYY-MM-DD HH:MM`` or ISO
8601, local time), ``expected_attendance``, ``children_count``, ``organiser``,
``organiser_contact``, ``organiser_ref``, ``fire_standby_planned``,
``medical_presence_planned`` (yes/no). If any row is wrong nothing is imported and every
problem is reported with its line, column and reason. Re-importing the same file updates the
events it created instead of adding copies: the natural key is ``organiser_ref`` when given,
else name + venue + start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from saqshy.accounts.queries import region_locator
from saqshy.core import audit, importing
from saqshy.core.importing import ImportFileError, RowError
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name, user_scope
from saqshy.facilities.queries import by_key as facility_by_key
from saqshy.gatherings.choices import GatheringKind, GatheringStatus
from saqshy.gatherings.models import Gathering

COLUMNS = (
    "name",
    "kind",
    "venue",
    "lat",
    "lon",
    "starts_at",
    "ends_at",
    "expected_attendance",
    "children_count",
    "organiser",
    "organiser_contact",
    "organiser_ref",
    "fire_standby_planned",
    "medical_presence_planned",
)
REQUIRED = ("name", "kind", "starts_at", "ends_at", "expected_attendance", "organiser")
TRUE = {"1", "true", "yes", "y", "да", "иә", "ия"}
FALSE = {"", "0", "false", "no", "n", "нет", "жоқ"}
UPDATABLE = (
    "name",
    "kind",
    "venue_id",
    "lat",
    "lon",
    "region_id",
    "starts_at",
    "ends_at",
    "expected_attendance",
    "children_involved",
    "children_count",
    "organiser",
    "organiser_contact",
    "fire_standby_planned",
    "medical_presence_planned",
)


@dataclass
class ImportResult(importing.ImportResult):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _Row(importing.RowParser):
    bad_time = gettext_noop("Give a date and time like 2026-12-31 20:00 (got %(value)s).")

    def text(self, column: str, required: bool = False, limit: int = 255) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.fail(column, _("This field is required."))
        if len(value) > limit:
            self.fail(column, _("Longer than %(n)s characters.") % {"n": limit})
        return value

    def number(self, column: str, required: bool = False, kind: type = int) -> Any:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.fail(column, _("This field is required."))
            return None
        try:
            number = kind(value.replace(",", ".")) if kind is float else int(value)
        except ValueError:
            self.fail(column, _("Not a number: %(value)s") % {"value": value})
            return None
        if kind is int and number < 0:
            self.fail(column, _("Must not be negative."))
        return number

    def flag(self, column: str) -> bool:
        value = self.values.get(column, "").lower()
        if value in TRUE:
            return True
        if value not in FALSE:
            self.fail(column, _("Answer yes or no (got %(value)s).") % {"value": value})
        return False


def _kinds() -> dict[str, str]:
    table = {value: value for value in GatheringKind.values()}
    table.update({str(label).lower(): value for value, label in GatheringKind.choices()})
    return table


def import_gatherings(
    *,
    acting_user: Any,
    name: str,
    data: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate every row, then import all of them in one transaction, or none."""
    result = ImportResult()
    rows = list(importing.read_rows(name, data, required=REQUIRED))
    result.rows = len(rows)
    if not rows:
        raise ImportFileError(_("The file has a header but no events."))
    venues = facility_by_key(acting_user, {values.get("venue", "") for _l, values in rows} - {""})
    kinds = _kinds()
    locate = region_locator()
    allowed = user_scope(acting_user, Gathering, "add") if acting_user else None
    parsed: list[tuple[int, Gathering]] = []
    for done, (line, values) in enumerate(rows, start=1):
        if progress:
            progress(done)
        row = _Row(line, values, result.errors)
        kind_text = row.text("kind", required=True).lower()
        kind = kinds.get(kind_text)
        if kind_text and kind is None:
            row.fail(
                "kind",
                _("Unknown kind %(value)s; use one of: %(kinds)s.")
                % {"value": kind_text, "kinds": ", ".join(GatheringKind.values())},
            )
        venue_key = values.get("venue", "")
        venue = venues.get(venue_key) if venue_key else None
        if venue_key and venue is None:
            row.fail("venue", _("No facility %(value)s that you may see.") % {"value": venue_key})
        lat, lon = row.number("lat", kind=float), row.number("lon", kind=float)
        if venue is not None:
            lat, lon, region_id = venue.lat, venue.lon, venue.region_id
        elif lat is None or lon is None:
            region_id = None
            if not venue_key:
                row.fail("venue", _("Give a venue, or lat and lon for an outdoor event."))
        else:
            region_id = locate(lat, lon)
            if region_id is None:
                row.fail("lat", _("This location lies outside every known region."))
        if region_id is not None and allowed is not None and not allowed.covers(region_id):
            row.fail("venue", _("You may not add events in this region."))
        starts, ends = row.when("starts_at"), row.when("ends_at")
        if starts and ends and ends <= starts:
            row.fail("ends_at", _("The event must end after it starts."))
        attendance = row.number("expected_attendance", required=True)
        children = row.number("children_count") or 0
        if attendance is not None and children > attendance:
            row.fail("children_count", _("More children than the expected attendance."))
        gathering = Gathering(  # type: ignore[misc]
            name=row.text("name", required=True),
            kind=kind or "",
            venue=venue,
            lat=lat,
            lon=lon,
            region_id=region_id,
            starts_at=starts,
            ends_at=ends,
            expected_attendance=attendance or 0,
            children_involved=children > 0,
            children_count=children,
            organiser=row.text("organiser", required=True),
            organiser_contact=row.text("organiser_contact"),
            organiser_ref=row.text("organiser_ref", limit=80),
            fire_standby_planned=row.flag("fire_standby_planned"),
            medical_presence_planned=row.flag("medical_presence_planned"),
            status=GatheringStatus.DRAFT,
        )
        parsed.append((line, gathering))
    if result.errors:
        return result
    _save(acting_user, parsed, result)
    return result


def _natural_key(g: Gathering) -> tuple[Any, ...]:
    if g.organiser_ref:
        return ("ref", g.organiser_ref)
    return ("event", g.name, g.venue_id, g.starts_at)


def _save(acting_user: Any, parsed: list[tuple[int, Gathering]], result: ImportResult) -> None:
    refs = {g.organiser_ref for _line, g in parsed if g.organiser_ref}
    names = {g.name for _line, g in parsed if not g.organiser_ref}
    existing = {
        _natural_key(g): g
        for g in Gathering.objects.filter(organiser_ref__in=refs)
        | Gathering.objects.filter(name__in=names, organiser_ref="")
    }
    to_create, to_update, changes = [], [], []
    seen: dict[tuple[Any, ...], int] = {}
    for line, gathering in parsed:
        key = _natural_key(gathering)
        if key in seen:
            result.errors.append(
                RowError(
                    line,
                    "organiser_ref",
                    _("The same event as line %(line)s.") % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        current = existing.get(key)
        if current is None:
            to_create.append(gathering)
            continue
        before = audit.snapshot(current)
        for name in UPDATABLE:
            setattr(current, name, getattr(gathering, name))
        old, new = audit.diff(before, audit.snapshot(current))
        if not new:
            result.unchanged += 1
        elif current.status not in (GatheringStatus.DRAFT, GatheringStatus.SUBMITTED):
            result.errors.append(
                RowError(
                    line,
                    "",
                    _("This event is already %(status)s and can no longer be changed by import.")
                    % {"status": GatheringStatus.label(current.status)},
                )
            )
        else:
            current.updated_at = timezone.now()
            to_update.append(current)
            changes.append(
                audit.Change("update", current, current.region_id, before=old, after=new)
            )
    if result.errors:
        return
    with transaction.atomic():
        created = Gathering.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Gathering.objects.bulk_update(to_update, [*UPDATABLE, "updated_at"], batch_size=500)
        changes.extend(
            audit.Change("create", g, g.region_id, after=audit.snapshot(g)) for g in created
        )
        audit.record(acting_user=acting_user, changes=changes)
        for region_id in {g.region_id for g in [*created, *to_update]}:
            publish_on_commit(
                topic="gathering",
                op="reloaded",
                object_id=0,
                region_id=region_id,
                perm=perm_name(Gathering, "view"),
            )
    result.created, result.updated = len(created), len(to_update)
