"""Every change to pyrotechnics records: outlets, raids and their visits, seizures.

Each function takes a keyword-only ``acting_user``, checks the user's scope where the record
lives, validates everything before writing anything, and saves in one transaction with one
audit entry per row written and a live message on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saqshy.accounts.queries import region_id_containing
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.models import BaseModel
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.facilities.models import Facility
from saqshy.pyrotechnics.choices import RaidStatus, VisitResult
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, Seizure, SeizureLine

# Outlets


def _outlet_payload(outlet: Outlet) -> dict[str, Any]:
    return outlet.map_feature()


def _place(fields: dict[str, Any], facility: Facility | None) -> None:
    """Take the facility's location when none is given, then derive the region from it."""
    if (fields.get("lat") is None or fields.get("lon") is None) and facility is not None:
        fields["lat"], fields["lon"] = facility.lat, facility.lon
    lat, lon = fields.get("lat"), fields.get("lon")
    if lat is None or lon is None:
        raise ValidationError({"lat": [_("Give a location or link a facility.")]})
    region_id = region_id_containing(float(lat), float(lon))
    if facility is not None and facility.region_id != region_id:
        raise ValidationError(
            {"facility": [_("The linked facility lies in another region than the outlet.")]}
        )
    fields["region_id"] = region_id


def create_outlet(*, acting_user: Any, **fields: Any) -> Outlet:
    """Add an outlet; without a location it takes its facility's, and the region follows."""
    fields.pop("region", None)
    _place(fields, fields.get("facility"))
    outlet = Outlet(**fields)
    return core_services.create(acting_user=acting_user, instance=outlet, payload=_outlet_payload)


def update_outlet(*, acting_user: Any, outlet: Outlet, **changes: Any) -> Outlet:
    """Change an outlet; a new location (or a cleared one, with a facility) moves its region."""
    changes.pop("region", None)
    if {"lat", "lon", "facility"} & changes.keys():
        located = {"lat": changes.get("lat", outlet.lat), "lon": changes.get("lon", outlet.lon)}
        _place(located, changes.get("facility", outlet.facility))
        changes.update(located)
    return core_services.update(
        acting_user=acting_user, instance=outlet, changes=changes, payload=_outlet_payload
    )


def delete_outlet(*, acting_user: Any, outlet: Outlet) -> None:
    """Delete an outlet that no raid visited and nothing was seized at; else deactivate it."""
    core_services.require_scope(acting_user, outlet, "delete")
    if outlet.visits.exists() or outlet.seizures.exists():
        raise ValidationError(
            _("This outlet has raid visits or seizures on record; mark it inactive instead.")
        )
    core_services.delete(acting_user=acting_user, instance=outlet)


# Writing several rows at once, one audit entry each


def _write(
    acting_user: Any,
    *,
    created: Iterable[BaseModel] = (),
    updated: Iterable[tuple[BaseModel, dict[str, Any]]] = (),
    deleted: Iterable[BaseModel] = (),
) -> list[audit.Change]:
    """Save, update (with its ``before`` snapshot) and delete rows; return their audit changes.

    Must run inside the caller's transaction; the caller records the changes and publishes.
    """
    changes: list[audit.Change] = []
    for instance in deleted:
        before = audit.snapshot(instance)
        changes.append(audit.Change("delete", instance, instance.scope_region_id(), before=before))
        pk = instance.pk
        instance.delete()
        instance.pk = pk
    for instance, before in updated:
        old, new = audit.diff(before, audit.snapshot(instance))
        if new:
            instance.save()
            changes.append(
                audit.Change("update", instance, instance.scope_region_id(), before=old, after=new)
            )
    for instance in created:
        instance.save()
        changes.append(
            audit.Change(
                "create", instance, instance.scope_region_id(), after=audit.snapshot(instance)
            )
        )
    return changes


def _publish(instance: BaseModel, op: str, data: dict[str, Any]) -> None:
    publish_on_commit(
        topic=type(instance)._meta.model_name or "",
        op=op,
        object_id=instance.pk,
        region_id=instance.scope_region_id(),
        perm=perm_name(type(instance), "view"),
        data=data,
    )


def _create_with_children(
    acting_user: Any,
    parent: BaseModel,
    children: Iterable[BaseModel],
    payload: Callable[[], dict[str, Any]],
) -> None:
    """Save a validated record and its rows (which refer to it), each audited; push once."""
    with transaction.atomic():
        changes = _write(acting_user, created=[parent])
        changes += _write(acting_user, created=children)  # their foreign keys now take its id
        audit.record(acting_user=acting_user, changes=changes)
        _publish(parent, "created", payload())


def _raise_for(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Raids and their visits


def _raid_payload(raid: Raid) -> dict[str, Any]:
    return {
        "id": raid.pk,
        "planned_on": raid.planned_on,
        "status": raid.status,
        "region": raid.region_id,
        "colour": raid.colour,
    }


def _new_visits(raid: Raid, outlets: Iterable[Outlet], acting_user: Any) -> list[RaidVisit]:
    """Visits of ``raid`` to ``outlets``, validated; an outlet elsewhere names ``outlets``."""
    visits, errors = [], []
    for outlet in outlets:
        visit = RaidVisit(raid=raid, outlet=outlet)
        core_services.require_scope(acting_user, visit, "add")
        if outlet.region_id != raid.region_id:
            errors.append(
                _("%(outlet)s lies in another region than the raid.") % {"outlet": outlet}
            )
        visits.append(visit)
    _raise_for({"outlets": errors} if errors else {})
    return visits


def create_raid(*, acting_user: Any, outlets: Iterable[Outlet] = (), **fields: Any) -> Raid:
    """Plan a raid and the outlets it will visit, all in the raid's region."""
    raid = Raid(**fields)
    core_services.require_scope(acting_user, raid, "add")
    raid.full_clean()
    outlets = list(dict.fromkeys(outlets))
    visits = _new_visits(raid, outlets, acting_user)
    _create_with_children(acting_user, raid, visits, lambda: _raid_payload(raid))
    return raid


def update_raid(
    *, acting_user: Any, raid: Raid, outlets: Iterable[Outlet] | None = None, **changes: Any
) -> Raid:
    """Change a raid; ``outlets`` (when given) becomes its route.

    Outlets no longer on the route lose their visit, unless a result was already recorded
    there. Every outlet on the route must lie in the raid's (possibly new) region.
    """
    core_services.require_scope(acting_user, raid, "change")
    before = audit.snapshot(raid)
    for name, value in changes.items():
        setattr(raid, name, value)
    core_services.require_scope(acting_user, raid, "change")
    raid.full_clean()
    current = {visit.outlet_id: visit for visit in raid.visits.select_related("outlet")}
    added: list[RaidVisit] = []
    removed: list[RaidVisit] = []
    if outlets is not None:
        wanted = list(dict.fromkeys(outlets))
        wanted_ids = {outlet.pk for outlet in wanted}
        added = _new_visits(raid, [o for o in wanted if o.pk not in current], acting_user)
        removed = [v for outlet_id, v in current.items() if outlet_id not in wanted_ids]
        kept_results = [v for v in removed if v.result != VisitResult.PENDING]
        _raise_for(
            {
                "outlets": [
                    _("%(outlet)s already has a result recorded; it stays on the route.")
                    % {"outlet": v.outlet}
                    for v in kept_results
                ]
            }
            if kept_results
            else {}
        )
        for visit in removed:
            core_services.require_scope(acting_user, visit, "delete")
    staying = [v for v in current.values() if v not in removed]
    elsewhere = [v.outlet for v in staying if v.outlet.region_id != raid.region_id]
    if elsewhere:
        key = "region" if "region" in changes or "region_id" in changes else "outlets"
        raise ValidationError(
            {
                key: [
                    _("%(outlet)s lies in another region than the raid.") % {"outlet": outlet}
                    for outlet in elsewhere
                ]
            }
        )
    with transaction.atomic():
        entries = _write(acting_user, deleted=removed, updated=[(raid, before)], created=added)
        if not entries:
            return raid
        audit.record(acting_user=acting_user, changes=entries)
        _publish(raid, "updated", _raid_payload(raid))
    return raid


def delete_raid(*, acting_user: Any, raid: Raid) -> None:
    """Delete a raid with its visits; a raid with seizures on record is cancelled instead."""
    core_services.require_scope(acting_user, raid, "delete")
    if raid.seizures.exists():
        raise ValidationError(
            _("Seizures were recorded during this raid; cancel it instead of deleting it.")
        )
    visits = list(raid.visits.all())
    for visit in visits:
        core_services.require_scope(acting_user, visit, "delete")
    with transaction.atomic():
        changes = _write(acting_user, deleted=[*visits, raid])
        audit.record(acting_user=acting_user, changes=changes)
        _publish(raid, "deleted", {})


def add_visit(*, acting_user: Any, raid: Raid, outlet: Outlet, note: str = "") -> RaidVisit:
    """Put one more outlet on a raid's route."""
    visit = RaidVisit(raid=raid, outlet=outlet, note=note)
    return core_services.create(acting_user=acting_user, instance=visit, payload=_visit_payload)


def remove_visit(*, acting_user: Any, visit: RaidVisit) -> None:
    """Take an outlet off a raid's route, unless a result was already recorded there."""
    if visit.result != VisitResult.PENDING:
        raise ValidationError(
            {"outlet": [_("A result is already recorded for this outlet; it stays on the route.")]}
        )
    core_services.delete(acting_user=acting_user, instance=visit)


def _visit_payload(visit: RaidVisit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "raid": visit.raid_id,
        "outlet": visit.outlet_id,
        "result": visit.result,
        "colour": visit.colour,
    }


def record_visit_result(
    *, acting_user: Any, visit: RaidVisit, result: str, note: str = ""
) -> RaidVisit:
    """Record what the raid found at one outlet (a cancelled raid records nothing)."""
    if visit.raid.status == RaidStatus.CANCELLED:
        raise ValidationError({"result": [_("The raid was cancelled; no result can be recorded.")]})
    return core_services.update(
        acting_user=acting_user,
        instance=visit,
        changes={"result": result, "note": note},
        payload=_visit_payload,
    )


# Seizures


def _seizure_payload(seizure: Seizure, lines: Iterable[SeizureLine]) -> dict[str, Any]:
    lines = list(lines)
    return {
        "id": seizure.pk,
        "outlet": seizure.outlet_id,
        "raid": seizure.raid_id,
        "seized_on": seizure.seized_on,
        "units": sum(line.units for line in lines),
        "boxes": sum(line.boxes for line in lines),
    }


LINE_FIELDS = ("product", "certified", "units", "boxes")


def _line_error(number: int, field: str, message: str) -> str:
    """``Line 2, units: …`` so a person finds the row the error is about."""
    if field in LINE_FIELDS:
        label = getattr(SeizureLine._meta.get_field(field), "verbose_name", field)
        return _("Line %(number)s, %(field)s: %(message)s") % {
            "number": number,
            "field": label,
            "message": message,
        }
    return _("Line %(number)s: %(message)s") % {"number": number, "message": message}


def _new_lines(
    seizure: Seizure, lines: Iterable[Mapping[str, Any]], acting_user: Any
) -> list[SeizureLine]:
    """Validate every line before any is saved; errors name the line by its number."""
    built, errors = [], []
    for number, values in enumerate(lines, start=1):
        unknown = set(values) - set(LINE_FIELDS)
        if unknown:
            raise ValueError(f"unknown seizure line fields: {sorted(unknown)}")
        line = SeizureLine(seizure=seizure, **values)
        core_services.require_scope(acting_user, line, "add")
        try:
            line.full_clean(exclude=["seizure"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    errors.append(_line_error(number, field, message))
        built.append(line)
    if not built and not errors:
        errors.append(_("Add at least one line: what was seized, and how much."))
    _raise_for({"lines": errors} if errors else {})
    return built


def record_seizure(
    *,
    acting_user: Any,
    outlet: Outlet,
    raid: Raid | None,
    seized_on: datetime.date,
    lines: Iterable[Mapping[str, Any]],
    notes: str = "",
) -> Seizure:
    """Record what was confiscated at an outlet, with its lines, all or nothing."""
    seizure = Seizure(
        outlet=outlet, raid=raid, seized_on=seized_on, notes=notes, region_id=outlet.region_id
    )
    core_services.require_scope(acting_user, seizure, "add")
    seizure.full_clean()
    built = _new_lines(seizure, lines, acting_user)
    _create_with_children(acting_user, seizure, built, lambda: _seizure_payload(seizure, built))
    return seizure


def update_seizure(
    *,
    acting_user: Any,
    seizure: Seizure,
    lines: Iterable[Mapping[str, Any]] | None = None,
    **changes: Any,
) -> Seizure:
    """Change a seizure; ``lines`` (when given) replace its lines. All or nothing."""
    core_services.require_scope(acting_user, seizure, "change")
    before = audit.snapshot(seizure)
    for name, value in changes.items():
        setattr(seizure, name, value)
    seizure.region_id = seizure.outlet.region_id
    core_services.require_scope(acting_user, seizure, "change")
    seizure.full_clean()
    old_lines = list(seizure.lines.all())
    new_lines: list[SeizureLine] = []
    if lines is not None:
        new_lines = _new_lines(seizure, lines, acting_user)
        for line in old_lines:
            core_services.require_scope(acting_user, line, "delete")
    with transaction.atomic():
        entries = _write(
            acting_user,
            deleted=old_lines if lines is not None else [],
            updated=[(seizure, before)],
            created=new_lines,
        )
        if not entries:
            return seizure
        audit.record(acting_user=acting_user, changes=entries)
        current = new_lines if lines is not None else old_lines
        _publish(seizure, "updated", _seizure_payload(seizure, current))
    return seizure


def delete_seizure(*, acting_user: Any, seizure: Seizure) -> None:
    """Delete a seizure and its lines (each line gets its own audit entry)."""
    core_services.require_scope(acting_user, seizure, "delete")
    lines = list(seizure.lines.all())
    for line in lines:
        core_services.require_scope(acting_user, line, "delete")
    with transaction.atomic():
        changes = _write(acting_user, deleted=[*lines, seizure])
        audit.record(acting_user=acting_user, changes=changes)
        _publish(seizure, "deleted", {})
