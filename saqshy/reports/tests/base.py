from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from saqshy.core.testing.personas import make_personas
from saqshy.incidents.models import Incident
from saqshy.incidents.tests.factories import IncidentFactory, incident_type
from saqshy.reports.tests.fakes import commission_people, fake_indicators

DAY = dt.date(2027, 1, 1)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ReportTestCase(TestCase):
    """Personas, the commission's people, fake indicators, a few Astana incidents."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.people = commission_people(cls.p)
        night = DAY - dt.timedelta(days=1)
        cls.inside = [
            IncidentFactory(region=cls.p.astana, reported_at=local(night, 23, 40), status="closed"),
            IncidentFactory(
                region=cls.p.astana,
                reported_at=local(DAY, 0, 15),
                priority=3,
                type=incident_type("medical"),
                address="Mangilik El 10",
            ),
            IncidentFactory(
                region=cls.p.astana, reported_at=local(DAY, 7, 59), address="Kabanbay batyr 5"
            ),
        ]
        # Outside the 08:00 → 08:00 window, or in another region.
        IncidentFactory(region=cls.p.astana, reported_at=local(DAY, 8, 0))
        IncidentFactory(region=cls.p.astana, reported_at=local(night, 7, 59))
        IncidentFactory(region=cls.p.almaty, reported_at=local(DAY, 1, 0))

    def setUp(self) -> None:
        patcher = mock.patch("saqshy.core.indicators.registry_indicators", fake_indicators)
        patcher.start()
        self.addCleanup(patcher.stop)

    def user(self, name: str) -> Any:
        return self.people[name]

    def direct_count(self, region: Any) -> int:
        start, end = local(DAY - dt.timedelta(days=1), 8), local(DAY, 8)
        return int(
            Incident.objects.filter(
                region=region, reported_at__gte=start, reported_at__lt=end
            ).count()
        )
