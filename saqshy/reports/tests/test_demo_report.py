"""The demo's morning report of 1 January: every figure recomputed with a direct count.

The demo plays a seeded New Year's Eve night in-process (``saqshy.demo.night``), here a short
one, and the Astana coordinator's report of 1 January is filled from it. Each registered
indicator's figure (fakes here; the domain apps' own ones when installed) and each section is
counted again straight from the tables.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from saqshy.core import indicators
from saqshy.demo import loader
from saqshy.demo.night import morning_report, play_night
from saqshy.demo.units import load_units
from saqshy.incidents.models import Incident
from saqshy.reports.tests.fakes import fake_indicators

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 1, 1)


def _window(report: Any) -> Any:
    return Incident.objects.filter(
        region=report.region,
        reported_at__gte=report.window_start,
        reported_at__lt=report.window_end,
        merged_at__isnull=True,
    )


DIRECT: dict[str, Callable[[Any], dict[str, float | None]]] = {
    "incidents": lambda r: {"value": float(_window(r).count()), "base": None},
    "closed_share": lambda r: {
        "value": float(_window(r).filter(status="closed").count()),
        "base": float(_window(r).count()),
    },
}


@pytest.fixture
def night() -> Any:
    loader.load_regions()
    loader.load_people()
    loader.load_facilities("astana")
    load_units("astana")
    with mock.patch("saqshy.core.indicators.registry_indicators", fake_indicators):
        result = play_night(
            "astana", eve=DAY - dt.timedelta(days=1), seed=7, start_hour=23, limit=40
        )
        report = morning_report("astana", day=DAY)
        yield result, report


def test_every_figure_of_the_morning_report_equals_a_direct_count(night: Any) -> None:
    result, report = night
    assert result.incidents == 40
    assert report.status == "submitted"
    assert report.submitted_by.username == "coordinator_astana"
    codes = [ind.code for ind in indicators.registry_indicators()]
    assert sorted(report.figures) == sorted(codes)
    for code in codes:
        assert code in DIRECT, f"no direct count for {code}"
        assert report.figures[code] == DIRECT[code](report), code
    window = _window(report)
    assert report.sections["incidents_total"] == window.count() > 0
    by_type = Counter(window.values_list("type__name_en", flat=True))
    assert {
        row["type"]["en"]: row["count"] for row in report.sections["incidents_by_type"]
    } == dict(by_type)
    notable = window.filter(priority=1)
    assert report.sections["notable_total"] == notable.count()
    assert [n["id"] for n in report.sections["notable"]] == list(
        notable.order_by("reported_at", "id").values_list("id", flat=True)[:50]
    )
    alarms = window.filter(source="sensor")
    assert len(report.sections["alarms"]) == alarms.count()
    # Every call of the night lies in the reporting window of 1 January.
    assert all(report.window_start <= i.reported_at < report.window_end for i in window)
    assert report.narratives.count() == 3


def test_the_morning_report_is_made_once(night: Any) -> None:
    _result, report = night
    again = morning_report("astana", day=DAY)
    assert again.pk == report.pk
    assert again.narratives.count() == 3
