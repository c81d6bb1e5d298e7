from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from saqshy.actionplan import queries, services
from saqshy.actionplan.tests import helpers
from saqshy.core.indicators import Figure, local_day
from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 25)


@pytest.fixture(autouse=True)
def _reset() -> None:
    helpers.VALUES.clear()
    helpers.CALLS.clear()


def test_national_progress_is_the_sum_against_the_national_target() -> None:
    p = make_personas()
    helpers.VALUES.update(
        {p.astana.pk: Figure(5000), p.almaty.pk: Figure(1800), p.shymkent.pk: Figure(12)}
    )
    measure = helpers.measure()
    with helpers.fake_indicators(), translation.override("en"):
        progress = queries.Evaluator(p.analyst_national, DAY).national(measure)
        assert progress.text == "6,812 of 7,000, 97 %"
    assert progress.figure == Figure(6812)
    with helpers.fake_indicators(), translation.override("ru"):
        assert progress.text == "6\u00a0812 из 7\u00a0000, 97 %"
    assert progress.completion == pytest.approx(100 * 6812 / 7000)
    # The window runs from the period's first local day to the end of today.
    regions, start, end = helpers.CALLS[0]
    assert sorted(regions) == sorted([p.astana.pk, p.almaty.pk, p.shymkent.pk])
    assert (start, end) == (local_day(measure.starts_on)[0], local_day(DAY)[1])


def test_the_window_stops_at_the_deadline() -> None:
    p = make_personas()
    measure = helpers.measure()
    with helpers.fake_indicators():
        queries.Evaluator(p.analyst_national, dt.date(2027, 2, 1)).national(measure)
    assert helpers.CALLS[0][2] == local_day(measure.deadline)[1]


def test_region_progress_uses_the_regions_target() -> None:
    p = make_personas()
    helpers.VALUES.update({p.astana.pk: Figure(300), p.almaty.pk: Figure(200)})
    measure = helpers.measure()
    measure.targets.create(region=p.astana, target=600)
    with helpers.fake_indicators():
        rows = dict(
            queries.Evaluator(p.analyst_national, DAY).per_region(measure, [p.astana, p.almaty])
        )
    assert rows[p.astana].completion == pytest.approx(50)
    assert rows[p.almaty].target is None and rows[p.almaty].completion is None


def test_a_share_is_compared_with_a_percent_target() -> None:
    p = make_personas()
    helpers.VALUES.update({p.astana.pk: Figure(45, 50), p.almaty.pk: Figure(4, 50)})
    measure = helpers.measure("15.1", indicator_code="trips_escorted", national_target=100)
    with helpers.fake_indicators():
        progress = queries.Evaluator(p.analyst_national, DAY).national(measure)
    assert progress.figure == Figure(49, 100)
    assert progress.completion == pytest.approx(49)


def test_a_share_target_above_100_percent_is_refused_naming_the_field() -> None:
    measure = helpers.measure("15.1", indicator_code="trips_escorted", national_target=100)
    with helpers.fake_indicators(), pytest.raises(ValidationError) as refused:
        services.update_measure(acting_user=None, measure=measure, national_target=1000)
    assert "national_target" in refused.value.message_dict
    measure.refresh_from_db()
    assert measure.national_target == 100


def test_a_regional_reader_sees_their_regions_only_and_no_national_target() -> None:
    p = make_personas()
    helpers.VALUES.update({p.astana.pk: Figure(5000), p.shymkent.pk: Figure(12)})
    measure = helpers.measure()
    with helpers.fake_indicators():
        progress = queries.Evaluator(p.viewer_other_region, DAY).national(measure)
        regions = queries.Evaluator(p.viewer_other_region, DAY).per_region(
            measure, [p.astana, p.almaty, p.shymkent]
        )
    assert progress.figure == Figure(12)
    assert progress.partial and progress.target is None
    assert [region for region, _ in regions] == [p.shymkent]


def test_an_undeclared_indicator_is_not_available_and_none_is_status_only() -> None:
    p = make_personas()
    unknown = helpers.measure("9.9", indicator_code="not_declared_anywhere")
    plain = helpers.measure("3.1", indicator_code="", national_target=None)
    with helpers.fake_indicators(), translation.override("en"):
        evaluator = queries.Evaluator(p.analyst_national, DAY)
        assert evaluator.national(unknown).kind == queries.NOT_AVAILABLE
        assert evaluator.national(unknown).text == "Indicator not available."
        assert evaluator.national(plain).kind == queries.NO_INDICATOR
        assert "status and evidence only" in evaluator.national(plain).text
        assert evaluator.per_region(unknown, [p.astana])[0][1].kind == queries.NOT_AVAILABLE


def test_overdue_measures_come_first() -> None:
    p = make_personas()
    helpers.measure("1.1", indicator_code="", deadline=dt.date(2027, 1, 10))
    late = helpers.measure("9.1", indicator_code="", deadline=dt.date(2026, 12, 22))
    helpers.measure("9.2", indicator_code="", deadline=dt.date(2026, 12, 22), status="done")
    with helpers.fake_indicators():
        rows = queries.plan_rows(p.analyst_national, day=DAY)
        overdue = queries.plan_rows(p.analyst_national, day=DAY, overdue_only=True)
    assert rows[0].measure == late and rows[0].overdue
    assert [row.measure for row in overdue] == [late]
    with helpers.fake_indicators():
        by_status = queries.plan_rows(p.analyst_national, day=DAY, status="overdue")
        done = queries.plan_rows(p.analyst_national, day=DAY, status="done")
    assert [row.measure for row in by_status] == [late]
    assert [row.measure.code for row in done] == ["9.2"]
    assert rows[0].progress.state == "overdue"
