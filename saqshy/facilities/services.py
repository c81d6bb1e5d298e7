"""Every change to facilities: by hand (UI, API) or in bulk from OpenStreetMap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.accounts.queries import district_locator, region_id_containing, region_locator
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.facilities.models import Facility

IMPORTED_FIELDS = (
    "kind",
    "name",
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "lat",
    "lon",
    "footprint",
    "capacity",
    "capacity_source",
    "operator",
    "contact_phone",
    "website",
    "storeys",
)


def _payload(facility: Facility) -> dict[str, Any]:
    return facility.map_feature()


def _place(fields: dict[str, Any]) -> None:
    """Derive the region, then the district, from the location when the caller did not
    name them."""
    lat, lon = fields.get("lat"), fields.get("lon")
    if lat is None or lon is None:
        return
    if fields.get("region") is None and fields.get("region_id") is None:
        fields["region_id"] = region_id_containing(float(lat), float(lon))
    if "district" not in fields and "district_id" not in fields:
        region = fields.get("region")
        region_id = region.pk if region is not None else fields.get("region_id")
        fields["district_id"] = district_locator(region_id)(float(lat), float(lon))


def create_facility(*, acting_user: Any, **fields: Any) -> Facility:
    """Add a facility; its region comes from its location unless given."""
    _place(fields)
    facility = Facility(**fields)
    return core_services.create(acting_user=acting_user, instance=facility, payload=_payload)


def update_facility(*, acting_user: Any, facility: Facility, **changes: Any) -> Facility:
    """Change a facility; moving it re-derives its region unless one is given."""
    if ("lat" in changes or "lon" in changes) and "region" not in changes:
        located = {"lat": changes.get("lat", facility.lat), "lon": changes.get("lon", facility.lon)}
        _place(located)
        changes["region_id"] = located["region_id"]
        if "district" not in changes and "district_id" not in changes:
            changes["district_id"] = located["district_id"]
    return core_services.update(
        acting_user=acting_user, instance=facility, changes=changes, payload=_payload
    )


def delete_facility(*, acting_user: Any, facility: Facility) -> None:
    core_services.delete(acting_user=acting_user, instance=facility)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    outside_region: int = 0
    # Matched facilities the importing user may not change (another region, or no change
    # right): reported, left exactly as they are.
    refused: int = 0
    per_kind: Counter[str] = field(default_factory=Counter)


def import_facilities(
    *,
    acting_user: Any,
    region: Region,
    records: Iterable[dict[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update facilities from OSM records, matched by ``osm_ref``; all or nothing.

    A record whose location is outside ``region``'s boundary is counted and left out, so an
    extract that spills over a border does not put facilities in the wrong region. A record
    matching a facility the user may not ``change`` (in any region) is counted as refused and
    the facility is left alone: the right to add is not a right to overwrite or move. Every
    created or changed facility gets its own audit entry; the map is told once to reload.
    """
    core_services.require_scope(acting_user, Facility(region=region, lat=0, lon=0), "add")
    result = ImportResult()
    records = list(records)
    matched = Facility.objects.filter(osm_ref__in=[r["osm_ref"] for r in records])
    existing = {f.osm_ref: f for f in matched}
    changeable = _changeable(acting_user, matched)
    to_create: list[Facility] = []
    to_update: list[tuple[Facility, dict[str, Any], dict[str, Any]]] = []
    locate = region_locator()
    district_at = district_locator(region.pk)
    now = timezone.now()
    for done, record in enumerate(records, start=1):
        if progress:
            progress(done)
        if locate(record["lat"], record["lon"]) != region.pk:
            result.outside_region += 1
            continue
        values = {name: record.get(_SOURCE_KEYS.get(name, name)) for name in IMPORTED_FIELDS}
        values = {k: ("" if v is None and k not in _NULLABLE else v) for k, v in values.items()}
        values = {k: _fit(k, v) for k, v in values.items()}
        values["district_id"] = district_at(record["lat"], record["lon"])
        result.per_kind[str(values["kind"])] += 1
        current = existing.get(record["osm_ref"])
        if current is not None and current.pk not in changeable:
            result.refused += 1
            continue
        if current is None:
            facility = Facility(osm_ref=record["osm_ref"], region=region, **values)
            facility.full_clean(validate_unique=False)
            to_create.append(facility)
            continue
        before = audit.snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.region = region
        current.updated_at = now
        old, new = audit.diff(before, audit.snapshot(current))
        if new:
            current.full_clean(validate_unique=False)
            to_update.append((current, old, new))
        else:
            result.unchanged += 1
    with transaction.atomic():
        Facility.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Facility.objects.bulk_update(
                [f for f, _old, _new in to_update],
                [*IMPORTED_FIELDS, "region", "district", "updated_at"],
                batch_size=500,
            )
        created = list(Facility.objects.filter(osm_ref__in=[f.osm_ref for f in to_create]))
        audit.record(
            acting_user=acting_user,
            changes=[
                *(audit.Change("create", f, f.region_id, after=audit.snapshot(f)) for f in created),
                *(
                    audit.Change("update", f, f.region_id, before=o, after=n)
                    for f, o, n in to_update
                ),
            ],
        )
        if created or to_update:
            publish_on_commit(
                topic="facility",
                op="reloaded",
                object_id=0,
                region_id=region.pk,
                perm=perm_name(Facility, "view"),
            )
    result.created, result.updated = len(created), len(to_update)
    return result


def _changeable(acting_user: Any, facilities: Any) -> set[int]:
    """Ids among ``facilities`` that ``acting_user`` may change (the system: all of them)."""
    if acting_user is None:
        return set(facilities.values_list("pk", flat=True))
    return set(facilities.restrict(acting_user, "change").values_list("pk", flat=True))


_NULLABLE = {"footprint", "capacity", "storeys"}


def _fit(name: str, value: Any) -> Any:
    """OSM text can exceed our columns (several phone numbers in one tag): clip at the limit."""
    limit = getattr(Facility._meta.get_field(name), "max_length", None)
    if limit and isinstance(value, str) and len(value) > limit:
        return value[:limit].rstrip()
    return value


# Record keys (``saqshy.algorithms.osm.FacilityRecord``) that differ from model fields.
_SOURCE_KEYS = {"contact_phone": "phone"}
