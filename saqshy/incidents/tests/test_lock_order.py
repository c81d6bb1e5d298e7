"""Units are locked before the audit chain's head (the lock-order comment in
``incidents/services.py``).

A transaction that holds its region's audit head and then waits for a unit closes a cycle of
waits with trackers' position fixes, which move many units in one transaction: under the New
Year's Eve load PostgreSQL ended such transactions as deadlocks. These tests read the order
of the statements a dispatch and a close send.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saqshy.core import audit
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Unit
from saqshy.incidents.tests.factories import IncidentFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _first_head(statements: list[str]) -> int:
    return next(i for i, sql in enumerate(statements) if "core_auditchainhead" in sql)


def test_a_dispatch_takes_all_its_units_before_its_first_audit_entry() -> None:
    personas = make_personas()
    units: list[Any] = [UnitFactory(region=personas.astana) for _ in range(3)]
    incident = IncidentFactory(region=personas.astana)
    with CaptureQueriesContext(connection) as queries:
        services.dispatch(acting_user=None, incident=incident, units=units)
    statements = [q["sql"] for q in queries.captured_queries]
    taking = [i for i, sql in enumerate(statements) if sql.startswith('UPDATE "incidents_unit"')]
    assert len(taking) == 3, statements
    assert max(taking) < _first_head(statements), statements


def test_a_close_locks_its_units_before_its_first_audit_entry() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    personas = make_personas()
    units: list[Any] = [UnitFactory(region=personas.astana) for _ in range(2)]
    incident = IncidentFactory(region=personas.astana)
    services.dispatch(acting_user=None, incident=incident, units=units)
    with CaptureQueriesContext(connection) as queries:
        services.close(acting_user=None, incident=incident, resolution="done")
    statements = [q["sql"] for q in queries.captured_queries]
    locking = [
        i for i, sql in enumerate(statements)
        if "FOR NO KEY UPDATE" in sql and '"incidents_unit"' in sql.split("FOR NO KEY UPDATE")[1]
    ]  # fmt: skip
    assert locking and max(locking) < _first_head(statements), statements
    assert set(
        Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("status", flat=True)
    ) == {"returning"}


def _head_locks(statements: list[str]) -> int:
    return sum(1 for sql in statements if sql.startswith("SELECT") and "core_auditchainhead" in sql)


def test_a_dispatch_and_a_close_take_the_audit_head_once_each() -> None:
    personas = make_personas()
    units: list[Any] = [UnitFactory(region=personas.astana) for _ in range(2)]
    earlier = IncidentFactory(region=personas.astana)  # the region's chain has its head
    services.dispatch(acting_user=None, incident=earlier, units=units)
    services.close(acting_user=None, incident=earlier, resolution="done")
    Unit.objects.filter(pk__in=[u.pk for u in units]).update(status="available")
    incident = IncidentFactory(region=personas.astana)
    with CaptureQueriesContext(connection) as dispatching:
        services.dispatch(acting_user=None, incident=incident, units=units)
    with CaptureQueriesContext(connection) as closing:
        services.close(acting_user=None, incident=incident, resolution="done")
    for queries in (dispatching, closing):
        statements = [q["sql"] for q in queries.captured_queries]
        assert _head_locks(statements) == 1, statements
    assert audit.verify()[1] is None
    changed = (
        AuditEntry.objects.filter(object_type="incidents.unit")
        .order_by("seq")
        .values_list("after", flat=True)
    )
    assert [a["status"] for a in changed if "status" in (a or {})][-4:] == [
        "dispatched", "dispatched", "returning", "returning",
    ]  # fmt: skip


def test_a_dispatch_locks_the_incident_row_and_not_its_types() -> None:
    """Without ``OF`` PostgreSQL would lock the joined type's row as well, and every dispatch
    of that type would wait for the one before it to commit."""
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    personas = make_personas()
    incident = IncidentFactory(region=personas.astana)
    unit: Any = UnitFactory(region=personas.astana)
    with CaptureQueriesContext(connection) as queries:
        services.dispatch(acting_user=None, incident=incident, units=[unit])
    locking = [q["sql"] for q in queries.captured_queries if "FOR NO KEY UPDATE" in q["sql"]]
    incident_locks = [sql for sql in locking if sql.startswith('SELECT "incidents_incident"')]
    assert incident_locks, locking
    assert all(sql.endswith('FOR NO KEY UPDATE OF "incidents_incident"') for sql in incident_locks)
