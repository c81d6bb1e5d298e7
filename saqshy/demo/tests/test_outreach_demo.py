"""The demo's outreach: New Year campaigns in kk/ru/en and parent meetings at real schools."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from saqshy.core.audit_models import AuditEntry
from saqshy.demo import loader
from saqshy.demo.outreach import CAMPAIGNS, SCHOOL_SHARE, load_outreach
from saqshy.facilities.models import Facility
from saqshy.outreach.models import Campaign, ParentMeeting

pytestmark = pytest.mark.django_db


def test_demo_outreach_loads_once() -> None:
    loader.load_regions()
    loader.load_districts()
    loader.load_people()
    loader.load_facilities("astana")
    lines: list[str] = []
    result = load_outreach(region="astana", say=lines.append, today=dt.date(2026, 12, 28))
    assert result.campaigns == len(CAMPAIGNS) == Campaign.objects.count()
    statuses = dict(Campaign.objects.values_list("topic", "status"))
    assert statuses["fire_safety"] == "finished" and statuses["fireworks"] == "running"
    fireworks = Campaign.objects.get(topic="fireworks")
    assert 0 < fireworks.reached < fireworks.planned_reach
    with translation.override("kk"):
        assert fireworks.display_title == "Пиротехника — ойыншық емес"
    with translation.override("ru"):
        assert fireworks.display_title == "Пиротехника — не игрушка"
    schools = Facility.objects.filter(region__slug="astana", kind="school").count()
    met = ParentMeeting.objects.values("school").distinct().count()
    assert met == round(schools * SCHOOL_SHARE) and met > 50
    assert ParentMeeting.objects.filter(district__isnull=False).exists()
    december = ParentMeeting.objects.filter(held_on__month=12, held_on__lte=dt.date(2026, 12, 28))
    assert december.count() == ParentMeeting.objects.count() == result.meetings
    assert "campaigns" in lines[-1]
    entries = AuditEntry.objects.count()
    again = load_outreach(region="astana", say=lines.append, today=dt.date(2026, 12, 28))
    assert again.skipped and AuditEntry.objects.count() == entries
