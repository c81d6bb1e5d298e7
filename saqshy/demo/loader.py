"""Load the committed demo bundle (``data/``) through the same services people use."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from saqshy.accounts import services as accounts
from saqshy.accounts.boundaries import district_features, region_features
from saqshy.accounts.models import Agency, Region, Role
from saqshy.accounts.roles import sync_roles
from saqshy.demo.people import DEMO_PASSWORD, NATIONAL_AGENCIES, USERS, city_agencies
from saqshy.facilities import services as facilities
from saqshy.facilities.services import ImportResult

Say = Callable[[str], None]


def bundle_path(*parts: str) -> Path:
    return Path(settings.DATA_DIR, *parts)


def load_regions() -> tuple[int, int]:
    """The shipped regions; ``load_districts`` adds their districts."""
    collection = json.loads(bundle_path("regions.geojson").read_text(encoding="utf-8"))
    return accounts.upsert_regions(acting_user=None, features=region_features(collection))


def load_districts() -> tuple[int, int]:
    collection = json.loads(bundle_path("districts.geojson").read_text(encoding="utf-8"))
    return accounts.upsert_districts(acting_user=None, features=district_features(collection))


def load_people() -> int:
    """Agencies, demo users and their grants; idempotent."""
    sync_roles()
    regions = {r.slug: r for r in Region.objects.all()}
    with transaction.atomic():
        for spec in [*NATIONAL_AGENCIES, *city_agencies()]:
            accounts.upsert_agency(
                acting_user=None,
                code=spec.code,
                kind=spec.kind,
                region=regions.get(spec.region) if spec.region else None,
                name_en=spec.name_en,
                name_ru=spec.name_ru,
                name_kk=spec.name_kk,
            )
        for person in USERS:
            user = accounts.ensure_user(
                acting_user=None,
                username=person.username,
                password=DEMO_PASSWORD,
                superuser=person.role is None,
                first_name=person.first_name,
                last_name=person.last_name,
            )
            if person.role is not None and person.agency is not None:
                accounts.grant(
                    acting_user=None,
                    user=user,
                    agency=Agency.objects.get(code=person.agency),
                    role=Role.objects.get(slug=person.role),
                    region=regions[person.region] if person.region else None,
                )
    return len(USERS)


def load_facilities(slug: str, progress: Callable[[int], None] | None = None) -> ImportResult:
    collection = json.loads(bundle_path("facilities", f"{slug}.geojson").read_text("utf-8"))
    records: list[dict[str, Any]] = [feature["properties"] for feature in collection["features"]]
    return facilities.import_facilities(
        acting_user=None, region=Region.objects.get(slug=slug), records=records, progress=progress
    )


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what they are) for the printed welcome."""
    described = []
    for person in USERS:
        role = person.role or "superuser"
        where = person.region or "national"
        described.append((person.username, DEMO_PASSWORD, f"{role} · {where}"))
    return described
