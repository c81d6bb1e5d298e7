from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.inspections.models import Briefing, ChecklistItem, Drill, Inspection, Violation


def item(code: str = "fire-alarm") -> ChecklistItem:
    return ChecklistItem.objects.get(code=code)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    facility = factory.SubFactory(FacilityFactory)
    inspected_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=2))


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    inspection = factory.SubFactory(InspectionFactory)
    facility = factory.LazyAttribute(lambda o: o.inspection.facility)
    item = factory.LazyFunction(item)
    severity = "critical"
    description = "Fire alarm panel switched off"
    deadline = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=3))


class BriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Briefing

    facility = factory.SubFactory(FacilityFactory)
    held_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=5))
    participants = 24
    topic = "Evacuation of children"


class DrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drill

    facility = factory.SubFactory(FacilityFactory)
    held_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=5))
    people_evacuated = 310
    evacuation_seconds = 260
    norm_seconds = 480


def second_inspector(username: str = "verifier_almaty") -> Any:
    """Another inspector of Almaty's emergency department (personas have only one)."""
    from saqshy.accounts.models import Agency, Grant, Region, Role, User

    user = User.objects.create_user(username=username, password="pw-" + username)
    Grant.objects.create(
        user=user,
        agency=Agency.objects.get(code="des-almaty"),
        role=Role.objects.get(slug="inspector"),
        region=Region.objects.get(slug="almaty"),
    )
    return user
