"""Fake indicators for the report's tests (the domain apps' real ones arrive separately), each
computed by a direct count so the tests compare against an independent query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from saqshy.accounts.models import Grant, Region, Role, User
from saqshy.core.indicators import Figure, Indicator
from saqshy.core.testing.personas import Personas, _agency
from saqshy.incidents.models import Incident


def count_incidents(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    rows = (
        Incident.objects.filter(
            region_id__in=region_ids, reported_at__gte=start, reported_at__lt=end, merged_at=None
        )
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {row["region_id"]: Figure(row["n"]) for row in rows}


def closed_share(
    region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, Figure]:
    found = {}
    for region_id in region_ids:
        window = Incident.objects.filter(
            region_id=region_id, reported_at__gte=start, reported_at__lt=end, merged_at=None
        )
        found[region_id] = Figure(window.filter(status="closed").count(), window.count())
    return found


FAKES = [
    Indicator(
        code="incidents",
        label="Incidents reported",
        brief_line="",
        definition="",
        model="incidents.incident",
        compute="saqshy.reports.tests.fakes.count_incidents",
        order=1,
    ),
    Indicator(
        code="closed_share",
        label="Incidents closed",
        brief_line="",
        definition="",
        model="incidents.incident",
        compute="saqshy.reports.tests.fakes.closed_share",
        unit="share",
        order=2,
    ),
]


def fake_indicators() -> list[Indicator]:
    return list(FAKES)


def person(username: str, role: str, region: Region | None, agency_code: str = "") -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    code = agency_code or (f"akimat-{region.slug}" if region else "commission")
    agency = _agency(code, "akimat" if region else "commission", region)
    Grant.objects.create(user=user, agency=agency, role=Role.objects.get(slug=role), region=region)
    return user


def commission_people(p: Personas) -> dict[str, User]:
    return {
        "coordinator_astana": person("coordinator_astana", "region-coordinator", p.astana),
        "head_astana": person("head_astana", "region-head", p.astana),
        "coordinator_almaty": person("coordinator_almaty", "region-coordinator", p.almaty),
        "head_almaty": person("head_almaty", "region-head", p.almaty),
        "secretary": person("secretary", "commission-secretary", None),
    }
