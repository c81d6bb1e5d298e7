"""Every change to fire equipment: hydrants, a facility's equipment, and their checks.

Each function takes a keyword-only ``acting_user``, checks the user's scope where the record
lives, and writes in one transaction through ``core.services`` (audit entry per row, live push
on commit). Recording a check also sets the checked record's state, in the same transaction:
the newest check (by date; on the same date, the one recorded last) decides ``operable`` /
``in_order`` and ``last_checked_on``; a check dated before the newest one is kept as history
and changes nothing else.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.queries import region_id_containing
from saqshy.core import services as core_services
from saqshy.core.models import BaseModel
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck

# Hydrants


def _hydrant_payload(hydrant: Hydrant) -> dict[str, Any]:
    return hydrant.map_feature()


def _place(fields: dict[str, Any]) -> None:
    """Derive the region from the location; a location outside every region is refused."""
    lat, lon = fields.get("lat"), fields.get("lon")
    if lat is None or lon is None:
        return  # full_clean names the missing coordinate
    region_id = region_id_containing(float(lat), float(lon))
    fields["region_id"] = region_id


def _require_free_code(code: str, region_id: int | None, exclude_pk: int | None = None) -> None:
    if not code or region_id is None:
        return  # full_clean names what is missing
    taken = Hydrant.objects.filter(region_id=region_id, code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"code": [_("A hydrant with this number already exists in this region.")]}
        )


def create_hydrant(*, acting_user: Any, **fields: Any) -> Hydrant:
    """Add a hydrant; its region comes from its location."""
    fields.pop("region", None)
    _place(fields)
    hydrant = Hydrant(**fields)
    core_services.require_scope(acting_user, hydrant, "add")
    _require_free_code(hydrant.code, hydrant.region_id)
    return core_services.create(acting_user=acting_user, instance=hydrant, payload=_hydrant_payload)


def update_hydrant(*, acting_user: Any, hydrant: Hydrant, **changes: Any) -> Hydrant:
    """Change a hydrant; moving it re-derives its region (both must be in the user's scope)."""
    changes.pop("region", None)
    if "lat" in changes or "lon" in changes:
        located = {"lat": changes.get("lat", hydrant.lat), "lon": changes.get("lon", hydrant.lon)}
        _place(located)
        changes["region_id"] = located["region_id"]
    if "code" in changes or "region_id" in changes:
        # Scope first, so a refused user learns nothing about numbers in other regions.
        core_services.require_scope(acting_user, hydrant, "change")
        moved = Hydrant(region_id=changes.get("region_id", hydrant.region_id))
        core_services.require_scope(acting_user, moved, "change")
        _require_free_code(
            changes.get("code", hydrant.code),
            changes.get("region_id", hydrant.region_id),
            exclude_pk=hydrant.pk,
        )
    return core_services.update(
        acting_user=acting_user, instance=hydrant, changes=changes, payload=_hydrant_payload
    )


def _delete_with_checks(acting_user: Any, instance: BaseModel, checks: Any) -> None:
    """Delete a record and its check history; ``core.services.delete`` audits every row the
    delete removes (the checks cascade with it)."""
    core_services.delete(acting_user=acting_user, instance=instance)


def delete_hydrant(*, acting_user: Any, hydrant: Hydrant) -> None:
    """Remove a hydrant (e.g. dismantled) together with its check history, all audited."""
    _delete_with_checks(acting_user, hydrant, hydrant.checks.select_related("hydrant"))


def _not_in_future(on: datetime.date, field: str = "checked_on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: [_("A check cannot be dated in the future.")]})


def _checker(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def record_hydrant_check(
    *,
    acting_user: Any,
    hydrant: Hydrant,
    checked_on: datetime.date,
    operable: bool,
    pressure_ok: bool | None = None,
    access_clear: bool | None = None,
    note: str = "",
) -> HydrantCheck:
    """Record a check on site; the newest check sets the hydrant's operable state and date."""
    check = HydrantCheck(
        hydrant=hydrant,
        checked_on=checked_on,
        operable=operable,
        pressure_ok=pressure_ok,
        access_clear=access_clear,
        note=note,
        checked_by=_checker(acting_user),
    )
    core_services.require_scope(acting_user, check, "add")
    core_services.require_scope(acting_user, hydrant, "change")
    _not_in_future(checked_on)
    with transaction.atomic():
        current = Hydrant.objects.select_for_update(no_key=True).get(pk=hydrant.pk)
        core_services.create(acting_user=acting_user, instance=check)
        if current.last_checked_on is None or checked_on >= current.last_checked_on:
            core_services.update(
                acting_user=acting_user,
                instance=current,
                changes={"operable": operable, "last_checked_on": checked_on},
                payload=_hydrant_payload,
            )
    hydrant.operable, hydrant.last_checked_on = current.operable, current.last_checked_on
    return check


# A facility's equipment


def _equipment_payload(equipment: FacilityEquipment) -> dict[str, Any]:
    return {
        "facility": equipment.facility_id,
        "kind": equipment.kind,
        "in_order": equipment.in_order,
        "next_check_due": str(equipment.next_check_due or ""),
    }


def create_equipment(*, acting_user: Any, **fields: Any) -> FacilityEquipment:
    """Add equipment to a facility (in the facility's region)."""
    equipment = FacilityEquipment(**fields)
    return core_services.create(
        acting_user=acting_user, instance=equipment, payload=_equipment_payload
    )


def update_equipment(
    *, acting_user: Any, equipment: FacilityEquipment, **changes: Any
) -> FacilityEquipment:
    """Change equipment; moving it to another facility needs the change scope of both."""
    return core_services.update(
        acting_user=acting_user, instance=equipment, changes=changes, payload=_equipment_payload
    )


def delete_equipment(*, acting_user: Any, equipment: FacilityEquipment) -> None:
    """Remove equipment (e.g. written off) together with its check history, all audited."""
    _delete_with_checks(
        acting_user, equipment, equipment.checks.select_related("equipment__facility")
    )


def record_equipment_check(
    *,
    acting_user: Any,
    equipment: FacilityEquipment,
    checked_on: datetime.date,
    in_order: bool,
    note: str = "",
    next_check_due: datetime.date | None = None,
) -> EquipmentCheck:
    """Record a check; the newest check sets ``in_order``, ``last_checked_on`` and, when
    given, the date of the next check (which must come after this one)."""
    check = EquipmentCheck(
        equipment=equipment,
        checked_on=checked_on,
        in_order=in_order,
        note=note,
        checked_by=_checker(acting_user),
    )
    core_services.require_scope(acting_user, check, "add")
    core_services.require_scope(acting_user, equipment, "change")
    _not_in_future(checked_on)
    if next_check_due is not None and next_check_due <= checked_on:
        raise ValidationError({"next_check_due": [_("The next check must come after this check.")]})
    with transaction.atomic():
        current = FacilityEquipment.objects.select_for_update(no_key=True).get(pk=equipment.pk)
        core_services.create(acting_user=acting_user, instance=check)
        if current.last_checked_on is None or checked_on >= current.last_checked_on:
            changes: dict[str, Any] = {"in_order": in_order, "last_checked_on": checked_on}
            if next_check_due is not None:
                changes["next_check_due"] = next_check_due
            core_services.update(
                acting_user=acting_user,
                instance=current,
                changes=changes,
                payload=_equipment_payload,
            )
    equipment.in_order = current.in_order
    equipment.last_checked_on = current.last_checked_on
    equipment.next_check_due = current.next_check_due
    return check
