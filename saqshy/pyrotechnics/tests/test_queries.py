"""The totals are computed from the records: compare them with direct counts."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.pyrotechnics.choices import VisitResult
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, SeizureLine
from saqshy.pyrotechnics.queries import sum_totals, totals
from saqshy.pyrotechnics.tests.factories import (
    OutletFactory,
    RaidFactory,
    RaidVisitFactory,
    SeizureFactory,
    today,
)

DAY = datetime.timedelta(days=1)


def direct_counts(region_id: int, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The same figures, counted one record at a time in Python."""
    raids = [r for r in Raid.objects.filter(region_id=region_id) if start <= r.planned_on <= end]
    visits = [
        v
        for v in RaidVisit.objects.select_related("raid").filter(raid__region_id=region_id)
        if start <= v.raid.planned_on <= end and v.result != VisitResult.PENDING
    ]
    lines = [
        line
        for line in SeizureLine.objects.select_related("seizure").filter(
            seizure__region_id=region_id
        )
        if start <= line.seizure.seized_on <= end
    ]
    outlets = Outlet.objects.filter(region_id=region_id, active=True)
    return {
        "raids_done": sum(1 for r in raids if r.status == "done"),
        "outlets_checked": len({v.outlet_id for v in visits}),
        "violations": sum(1 for v in visits if v.result in ("violation", "closed")),
        "units_certified": sum(line.units for line in lines if line.certified),
        "units_uncertified": sum(line.units for line in lines if not line.certified),
        "boxes_certified": sum(line.boxes for line in lines if line.certified),
        "boxes_uncertified": sum(line.boxes for line in lines if not line.certified),
        "outlets_expired": sum(1 for o in outlets if o.certificate_expired),
    }


_record = st.tuples(
    st.sampled_from(["almaty", "astana"]),
    st.integers(min_value=-3, max_value=3),  # days from today
    st.sampled_from(["planned", "in_progress", "done", "cancelled"]),
    st.lists(st.sampled_from(VisitResult.values()), max_size=3),
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 500), st.integers(0, 50)), min_size=1, max_size=3
    ),
    st.sampled_from([None, -1, 0, 1]),  # certificate expiry, days from today
)


class TotalsTests(HypothesisTestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()

    def build(self, records: list[tuple]) -> None:
        p = self.personas
        regions = {"almaty": p.almaty, "astana": p.astana}
        for slug, offset, status, results, lines, expiry in records:
            region = regions[slug]
            raid = RaidFactory(region=region, status=status, planned_on=today() + offset * DAY)
            for result in results:
                outlet = OutletFactory(
                    region=region,
                    certificate_expires=None if expiry is None else today() + expiry * DAY,
                )
                RaidVisitFactory(raid=raid, outlet=outlet, result=result)
            seized_at = OutletFactory(region=region, active=expiry != 0)
            SeizureFactory(
                outlet=seized_at,
                raid=raid,
                seized_on=today() + offset * DAY,
                lines=[
                    {"product": "P", "certified": c, "units": u, "boxes": b} for c, u, b in lines
                ],
            )

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        records=st.lists(_record, max_size=6),
        window=st.tuples(st.integers(-4, 4), st.integers(0, 4)),
    )
    def test_totals_equal_direct_counts(
        self, records: list[tuple], window: tuple[int, int]
    ) -> None:
        self.build(records)
        start = today() + window[0] * DAY
        end = start + window[1] * DAY
        rows = totals(self.personas.analyst_national, date_from=start, date_to=end)
        by_slug = {row.region.slug: row for row in rows if row.region is not None}
        for slug in ("almaty", "astana"):
            region = getattr(self.personas, slug)
            self.assertEqual(by_slug[slug].counts(), direct_counts(region.pk, start, end), slug)
        self.assertEqual(sum_totals(rows).units_uncertified, sum(r.units_uncertified for r in rows))

    def test_the_campaign_so_far(self) -> None:
        """700 units and 97 boxes of uncertified pyrotechnics seized so far, over two raids."""
        p = self.personas
        first = RaidFactory(region=p.almaty, status="done", planned_on=today() - 2 * DAY)
        second = RaidFactory(region=p.almaty, status="done", planned_on=today() - DAY)
        kiosk, depot = (
            OutletFactory(region=p.almaty),
            OutletFactory(region=p.almaty, kind="storage"),
        )
        RaidVisitFactory(raid=first, outlet=kiosk, result="violation")
        RaidVisitFactory(raid=second, outlet=kiosk, result="compliant")
        RaidVisitFactory(raid=second, outlet=depot, result="closed")
        SeizureFactory(
            outlet=kiosk,
            raid=first,
            seized_on=first.planned_on,
            lines=[
                {"product": "Battery 49 shots", "units": 250, "boxes": 25},
                {"product": "Sparklers", "certified": True, "units": 100, "boxes": 4},
            ],
        )
        SeizureFactory(
            outlet=depot,
            raid=second,
            seized_on=second.planned_on,
            lines=[{"product": "Rockets", "units": 450, "boxes": 72}],
        )
        (row,) = totals(p.planner_almaty)
        self.assertEqual(row.region, p.almaty)
        self.assertEqual((row.units_uncertified, row.boxes_uncertified), (700, 97))
        self.assertEqual((row.units_certified, row.boxes_certified), (100, 4))
        self.assertEqual((row.raids_done, row.outlets_checked, row.violations), (2, 2, 2))

    def test_scope_and_query_count(self) -> None:
        p = self.personas
        self.build([("astana", 0, "done", ["violation"], [(False, 5, 1)], None)])
        (row,) = totals(p.planner_almaty)
        self.assertEqual(row.region, p.almaty)
        self.assertEqual(row.counts(), dict.fromkeys(row.counts(), 0))
        self.assertEqual(totals(p.planner_almaty, region=p.astana), [])
        totals(p.analyst_national)  # warm the per-user scope cache
        with CaptureQueriesContext(connection) as few:
            totals(p.analyst_national)
        self.build([("almaty", 0, "done", ["closed", "compliant"], [(True, 1, 1)], -1)] * 4)
        with CaptureQueriesContext(connection) as many:
            totals(p.analyst_national)
        self.assertEqual(len(many), len(few))
