"""The action plan's measures 16.1 and 16.2 are measured by the outreach indicators."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings

from saqshy.actionplan import queries
from saqshy.actionplan.models import Measure
from saqshy.actionplan.plan_file import load
from saqshy.core.indicators import Figure
from saqshy.core.testing.personas import make_personas
from saqshy.outreach.tests import factories as f

pytestmark = pytest.mark.django_db


def test_parent_meeting_and_campaign_measures_are_computed_from_the_records() -> None:
    p = make_personas()
    plan = json.loads(
        (settings.DATA_DIR / "actionplan" / "law-and-order-2026.json").read_text("utf-8")
    )
    result = load(plan)
    assert not [w for w in result.warnings if "outreach" in w or "parent" in w]
    meetings = Measure.objects.get(code="16.1")
    campaigns = Measure.objects.get(code="16.2")
    assert meetings.indicator_code == "schools_with_parent_meeting_share"
    assert campaigns.indicator_code == "campaigns_running"
    schools = [f.school(p.astana) for _ in range(4)]
    f.meeting(schools[0], held_on=dt.date(2026, 12, 10))
    f.meeting(schools[1], held_on=dt.date(2026, 12, 12))
    f.meeting(schools[2], held_on=dt.date(2026, 12, 28))  # after the deadline (25.12)
    f.campaign(p.astana)
    evaluator = queries.Evaluator(p.planner_astana, dt.date(2026, 12, 30))
    rows = dict(evaluator.per_region(meetings, [p.astana]))
    assert rows[p.astana].kind == queries.MEASURED
    assert rows[p.astana].figure == Figure(2, 4)
    rows = dict(evaluator.per_region(campaigns, [p.astana]))
    assert rows[p.astana].figure == Figure(1)
