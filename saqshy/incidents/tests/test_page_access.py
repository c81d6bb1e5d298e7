"""The inherited page and action tests (``core.testing.pages``) for incidents and units."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Region, User
from saqshy.core.testing.pages import ScopedActionTests, ScopedPageTests
from saqshy.incidents.models import Incident, Unit
from saqshy.incidents.tests.factories import IncidentFactory, UnitFactory, dispatcher


class IncidentPageTests(ScopedPageTests):
    model = Incident
    list_url = "incidents:list"
    detail_url = "incidents:detail"

    def make_object(self, region: Region) -> Incident:
        incident: Incident = IncidentFactory(region=region)
        UnitFactory(region=region)
        return incident


class UnitBoardTests(ScopedPageTests):
    model = Unit
    list_url = "units:board"

    def make_object(self, region: Region) -> Unit:
        unit: Unit = UnitFactory(region=region)
        return unit


class IncidentActionTests(ScopedActionTests):
    """Every custom action on an incident: 404 outside the scope, 403 without the role."""

    model = Incident
    writer = "dispatcher_almaty"
    reader = "analyst_national"
    dispatcher_almaty: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dispatcher_almaty = dispatcher(
            "dispatcher_almaty", "police-almaty", cls.personas.almaty
        )

    def user(self, name: str) -> User:
        if name == "dispatcher_almaty":
            return self.dispatcher_almaty
        return super().user(name)

    def make_object(self, region: Region) -> Incident:
        incident: Incident = IncidentFactory(region=region)
        return incident

    def calls(self, obj: Any) -> list[tuple[str, dict[str, Any]]]:
        unit = UnitFactory(region=obj.region)
        return [
            (reverse("api:incident-close", args=[obj.pk]), {"resolution": "x"}),
            (reverse("api:incident-advance", args=[obj.pk]), {"status": "cancelled"}),
            (reverse("api:incident-notes", args=[obj.pk]), {"text": "x"}),
            (reverse("api:incident-dispatch", args=[obj.pk]), {"units": [unit.pk]}),
            (reverse("api:incident-merge", args=[obj.pk]), {}),
            (reverse("api:incident-keep", args=[obj.pk]), {}),
        ]
