"""Two ingest consumers judge the same sustained breach at once (a redelivery racing the
first delivery): exactly one outage and one incident.

Real concurrency needs row-level locking across connections, so this runs on PostgreSQL (CI's
second pass); SQLite serialises whole transactions and is covered by the sequential tests.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from saqshy.core.testing.geography import make_region
from saqshy.incidents import defaults as incident_defaults
from saqshy.incidents.models import Incident, IncidentType
from saqshy.ingest.services import system_user
from saqshy.lifelines import defaults
from saqshy.lifelines.models import Outage, Parameter, Threshold
from saqshy.lifelines.monitor import check_readings
from saqshy.lifelines.tests.factories import make_site, reading, start

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_consumers_open_one_outage() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="PostgreSQL unavailable: this run uses SQLite (CI's second pass)")
    incident_defaults.install(IncidentType)
    defaults.install(Parameter, Threshold)
    site = make_site(make_region("astana"))
    t0 = start()
    for minutes in (0, 5, 10):
        at = t0 + dt.timedelta(minutes=minutes)
        check_readings([reading(site.gateway, "pressure", 1.0, at)], acting_user=system_user())
    sustaining = [reading(site.gateway, "pressure", 1.0, t0 + dt.timedelta(minutes=15))]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def consumer() -> None:
        try:
            barrier.wait(timeout=10)
            check_readings(sustaining, acting_user=system_user())
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Outage.objects.count() == 1
    assert Incident.objects.count() == 1
