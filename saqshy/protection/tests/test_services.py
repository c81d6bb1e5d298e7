"""Checklist by tier, assessments, findings and CCTV coverage (service level)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from saqshy.core.exceptions import Conflict
from saqshy.core.testing.personas import make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.protection import queries, services
from saqshy.protection.choices import Answer
from saqshy.protection.models import Finding
from saqshy.protection.tests.factories import camera, completed, square

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    """The services' own today, asked when the test runs (late in the UTC evening it is
    already tomorrow in Astana)."""
    return timezone.localdate()


def codes(tier: str, outdoor: bool = False) -> set[str]:
    return {item.code for item in queries.checklist(tier, outdoor)}


def test_checklist_by_tier() -> None:
    standard = codes("standard")
    assert standard == {"procedures", "staff-training", "communication", "cctv"}
    enhanced = codes("enhanced")
    assert enhanced - standard == {"access-control", "responsible-person", "risk-assessment"}
    assert codes("enhanced", outdoor=True) - enhanced == {"vehicle-barriers"}
    assert "vehicle-barriers" not in codes("standard", outdoor=True)


def test_tier_follows_capacity_and_below_200_is_out_of_scope() -> None:
    p = make_personas()
    tiers = queries.thresholds(p.almaty.pk)
    assert (tiers.tier(199), tiers.tier(200), tiers.tier(799), tiers.tier(800)) == (
        None,
        "standard",
        "standard",
        "enhanced",
    )
    small = FacilityFactory(region=p.almaty, capacity=150)
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(acting_user=None, facility=small, assessed_on=today())
    assert "tier" in refused.value.message_dict
    hall = FacilityFactory(region=p.almaty, capacity=900)
    made = services.create_assessment(acting_user=None, facility=hall, assessed_on=today())
    assert made.tier == "enhanced"
    assert made.valid_until == today() + dt.timedelta(days=365)


def test_bad_answers_name_the_field_and_change_nothing() -> None:
    p = make_personas()
    hall = FacilityFactory(region=p.almaty, capacity=300)
    assessment = services.create_assessment(acting_user=None, facility=hall, assessed_on=today())
    items = {i.code: i for i in queries.checklist("enhanced", True)}
    for answers in (
        [services.ItemAnswer(items["procedures"], Answer.NOT_MET, "")],  # no note
        [services.ItemAnswer(items["access-control"], Answer.MET)],  # enhanced only
        [services.ItemAnswer(items["procedures"], "maybe")],
    ):
        with pytest.raises(ValidationError) as refused:
            services.record_answers(acting_user=None, assessment=assessment, answers=answers)
        assert "answers" in refused.value.message_dict
    assert not assessment.answers.exists()
    with pytest.raises(ValidationError) as refused:
        services.complete_assessment(acting_user=None, assessment=assessment)
    assert "answers" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(
            acting_user=None, facility=hall, assessed_on=today() + dt.timedelta(days=1)
        )
    assert "assessed_on" in refused.value.message_dict


def test_findings_lifecycle() -> None:
    p = make_personas()
    hall = FacilityFactory(region=p.almaty, capacity=1000)
    on = today() - dt.timedelta(days=20)
    assessment = completed(hall, on=on, not_met={"access-control": "No bag search at gate B"})
    [finding] = Finding.objects.filter(assessment=assessment)
    assert (finding.severity, finding.status, finding.text) == (
        "critical",
        "open",
        "No bag search at gate B",
    )
    assert finding.deadline == on + dt.timedelta(days=14)
    assert finding.overdue_on(today())
    with pytest.raises(Conflict):
        services.update_assessment(acting_user=None, assessment=assessment, notes="late")
    with pytest.raises(ValidationError) as refused:
        services.fix_finding(
            acting_user=p.inspector_almaty, finding=finding, fixed_on=today() + dt.timedelta(1)
        )
    assert "fixed_on" in refused.value.message_dict
    services.fix_finding(
        acting_user=p.inspector_almaty, finding=finding, fixed_on=today(), note="Search tent set up"
    )
    finding.refresh_from_db()
    assert (finding.status, finding.fixed_by, finding.fixed_on) == (
        "fixed",
        p.inspector_almaty,
        today(),
    )
    assert not finding.overdue_on(today())
    with pytest.raises(Conflict):
        services.fix_finding(acting_user=None, finding=finding, fixed_on=today())


def test_cctv_is_computed_from_the_cameras_over_the_footprint() -> None:
    p = make_personas()
    hall = FacilityFactory(region=p.almaty, capacity=300, footprint=square(0.001))
    assert queries.coverage_of(hall).share == 0.0
    half = square(0.001)
    half["coordinates"][0] = [
        [x if x == square()["coordinates"][0][0][0] else x - 0.0005, y]
        for x, y in half["coordinates"][0]
    ]
    camera(hall, half)
    camera(hall, square(0.01), is_active=False)  # out of service: not counted
    share = queries.coverage_of(hall).share
    assert share is not None and abs(share - 0.5) < 0.01
    assessment = completed(hall, on=today())
    assert assessment.coverage_share is not None and abs(assessment.coverage_share - 0.5) < 0.01
    cctv = assessment.answers.get(item__code="cctv")
    assert cctv.answer == "met" and "50 %" in cctv.note
    unknown = FacilityFactory(region=p.almaty, capacity=300, footprint=None)
    assert queries.coverage_of(unknown).share is None
