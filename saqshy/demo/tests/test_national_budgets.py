"""Query budgets at national volumes: a list's or map layer's query count does not grow with
the data. Measured as the national analyst at two sizes of generated national data (the
second three times the first); ``benchmarks/national.py`` measures the same endpoints at full
size on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.accounts.roles import sync_roles
from saqshy.core import audit
from saqshy.demo import national
from saqshy.duty.models import Person
from saqshy.facilities.models import Facility
from saqshy.gatherings.models import Gathering
from saqshy.incidents.models import Incident, Unit
from saqshy.ingest.models import Device

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/incidents/",
    "/api/incidents/?status=closed&ordering=-reported_at",
    "/api/units/",
    "/api/facilities/",
    "/api/events/",
    "/api/devices/",
    "/api/duty/personnel/",
    "/api/audit/",
    "/api/indicators/",
    "/incidents/",
    "/units/",
    "/facilities/",
    "/events/",
    "/duty/personnel/",
    "/indicators/national/",
    # Map layers, as the situation map asks for them.
    "/api/facilities/?format=geojson&page_size=1000",
    "/api/events/?format=geojson&page_size=1000",
    "/api/units/?page_size=1000",
    "/api/incidents/?open=true&page_size=500",
    "/alarms/health/map/offline/",
    "/alarms/health/map/coverage/",
    "/alarms/health/map/alarm-homes/",
    # A national map at a wide view: counts per cell; close up, the places in the view.
    "/api/facilities/clusters/?zoom=5",
    "/api/events/clusters/?zoom=5",
    "/api/units/clusters/?zoom=5&bbox=46,40,88,56",
    "/api/facilities/?format=geojson&page_size=1000&bbox=71.30,51.05,71.56,51.22",
]


def _analyst() -> User:
    sync_roles()
    commission, _ = Agency.objects.get_or_create(
        code="commission", defaults={"kind": "commission", "name_en": "Commission"}
    )
    user = User.objects.create_user(username="analyst_budget", password="pw-budget")
    Grant.objects.create(
        user=user, agency=commission, role=Role.objects.get(slug="commission-analyst")
    )
    return user


def _grow(times: int) -> None:
    """Copy every generated record ``times`` more times (new keys where keys are unique)."""
    now = timezone.now()
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for k in range(1, times + 1):
            copies: list[Any] = []
            for model, unique in (
                (Facility, None),
                (Gathering, None),
                (Incident, None),
                (Device, "serial"),
                (Unit, "call_sign"),
                (Person, "personnel_number"),
            ):
                rows = list(model.objects.filter(pk__lte=_last[model]))
                for index, row in enumerate(rows):
                    row.pk = None
                    if unique:
                        setattr(row, unique, f"{getattr(row, unique)}x{k}")
                    if model is Gathering:
                        # Other days and regions: what a page costs must not depend on them.
                        row.starts_at += timedelta(days=k)
                        row.ends_at += timedelta(days=k)
                        row.region_id = regions[(index + k) % len(regions)]
                created = model.objects.bulk_create(rows)
                copies.extend(created)
            audit.append_history(
                audit.HistoryEntry(
                    at=now,
                    action="create",
                    object_type=f"{c._meta.app_label}.{c._meta.model_name}",
                    object_id=str(c.pk),
                    region_id=c.region_id,
                    actor_repr="test",
                    after={"copy": k},
                )
                for c in copies
            )


_last: dict[type, int] = {}


# The layers that draw districts' outlines (or place a point inside each) read them.
DRAW_OUTLINES = {"/alarms/health/map/offline/", "/alarms/health/map/coverage/"}


def _counts(client: Client, urls: list[str]) -> dict[str, tuple[int, int]]:
    found = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        found[url] = (response.status_code, len(captured))
        # A region's or district's outline is large (a real one decodes in about a
        # millisecond, per row): no list or page reads one it does not draw.
        selected = [query["sql"].split(" FROM ")[0] for query in captured.captured_queries]
        if url not in DRAW_OUTLINES:
            assert not [sql for sql in selected if '"boundary"' in sql], url
    return found


def test_query_counts_do_not_grow_with_national_data() -> None:
    national.generate(scale=0.01, seed=3)
    for model in (Facility, Gathering, Incident, Device, Unit, Person):
        _last[model] = model.objects.order_by("-pk").values_list("pk", flat=True)[0]
    client = Client()
    client.force_login(_analyst())
    urls = ENDPOINTS
    small = _counts(client, urls)
    _grow(2)
    assert Incident.objects.count() == 3 * 2000 and Gathering.objects.count() == 3 * 10
    large = _counts(client, urls)
    for url in urls:
        assert small[url][0] == large[url][0] == 200, (url, small[url], large[url])
    grown = {url: (small[url][1], large[url][1]) for url in ENDPOINTS if small[url] != large[url]}
    assert not grown, f"query counts grew with the data (small, large): {grown}"
