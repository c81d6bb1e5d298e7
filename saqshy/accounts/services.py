"""Changes to accounts: users, their grants and preferences."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.boundaries import geometry_fields
from saqshy.accounts.models import Agency, District, Grant, Region, Role, User
from saqshy.core import audit


def set_language(*, acting_user: Any, user: User, language: str) -> User:
    """Remember a user's interface language (their own preference; not audited as data)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def grant(
    *, acting_user: Any, user: User, agency: Agency, role: Role, region: Region | None
) -> Grant:
    """Give ``user`` a role for ``agency`` in ``region`` (None = national); idempotent."""
    with transaction.atomic():
        created_grant, created = Grant.objects.get_or_create(
            user=user, agency=agency, role=role, region=region
        )
        if created:
            audit.record(
                acting_user=acting_user,
                changes=[
                    audit.Change(
                        "create",
                        created_grant,
                        region.pk if region else None,
                        after=audit.snapshot(created_grant),
                    )
                ],
            )
    user.forget_scopes()
    return created_grant


def upsert_regions(*, acting_user: Any, features: list[dict[str, Any]]) -> tuple[int, int]:
    """Create or update regions from GeoJSON features (matched by ISO code); all or nothing.

    Each feature's properties carry ``iso_code``, ``slug``, ``kind`` and ``name_kk/ru/en``;
    the centre (a point inside the boundary) and bounding box are derived here.
    Returns (created, updated).
    """
    created = updated = 0
    with transaction.atomic():
        changes = []
        for feature in features:
            props = feature["properties"]
            values = {
                "slug": props["slug"],
                "kind": props["kind"],
                "name_kk": props["name_kk"],
                "name_ru": props["name_ru"],
                "name_en": props["name_en"],
                **geometry_fields(feature["geometry"]),
            }
            region = Region.objects.filter(iso_code=props["iso_code"]).first()
            if region is None:
                region = Region(iso_code=props["iso_code"], **values)
                region.full_clean()
                region.save()
                created += 1
                summary = {k: v for k, v in audit.snapshot(region).items() if k != "boundary"}
                changes.append(audit.Change("create", region, region.pk, after=summary))
                continue
            before = audit.snapshot(region)
            for name, value in values.items():
                setattr(region, name, value)
            old, new = audit.diff(before, audit.snapshot(region))
            if new:
                region.full_clean()
                region.save()
                updated += 1
                changes.append(audit.Change("update", region, region.pk, before=old, after=new))
        audit.record(acting_user=acting_user, changes=changes)
    return created, updated


def upsert_districts(*, acting_user: Any, features: list[dict[str, Any]]) -> tuple[int, int]:
    """Create or update districts from GeoJSON features (matched by region and slug); all or
    nothing. Each feature's ``region`` property is a region's ISO code or slug; an unknown
    one refuses the whole file, naming it. Returns (created, updated)."""
    keys = {str(f["properties"]["region"]) for f in features}
    regions: dict[str, Region] = {}
    for region in Region.objects.filter(Q(iso_code__in=keys) | Q(slug__in=keys)):
        regions[region.iso_code] = regions[region.slug] = region
    unknown = sorted(keys - set(regions))
    if unknown:
        raise ValidationError(
            _("No region with the code or slug %(codes)s: load the regions first."),
            params={"codes": ", ".join(unknown)},
            code="unknown_region",
        )
    created = updated = 0
    with transaction.atomic():
        changes = []
        existing = {(d.region_id, d.slug): d for d in District.objects.all()}
        for feature in features:
            props = feature["properties"]
            region = regions[str(props["region"])]
            values = {
                "name_en": props["name_en"],
                "name_kk": props["name_kk"],
                "name_ru": props["name_ru"],
                "boundary": feature["geometry"],
            }
            district = existing.get((region.pk, props["slug"]))
            if district is None:
                district = District(region=region, slug=props["slug"], **values)
                district.full_clean(validate_constraints=False)
                district.save()
                created += 1
                summary = {k: v for k, v in audit.snapshot(district).items() if k != "boundary"}
                changes.append(audit.Change("create", district, region.pk, after=summary))
                continue
            before = audit.snapshot(district)
            for name, value in values.items():
                setattr(district, name, value)
            old, new = audit.diff(before, audit.snapshot(district))
            if new:
                district.full_clean(validate_constraints=False)
                district.save()
                updated += 1
                changes.append(audit.Change("update", district, region.pk, before=old, after=new))
        audit.record(acting_user=acting_user, changes=changes)
    return created, updated


def upsert_agency(*, acting_user: Any, code: str, **values: Any) -> Agency:
    """Create an agency or bring it up to date, by its code; audited."""
    with transaction.atomic():
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency = Agency(code=code, **values)
            agency.full_clean()
            agency.save()
            change = audit.Change("create", agency, agency.region_id, after=audit.snapshot(agency))
        else:
            before = audit.snapshot(agency)
            for name, value in values.items():
                setattr(agency, name, value)
            old, new = audit.diff(before, audit.snapshot(agency))
            if not new:
                return agency
            agency.full_clean()
            agency.save()
            change = audit.Change("update", agency, agency.region_id, before=old, after=new)
        audit.record(acting_user=acting_user, changes=[change])
    return agency


def ensure_user(
    *, acting_user: Any, username: str, password: str, superuser: bool = False, **values: Any
) -> User:
    """Create a user with ``password`` unless one with ``username`` exists; audited."""
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        user = User(username=username, is_superuser=superuser, is_staff=superuser, **values)
        user.set_password(password)
        user.save()
        audit.record(
            acting_user=acting_user,
            changes=[audit.Change("create", user, None, after=audit.snapshot(user))],
        )
    return user
