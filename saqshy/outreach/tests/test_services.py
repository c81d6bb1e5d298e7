"""Campaigns and meetings change only through the services: audited, scoped, checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from saqshy.core.audit_models import AuditEntry
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.personas import make_personas
from saqshy.outreach import services
from saqshy.outreach.models import Campaign
from saqshy.outreach.tests import factories as f

pytestmark = pytest.mark.django_db


def _fields(region, **extra):
    return {
        "title": "Жұқа мұз",
        "topic": "ice",
        "channel": "social",
        "audience": "pupils",
        "region": region,
        "starts_on": dt.date(2026, 12, 10),
        "ends_on": dt.date(2027, 1, 10),
        "planned_reach": 5000,
        "owner": f.agency(region),
        **extra,
    }


def test_a_campaign_is_created_planned_audited_and_its_districts_must_lie_in_the_region() -> None:
    p = make_personas()
    here, there = f.district(p.astana, "esil"), f.district(p.almaty, "medeu")
    campaign = services.create_campaign(
        acting_user=p.planner_astana, districts=[here], **_fields(p.astana, status="running")
    )
    assert campaign.status == "planned"
    assert list(campaign.districts.all()) == [here]
    entries = AuditEntry.objects.filter(object_type="outreach.campaign", object_id=str(campaign.pk))
    assert entries.filter(action="create").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.create_campaign(
            acting_user=p.planner_astana, districts=[there], **_fields(p.astana)
        )
    assert "districts" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.create_campaign(
            acting_user=p.planner_astana, **_fields(p.astana, ends_on=dt.date(2026, 12, 1))
        )
    assert "ends_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.create_campaign(
            acting_user=p.planner_astana, **_fields(p.astana, materials=["javascript:alert(1)"])
        )
    assert "materials" in refused.value.message_dict


def test_another_regions_planner_may_not_add_or_change() -> None:
    p = make_personas()
    with pytest.raises(PermissionDenied):
        services.create_campaign(acting_user=p.planner_almaty, **_fields(p.astana))
    campaign = f.campaign(p.astana)
    with pytest.raises(PermissionDenied):
        services.record_reach(acting_user=p.planner_almaty, campaign=campaign, reached=5)
    assert Campaign.objects.get(pk=campaign.pk).reached == 0


def test_reach_and_status_are_recorded_with_exactly_what_changed() -> None:
    p = make_personas()
    campaign = f.campaign(p.astana, status="planned")
    services.record_reach(acting_user=p.planner_astana, campaign=campaign, reached=1200)
    entry = AuditEntry.objects.filter(object_type="outreach.campaign", action="update").latest("pk")
    assert entry.after == {"reached": 1200} and entry.before == {"reached": 0}
    with pytest.raises(ValidationError):
        services.record_reach(acting_user=p.planner_astana, campaign=campaign, reached=-1)
    services.move_campaign(acting_user=p.planner_astana, campaign=campaign, name="start")
    services.move_campaign(acting_user=p.planner_astana, campaign=campaign, name="finish")
    assert Campaign.objects.get(pk=campaign.pk).status == "finished"
    with pytest.raises(Conflict):
        services.move_campaign(acting_user=p.planner_astana, campaign=campaign, name="finish")


def test_a_meetings_region_and_district_follow_the_school() -> None:
    p = make_personas()
    esil = f.district(p.astana, "esil")
    school = f.school(p.astana, district=esil)
    meeting = services.record_meeting(
        acting_user=p.planner_astana,
        school=school,
        held_on=dt.date(2026, 12, 18),
        attendees=31,
        topics=["supervision", "trips"],
        region=p.almaty,
    )
    assert (meeting.region_id, meeting.district_id) == (p.astana.pk, esil.pk)
    clinic = f.school(p.astana, kind="clinic")
    with pytest.raises(ValidationError) as refused:
        services.update_meeting(acting_user=p.planner_astana, meeting=meeting, school=clinic)
    assert "school" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.update_meeting(acting_user=p.planner_astana, meeting=meeting, topics=["snow"])
    assert "topics" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_meeting(
            acting_user=p.planner_almaty,
            school=school,
            held_on=dt.date(2026, 12, 18),
            attendees=3,
            topics=["ice"],
        )


def test_public_campaigns_show_only_running_ones_and_nothing_internal() -> None:
    from django.utils import translation

    from saqshy.outreach.queries import public_campaigns

    p = make_personas()
    day = dt.date(2026, 12, 20)
    f.campaign(p.astana, title="Ice", title_kk="Мұз", topic="ice", notes="internal")
    f.campaign(p.astana, title="Planned", status="planned")
    f.campaign(p.astana, title="Over", ends_on=dt.date(2026, 12, 19))
    f.campaign(p.almaty, title="Almaty")
    with translation.override("kk"):
        shown = public_campaigns(p.astana, today=day)
    assert [row["title"] for row in shown] == ["Мұз"]
    assert set(shown[0]) == {
        "title",
        "topic",
        "topic_label",
        "region",
        "starts_on",
        "ends_on",
        "materials",
    }
    assert len(public_campaigns(today=day)) == 2
