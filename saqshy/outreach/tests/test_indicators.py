"""The outreach indicators equal a direct count of the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from saqshy.core.indicators import indicator, local_day
from saqshy.core.testing.indicators import day_figures
from saqshy.core.testing.personas import make_personas
from saqshy.outreach.models import Campaign, ParentMeeting
from saqshy.outreach.tests import factories as f

pytestmark = pytest.mark.django_db


def test_figures_equal_a_direct_count() -> None:
    p = make_personas()
    schools = [f.school(p.astana) for _ in range(4)]
    f.school(p.almaty)
    day = dt.date(2026, 12, 20)
    f.meeting(schools[0], held_on=day, attendees=20)
    f.meeting(schools[0], held_on=day, attendees=12)
    f.meeting(schools[1], held_on=day, attendees=30)
    f.meeting(schools[2], held_on=day + dt.timedelta(days=1), attendees=99)
    f.campaign(p.astana, reached=500)
    f.campaign(p.astana, reached=70, status="finished")
    f.campaign(p.astana, reached=1000, status="planned")
    f.campaign(p.astana, reached=9, starts_on=dt.date(2026, 12, 21), ends_on=dt.date(2026, 12, 30))
    f.campaign(p.almaty, reached=3)
    start, end = local_day(day)
    ids = [p.astana.pk, p.almaty.pk]

    def figure(code: str, region: int) -> tuple[float, float | None]:
        found = indicator(code).evaluate(ids, start, end)[region]
        assert day_figures(code, ids, day)[region] == found  # day by day, the same
        return found.value, found.base

    held = ParentMeeting.objects.filter(region=p.astana, held_on=day)
    running = Campaign.objects.filter(
        region=p.astana, status__in=["running", "finished"], starts_on__lte=day, ends_on__gte=day
    )
    assert figure("parent_meetings", p.astana.pk) == (held.count(), None) == (3, None)
    assert figure("parent_meeting_attendees", p.astana.pk) == (
        held.aggregate(n=Sum("attendees"))["n"],
        None,
    )
    assert figure("schools_with_parent_meeting_share", p.astana.pk) == (
        held.values("school").distinct().count(),
        4,
    )
    assert figure("schools_with_parent_meeting_share", p.almaty.pk) == (0, 1)
    assert figure("campaigns_running", p.astana.pk) == (running.count(), None) == (2, None)
    assert figure("campaign_reach", p.astana.pk) == (570, None)
    assert figure("campaign_reach", p.almaty.pk) == (3, None)
    assert figure("parent_meetings", p.almaty.pk) == (0, None)
