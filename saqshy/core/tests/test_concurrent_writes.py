"""The measured races of the write path, run for real: many requests at the same moment.

Row locks only matter across connections, so these run on PostgreSQL (CI's second pass);
SQLite serialises whole transactions and is covered by ``test_write_path``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.incidents.models import Incident, Unit
from saqshy.incidents.tests.factories import UnitFactory, incident_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def personas() -> Personas:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    return make_personas()


def _race(user: Any, calls: list[Callable[[APIClient], Any]]) -> list[Any]:
    """Run each call in its own thread with its own client, all released at once."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        client = APIClient()
        client.force_authenticate(user=user)
        try:
            start.wait(timeout=20)
            results[index] = calls[index](client)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _patch(url: str, body: dict[str, Any], **headers: str) -> Callable[[APIClient], int]:
    def call(client: APIClient) -> int:
        return int(client.patch(url, body, format="json", **headers).status_code)

    return call


def _post(url: str, body: dict[str, Any]) -> Callable[[APIClient], int]:
    def call(client: APIClient) -> int:
        return int(client.post(url, body, format="json").status_code)

    return call


def _keyed_post(url: str, body: dict[str, Any], key: str) -> Callable[[APIClient], Any]:
    def call(client: APIClient) -> Any:
        return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    return call


def _updates(obj: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action="update"
        )
    )


FIELDS = {
    "name_kk": "Мектеп",
    "name_ru": "Школа",
    "name_en": "School",
    "address": "Mangilik El 1",
    "operator": "Akimat",
    "contact_phone": "+7 701 000 00 00",
    "website": "https://school.kz",
    "exits": 4,
    "storeys": 3,
    "has_sprinklers": True,
}


def test_ten_parallel_patches_of_different_fields_keep_all_ten(personas: Personas) -> None:
    facility = FacilityFactory(region=personas.astana)
    url = reverse("api:facility-detail", args=[facility.pk])
    results = _race(
        personas.planner_astana,
        [_patch(url, {field: value}) for field, value in FIELDS.items()],
    )
    assert results == [200] * len(FIELDS)
    stored = Facility.objects.get(pk=facility.pk)
    assert {field: getattr(stored, field) for field in FIELDS} == FIELDS
    entries = _updates(facility)
    assert sorted(next(iter(e.after)) for e in entries) == sorted(FIELDS)
    assert all(len(e.after) == 1 for e in entries)


def test_ten_parallel_patches_with_one_etag_keep_one_and_refuse_the_rest(
    personas: Personas,
) -> None:
    facility = FacilityFactory(region=personas.astana)
    url = reverse("api:facility-detail", args=[facility.pk])
    reader = APIClient()
    reader.force_authenticate(user=personas.planner_astana)
    etag = reader.get(url)["ETag"]
    results = _race(
        personas.planner_astana,
        [_patch(url, {field: value}, HTTP_IF_MATCH=etag) for field, value in FIELDS.items()],
    )
    assert Counter(results) == {200: 1, 412: len(FIELDS) - 1}
    assert len(_updates(facility)) == 1


@pytest.mark.parametrize(("action", "body"), [("cancel", {}), ("reject", {"reason": "no"})])
def test_parallel_cancels_and_rejects_succeed_once(
    personas: Personas, action: str, body: dict[str, Any]
) -> None:
    event = GatheringFactory(venue=FacilityFactory(region=personas.astana), status="submitted")
    url = reverse(f"api:gathering-{action}", args=[event.pk])
    results = _race(
        personas.planner_astana,
        [_post(url, body) for _n in range(20)],
    )
    assert Counter(results) == {200: 1, 409: 19}
    assert len(_updates(event)) == 1
    assert Gathering.objects.get(pk=event.pk).status in ("cancelled", "rejected")


def test_parallel_retries_with_one_idempotency_key_create_one_incident(
    personas: Personas,
) -> None:
    incident_type("medical")  # a transactional test may have flushed the installed types
    lat, lon = CENTRES["astana"]
    report = {"type": "medical", "lat": lat + 0.01, "lon": lon, "source": "call_103"}
    url = reverse("api:incident-list")
    results = _race(
        personas.dispatcher_astana,
        [_keyed_post(url, report, "call-7") for _n in range(8)],
    )
    assert [r.status_code for r in results] == [201] * 8, [r.content[:300] for r in results]
    assert Incident.objects.count() == 1
    assert {r.json()["id"] for r in results} == {Incident.objects.get().pk}


def test_parallel_position_fixes_leave_the_newest(personas: Personas) -> None:
    unit = UnitFactory(region=personas.astana, kind="patrol_car")
    lat, lon = CENTRES["astana"]
    now = timezone.now()
    url = reverse("api:unit-position", args=[unit.pk])
    fixes = [
        {"lat": lat + n / 1000, "lon": lon, "at": (now + dt.timedelta(seconds=n)).isoformat()}
        for n in range(12)
    ]
    results = _race(
        personas.dispatcher_astana,
        [_post(url, fix) for fix in fixes],
    )
    assert set(results) == {200}
    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.lat, stored.position_at) == (lat + 11 / 1000, now + dt.timedelta(seconds=11))
