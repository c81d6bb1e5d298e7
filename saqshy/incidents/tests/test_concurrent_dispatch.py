"""Two dispatchers race for one unit at the same moment: exactly one wins, the other gets 409.

Real concurrency needs row-level locking across connections, so this runs on PostgreSQL (CI's
second pass); SQLite serialises whole transactions and is covered by the sequential tests.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from saqshy.core.exceptions import Conflict
from saqshy.core.testing.personas import make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Incident, IncidentUnit, Unit
from saqshy.incidents.tests.factories import IncidentFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_dispatchers_cannot_both_take_one_unit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    personas = make_personas()
    unit: Unit = UnitFactory(region=personas.astana, kind="fire_engine")
    first = IncidentFactory(region=personas.astana)
    second = IncidentFactory(region=personas.astana)
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def race(incident: Incident) -> None:
        try:
            start.wait(timeout=10)
            services.dispatch(acting_user=None, incident=incident, units=[unit])
            outcomes[incident.pk] = "won"
        except Conflict as refusal:
            outcomes[incident.pk] = refusal.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(i,)) for i in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["unit_unavailable", "won"], outcomes
    assert IncidentUnit.objects.filter(unit=unit).count() == 1
    assert Unit.objects.get(pk=unit.pk).status == "dispatched"
    loser = next(pk for pk, result in outcomes.items() if result != "won")
    assert Incident.objects.get(pk=loser).status == "new"
