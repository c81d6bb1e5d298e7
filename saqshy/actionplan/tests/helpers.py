"""Test-only indicators and people for the action plan's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from unittest import mock

from saqshy.accounts.models import Agency, Grant, Role, User
from saqshy.actionplan import queries, services
from saqshy.actionplan.models import Measure
from saqshy.core.indicators import Figure, Indicator

# What the fake indicators return per region id, and the windows they were asked for.
VALUES: dict[int, Figure] = {}
CALLS: list[tuple[list[int], dt.datetime, dt.datetime]] = []


def fake_count(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    CALLS.append((list(region_ids), start, end))
    return {rid: VALUES[rid] for rid in region_ids if rid in VALUES}


FAKE_COUNT = Indicator(
    code="venues_inspected",
    label="Crowded venues inspected",
    brief_line="fire-safety inspections of more than 7,000 crowded facilities",
    definition="test",
    model="actionplan.measure",
    compute="saqshy.actionplan.tests.helpers.fake_count",
)
FAKE_SHARE = Indicator(
    code="trips_escorted",
    label="Trips escorted",
    brief_line="police escort of every children's group trip",
    definition="test",
    model="actionplan.measure",
    compute="saqshy.actionplan.tests.helpers.fake_count",
    unit="share",
)


@contextmanager
def fake_indicators(*indicators: Indicator) -> Iterator[None]:
    """Declare ``indicators`` (default: both fakes) as if an installed app did."""
    found = list(indicators or (FAKE_COUNT, FAKE_SHARE))
    with (
        mock.patch.object(queries, "registry_indicators", lambda: found),
        mock.patch.object(services, "registry_indicators", lambda: found),
    ):
        yield


def secretary() -> User:
    commission, _ = Agency.objects.get_or_create(
        code="commission", defaults={"kind": "commission", "name_en": "Commission"}
    )
    user = User.objects.create_user(username="secretary", password="pw-secretary")
    Grant.objects.create(
        user=user,
        agency=commission,
        role=Role.objects.get(slug="commission-secretary"),
        region=None,
    )
    return user


def measure(code: str = "6.1", **fields: Any) -> Measure:
    owner, _ = Agency.objects.get_or_create(
        code="mchs", defaults={"kind": "emergency", "name_en": "Ministry for Emergency Situations"}
    )
    values: dict[str, Any] = {
        "title_kk": "Тексеру",
        "title_ru": "Проверки",
        "title_en": "Inspect crowded facilities",
        "brief_line": "fire-safety inspections of more than 7,000 crowded facilities",
        "owner": owner,
        "starts_on": dt.date(2026, 12, 20),
        "deadline": dt.date(2027, 1, 10),
        "indicator_code": "venues_inspected",
        "national_target": 7000,
    }
    values.update(fields)
    return services.create_measure(
        acting_user=None, check_registry=False, code=code, position=len(code), **values
    )
