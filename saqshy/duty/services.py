"""Every change to duty records: personnel and absences.

Posts derived from the records are in ``duty.posts``; readiness levels in
``duty.readiness.services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Agency, District, Region
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name, user_scope
from saqshy.duty.models import Absence, Person

PERSON_FIELDS = (
    "agency",
    "region",
    "district",
    "personnel_number",
    "first_name",
    "last_name",
    "position",
    "skills",
    "weekly_hours",
    "phone",
    "active",
)


def _person_payload(person: Person) -> dict[str, Any]:
    return {"name": person.full_name, "agency_id": person.agency_id, "active": person.active}


def _clean_skills(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", ";").split(";")
    if not isinstance(value, list | tuple):
        raise ValidationError({"skills": [_("Give the skills as a list of short codes.")]})
    skills = []
    for item in value:
        code = str(item).strip().lower()
        if code and code not in skills:
            skills.append(code)
    return skills


def _check_person(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    agency_region = person.agency.region_id if person.agency_id else None
    if agency_region is not None and agency_region != person.region_id:
        errors["agency"] = [_("This agency works in another region.")]
    if person.district_id and person.district and person.district.region_id != person.region_id:
        errors["district"] = [_("This district lies in another region.")]
    if errors:
        raise ValidationError(errors)


def create_person(*, acting_user: Any, **fields: Any) -> Person:
    """Add a member of personnel; the region defaults to the agency's."""
    agency: Agency | None = fields.get("agency")
    if "region" not in fields and "region_id" not in fields and agency is not None:
        fields["region_id"] = agency.region_id
    fields["skills"] = _clean_skills(fields.get("skills", []))
    person = Person(**fields)
    _check_person(person)
    return core_services.create(acting_user=acting_user, instance=person, payload=_person_payload)


def update_person(*, acting_user: Any, person: Person, **changes: Any) -> Person:
    if "skills" in changes:
        changes["skills"] = _clean_skills(changes["skills"])
    candidate = Person.objects.get(pk=person.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _check_person(candidate)
    return core_services.update(
        acting_user=acting_user, instance=person, changes=changes, payload=_person_payload
    )


def delete_person(*, acting_user: Any, person: Person) -> None:
    """Remove a person entered by mistake; people who leave are made inactive instead."""
    core_services.delete(acting_user=acting_user, instance=person)


@dataclass
class PersonnelImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def import_personnel(
    *, acting_user: Any, region: Region, rows: Iterable[dict[str, Any]]
) -> PersonnelImport:
    """Create or update personnel matched by (agency code, personnel number); all or nothing.

    Each row names ``agency`` (code), ``personnel_number``, ``first_name``, ``last_name`` and
    optionally ``position``, ``skills`` (``;``-separated or a list), ``weekly_hours``,
    ``phone``, ``district`` (slug) and ``active``. Any bad row refuses the whole import with
    every problem named by row and column. Each created or changed person is audited.
    """
    rows = list(rows)
    agencies = {a.code: a for a in Agency.objects.filter(Q(region=region) | Q(region=None))}
    districts = {d.slug: d for d in District.objects.filter(region=region)}
    numbers = {
        (str(r.get("agency", "")).strip(), str(r.get("personnel_number", "")).strip()) for r in rows
    }
    existing = {
        (p.agency.code, p.personnel_number): p
        for p in Person.objects.filter(
            region=region, personnel_number__in=[n for _a, n in numbers]
        ).select_related("agency")
    }
    result = PersonnelImport()
    to_create: list[Person] = []
    to_update: list[tuple[Person, dict[str, Any], dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    now = timezone.now()
    for line, row in enumerate(rows, start=1):
        problems = _row_problems(row, agencies, districts, seen)
        if problems:
            result.errors.extend(
                f"{_('Row')} {line}: {column}: {text}" for column, text in problems
            )
            continue
        agency = agencies[str(row["agency"]).strip()]
        number = str(row["personnel_number"]).strip()
        seen.add((agency.code, number))
        values = _row_values(row, agency, region, districts)
        if user_scope_refuses(acting_user, region, agency):
            result.errors.append(
                f"{_('Row')} {line}: agency: "
                + _("You may not add personnel of this agency in this region.")
            )
            continue
        current = existing.get((agency.code, number))
        if current is None:
            person = Person(personnel_number=number, **values)
            try:
                # The agency and district come from the region's own lists above; checking each
                # foreign key again would cost three queries a row.
                person.full_clean(exclude=["agency", "region", "district"], validate_unique=False)
            except ValidationError as error:
                result.errors.extend(
                    f"{_('Row')} {line}: {name}: {' '.join(texts)}"
                    for name, texts in error.message_dict.items()
                )
                continue
            to_create.append(person)
            continue
        before = audit.snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.updated_at = now
        old, new = audit.diff(before, audit.snapshot(current))
        if new:
            to_update.append((current, old, new))
        else:
            result.unchanged += 1
    if result.errors:
        raise ValidationError({"file": result.errors})
    with transaction.atomic():
        created = Person.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Person.objects.bulk_update(
                [p for p, _old, _new in to_update],
                [*(f for f in PERSON_FIELDS if f != "personnel_number"), "updated_at"],
                batch_size=500,
            )
        if any(p.pk is None for p in created):
            keys = {(p.agency_id, p.personnel_number) for p in created}
            created = [
                p
                for p in Person.objects.filter(region=region)
                if (p.agency_id, p.personnel_number) in keys
            ]
        audit.record(
            acting_user=acting_user,
            changes=[
                *(audit.Change("create", p, p.region_id, after=audit.snapshot(p)) for p in created),
                *(
                    audit.Change("update", p, p.region_id, before=o, after=n)
                    for p, o, n in to_update
                ),
            ],
        )
        if created or to_update:
            publish_on_commit(
                topic="person",
                op="reloaded",
                object_id=0,
                region_id=region.pk,
                perm=perm_name(Person, "view"),
            )
    result.created, result.updated = len(created), len(to_update)
    return result


def user_scope_refuses(acting_user: Any, region: Region, agency: Agency) -> bool:
    if acting_user is None or getattr(acting_user, "is_superuser", False):
        return False
    return not user_scope(acting_user, Person, "add").covers(region.pk, agency.pk)


def _row_problems(
    row: dict[str, Any],
    agencies: dict[str, Agency],
    districts: dict[str, District],
    seen: set[tuple[str, str]],
) -> list[tuple[str, str]]:
    problems = []
    for column in ("agency", "personnel_number", "first_name", "last_name"):
        if not str(row.get(column) or "").strip():
            problems.append((column, _("This column is required.")))
    code = str(row.get("agency") or "").strip()
    if code and code not in agencies:
        problems.append(("agency", _("No agency with this code works in the region.")))
    district = str(row.get("district") or "").strip()
    if district and district not in districts:
        problems.append(("district", _("No district with this slug in the region.")))
    hours = str(row.get("weekly_hours") or "").strip()
    if hours and not (hours.isdigit() and 0 < int(hours) <= 168):
        problems.append(("weekly_hours", _("Give whole hours per week between 1 and 168.")))
    if (code, str(row.get("personnel_number") or "").strip()) in seen:
        problems.append(("personnel_number", _("This person appears twice in the file.")))
    return problems


def _row_values(
    row: dict[str, Any], agency: Agency, region: Region, districts: dict[str, District]
) -> dict[str, Any]:
    district = str(row.get("district") or "").strip()
    hours = str(row.get("weekly_hours") or "").strip()
    active = str(row.get("active", "1")).strip().lower()
    return {
        "agency": agency,
        "region": region,
        "district": districts[district] if district else None,
        "first_name": str(row["first_name"]).strip()[:100],
        "last_name": str(row["last_name"]).strip()[:100],
        "position": str(row.get("position") or "").strip()[:120],
        "skills": _clean_skills(row.get("skills") or []),
        "weekly_hours": int(hours) if hours else 40,
        "phone": str(row.get("phone") or "").strip()[:40],
        "active": active not in {"0", "false", "no", "n"},
    }


def _absence_payload(absence: Absence) -> dict[str, Any]:
    return {
        "person_id": absence.person_id,
        "kind": absence.kind,
        "starts_at": absence.starts_at.isoformat(),
        "ends_at": absence.ends_at.isoformat(),
    }


def add_absence(
    *,
    acting_user: Any,
    person: Person,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
) -> Absence:
    """Record leave, sickness or training; it may not overlap another absence of the person."""
    absence = Absence(person=person, kind=kind, starts_at=starts_at, ends_at=ends_at, note=note)
    absence.clean()
    with transaction.atomic():
        Person.objects.select_for_update(no_key=True).filter(pk=person.pk).first()
        if Absence.objects.filter(
            person=person, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            raise ValidationError(
                {"starts_at": [_("This person is already absent for part of this time.")]}
            )
        return core_services.create(
            acting_user=acting_user, instance=absence, payload=_absence_payload
        )


def remove_absence(*, acting_user: Any, absence: Absence) -> None:
    core_services.delete(acting_user=acting_user, instance=absence)
