"""Indicators that count by day (``core.indicators.by_day``) cost the same queries for a day
or a season: the API's figures per day and a chart's series do not grow with the days asked.
That each such day gives what the day's own window gives is checked for every indicator by
the figures tests (``core.testing.indicators.day_figures``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from saqshy.accounts.models import Region
from saqshy.core.indicators import registry_indicators
from saqshy.core.testing.personas import make_personas
from saqshy.indicators.queries import series

pytestmark = pytest.mark.django_db

FIRST = dt.date(2026, 12, 1)


def _by_day() -> list[str]:
    return [ind.code for ind in registry_indicators() if ind.counts_by_day]


def test_evaluating_many_days_costs_the_queries_of_two() -> None:
    make_personas()
    ids = list(Region.objects.values_list("pk", flat=True))
    codes = _by_day()
    assert codes == [ind.code for ind in registry_indicators()], "not every indicator counts by day"
    for ind in registry_indicators():
        if ind.code not in codes:
            continue
        counted = []
        for n in (2, 40):
            with CaptureQueriesContext(connection) as captured:
                found = ind.evaluate_days(ids, [FIRST + dt.timedelta(days=k) for k in range(n)])
            assert len(found) == n
            counted.append(len(captured))
        # A few queries whatever the days: one for most, more for a figure that reads several
        # kinds of records (posts, their needs, shifts and readiness levels).
        assert counted[0] == counted[1] <= 5, (ind.code, counted)
        with CaptureQueriesContext(connection) as captured:
            points = series(ind, ids, FIRST, FIRST + dt.timedelta(days=30))
        assert len(points) == 31 and len(captured) == 2 * counted[0], (ind.code, len(captured))


def test_the_apis_figures_per_day_do_not_grow_with_the_days() -> None:
    p = make_personas()
    client = Client()
    client.force_login(p.analyst_national)
    codes = ",".join(_by_day())
    counted = []
    for last in (FIRST + dt.timedelta(days=2), FIRST + dt.timedelta(days=60)):
        url = f"/api/indicators/?codes={codes}&from={FIRST}&to={last}"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.content
        days = response.json()["indicators"][0]["regions"][0]["days"]
        assert len(days) == (last - FIRST).days + 1
        counted.append(len(captured))
    assert counted[0] == counted[1], counted
