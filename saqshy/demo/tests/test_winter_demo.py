"""The winter night loader: two points filling up, the stranded bus sent to the nearest point
with places, a helicopter and a snow plough on standby; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import make_personas
from saqshy.incidents.models import Incident
from saqshy.roads.tests.factories import make_network
from saqshy.winter.choices import EquipmentType, StrandedStatus
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint
from saqshy.winter.tests.factories import make_akmola

pytestmark = pytest.mark.django_db


def test_load_winter_is_idempotent_and_sends_the_bus_to_a_point_with_places() -> None:
    from saqshy.demo.winter import load_winter

    personas = make_personas()
    region = make_akmola()
    segment = make_network(region)["1-2"]
    at = timezone.now() - dt.timedelta(hours=1)
    kwargs = {
        "region": region,
        "segment": segment,
        "coordinator": personas.planner_astana,
        "dispatcher": personas.dispatcher_astana,
        "at": at,
        "say": lambda _text: None,
    }
    first = load_winter(**kwargs)
    arshaly, osakarovka = first.points
    assert (arshaly.occupancy, osakarovka.occupancy) == (64, 57)
    # The occupancy rose in steps, each audited.
    steps = AuditEntry.objects.filter(
        object_type="winter.warmingpoint", object_id=str(arshaly.pk), action="update"
    )
    assert steps.count() == 4
    report = first.report
    assert report is not None
    assert (report.people, report.children, report.vehicle_kind) == (38, 21, "bus")
    assert report.segment == segment
    # Osakarovka has 23 places for 38 people: the bus goes to Arshaly.
    assert report.status == StrandedStatus.ASSIGNED and report.point == arshaly
    assert report.incident is not None and report.incident.type.code == "stranded"
    kinds = sorted(s.equipment_type for s in first.standbys)
    assert kinds == sorted([EquipmentType.HELICOPTER, EquipmentType.SNOW_PLOUGH])
    counts = (
        WarmingPoint.objects.count(),
        StrandedReport.objects.count(),
        Standby.objects.count(),
        Incident.objects.count(),
        AuditEntry.objects.count(),
    )
    second = load_winter(**kwargs)
    assert second.created == 0
    assert counts == (
        WarmingPoint.objects.count(),
        StrandedReport.objects.count(),
        Standby.objects.count(),
        Incident.objects.count(),
        AuditEntry.objects.count(),
    )
