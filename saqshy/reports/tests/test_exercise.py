"""Wiping an exercise (``manage.py wipe_exercise``): only exercise rows and what hangs on them
go, the audit trail keeps every entry and still verifies, and gains one entry of the wipe.
An exercise's daily report stands beside the real one and is left out of the board."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from saqshy.alarms.models import AlarmEvent
from saqshy.alarms.services import record_event
from saqshy.alarms.tests.factories import household, installed, received
from saqshy.alerts import services as alert_services
from saqshy.alerts.choices import MsgType
from saqshy.alerts.models import Alert
from saqshy.alerts.tests.factories import published
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.audit_models import AuditEntry
from saqshy.core.context import exercise
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services as incident_services
from saqshy.incidents.models import Incident, IncidentUnit, JournalEntry, Unit
from saqshy.incidents.tests.factories import UnitFactory, incident_type
from saqshy.reports import queries
from saqshy.reports import services as report_services
from saqshy.reports.models import DailyReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _world(p: Personas, region: Any, device: Any, day: dt.date) -> None:
    """A call, an alarm's incident, a published alert with a draft update, a daily report."""
    lat, lon = CENTRES[region.slug]
    incident_services.report_incident(
        acting_user=None, type=incident_type("fire"), lat=lat + 0.02, lon=lon
    )
    record_event(acting_user=None, message=received(device))
    alert = published(p.planner_astana, p.dispatcher_astana, p.astana)
    alert_services.follow_up(acting_user=p.planner_astana, original=alert, msg_type=MsgType.UPDATE)
    report_services.open_report(acting_user=None, region=region, day=day)


MODELS = (Incident, AlarmEvent, Alert, DailyReport)


def _ids(exercise_rows: bool) -> dict[str, set[int]]:
    return {
        m._meta.label_lower: set(
            m.objects.filter(is_exercise=exercise_rows).values_list("pk", flat=True)
        )
        for m in MODELS
    }


def test_wipe_removes_only_exercise_rows_and_the_audit_still_verifies(p: Personas) -> None:
    device = installed(household(p.astana)).device
    day = timezone.localdate()
    _world(p, p.astana, device, day)
    with exercise():
        _world(p, p.astana, device, day)
    real, drill = _ids(False), _ids(True)
    assert all(len(ids) >= 1 for ids in drill.values()), drill
    real_journal = set(
        JournalEntry.objects.filter(incident__is_exercise=False).values_list("pk", flat=True)
    )
    assert JournalEntry.objects.filter(incident__is_exercise=True).exists()
    entries_before = AuditEntry.objects.count()

    out = StringIO()
    call_command("wipe_exercise", stdout=out)
    assert "dry run" in out.getvalue()
    assert "incidents.incident: 2" in out.getvalue()
    assert _ids(True) == drill  # nothing deleted

    out = StringIO()
    call_command("wipe_exercise", "--yes", stdout=out)
    assert _ids(True) == {label: set() for label in drill}
    assert _ids(False) == real
    assert (
        set(JournalEntry.objects.filter(incident__isnull=False).values_list("pk", flat=True))
        == real_journal
    )
    assert "incidents.journalentry" in out.getvalue()

    # Every entry stays (the chain is append-only) plus one of the wipe, and it verifies.
    assert AuditEntry.objects.count() == entries_before + 1
    wipe = AuditEntry.objects.get(object_type=core_services.EXERCISE_AUDIT_TYPE)
    assert wipe.action == AuditEntry.Action.DELETE
    assert wipe.before["counts"]["incidents.incident"] == 2
    assert wipe.before["counts"]["alerts.alert"] == 2
    assert audit.verify()[1] is None
    call_command("verify_audit", stdout=StringIO())


def test_wipe_of_one_region_leaves_the_others(p: Personas) -> None:
    with exercise():
        for region in (p.astana, p.almaty):
            lat, lon = CENTRES[region.slug]
            incident_services.report_incident(
                acting_user=None, type=incident_type("fire"), lat=lat, lon=lon
            )
    counts = core_services.wipe_exercise(acting_user=p.admin, region_id=p.astana.pk)
    assert counts == {"incidents.incident": 1, "incidents.journalentry": 1}
    assert list(Incident.objects.values_list("region_id", flat=True)) == [p.almaty.pk]
    later = timezone.now() - dt.timedelta(days=1)
    assert core_services.wipe_exercise(acting_user=p.admin, before=later) == {}
    assert Incident.objects.count() == 1


def test_wipe_refuses_while_units_are_on_an_exercise_call(p: Personas) -> None:
    lat, lon = CENTRES["astana"]
    with exercise():
        drill = incident_services.report_incident(
            acting_user=None, type=incident_type("fire"), lat=lat, lon=lon
        )
    unit: Unit = UnitFactory(region=p.astana)
    IncidentUnit.objects.create(incident=drill, unit=unit, assigned_at=timezone.now())
    with pytest.raises(Conflict):
        core_services.wipe_exercise(acting_user=None)
    with pytest.raises(CommandError):
        call_command("wipe_exercise", "--yes", stdout=StringIO())
    assert Incident.objects.filter(pk=drill.pk).exists()
    with pytest.raises(PermissionDenied):
        core_services.wipe_exercise(acting_user=p.dispatcher_astana)


def test_an_exercise_report_stands_beside_the_real_one_and_stays_off_the_board(
    p: Personas,
) -> None:
    day = timezone.localdate()
    real = report_services.open_report(acting_user=None, region=p.astana, day=day)
    with exercise():
        drill = report_services.open_report(acting_user=None, region=p.astana, day=day)
        again = report_services.open_report(acting_user=None, region=p.astana, day=day)
    assert drill.pk != real.pk and drill.is_exercise and again.pk == drill.pk
    board = {row.region.pk: row.report for row in queries.board(p.admin, day)}
    assert board[p.astana.pk] == real


def test_the_open_form_opens_an_exercise_report_when_ticked(p: Personas, client: Any) -> None:
    client.force_login(p.admin)
    day = timezone.localdate().strftime("%d.%m.%Y")
    for extra in ({"is_exercise": "on"}, {}):
        answer = client.post(reverse("reports:open"), {"region": p.astana.pk, "day": day, **extra})
        assert answer.status_code == 302
    assert sorted(DailyReport.objects.values_list("is_exercise", flat=True)) == [False, True]
    drill = DailyReport.objects.get(is_exercise=True)
    assert "exercise-badge" in client.get(reverse("reports:detail", args=[drill.pk])).text
    listed = client.get(reverse("reports:list")).content.decode()
    assert listed.count('class="badge exercise-badge"') == 1
