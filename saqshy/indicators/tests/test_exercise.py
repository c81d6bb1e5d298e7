"""Exercise records never appear in real indicators: every registered indicator (the registry
itself, not a chosen few), the response-time page's figures and the daily report's sections
read the same with an exercise's incidents, alarms, alerts and reports as without them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from saqshy.alarms import services as alarm_services
from saqshy.alarms.tests.factories import household, installed, received
from saqshy.alerts.tests.factories import published
from saqshy.core import services as core_services
from saqshy.core.context import exercise
from saqshy.core.indicators import registry_indicators
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services as incident_services
from saqshy.incidents.indicators import response_indicators
from saqshy.incidents.models import Incident
from saqshy.incidents.tests.factories import incident_type
from saqshy.reports import filling
from saqshy.reports import services as report_services

pytestmark = pytest.mark.django_db

# The figures that read the four kinds of records: the test proves it could fail by showing
# that each of them moves once the exercise records are relabelled as real.
READS_EXERCISE_KINDS = {
    "incidents",
    "dispatch_within_norm",
    "response_within_norm",
    "home_alarms",
    "alerts_published",
}


def _records(p: Personas, device: Any, offset: float) -> None:
    """One of each: incidents dispatched and on scene (one within the norms, one outside), a
    home alarm that opens an incident, a published alert and the day's report. ``offset``
    moves the calls' points; the alarm comes from the same home's sensor (an exercise alarm
    never joins the real alarm's open incident)."""
    now = timezone.now()
    lat, lon = 51.16 + offset, 71.45 + offset
    for minutes, (to_dispatch, to_scene) in enumerate(((30, 300), (900, 3600))):
        incident = incident_services.report_incident(
            acting_user=p.dispatcher_astana,
            type=incident_type("fire"),
            lat=lat + minutes * 0.01,
            lon=lon,
            reported_at=now - dt.timedelta(hours=2, minutes=minutes),
        )
        dispatched = incident.reported_at + dt.timedelta(seconds=to_dispatch)
        Incident.objects.filter(pk=incident.pk).update(
            dispatched_at=dispatched, on_scene_at=dispatched + dt.timedelta(seconds=to_scene)
        )
    alarm_services.record_event(acting_user=None, message=received(device))
    published(p.planner_astana, p.dispatcher_astana, p.astana)
    # The exercise's report is of another day, so relabelling it as real below stays unique.
    day = timezone.localdate() + dt.timedelta(days=1 if offset == 0 else 2)
    report_services.open_report(acting_user=None, region=p.astana, day=day)


def _figures(p: Personas) -> dict[str, Any]:
    start = timezone.now() - dt.timedelta(days=1)
    end = timezone.now() + dt.timedelta(hours=1)
    ids = [p.astana.pk, p.almaty.pk]
    found: dict[str, Any] = {
        ind.code: ind.evaluate(ids, start, end) for ind in registry_indicators()
    }
    today = timezone.localdate()
    page = response_indicators(
        p.admin, date_from=today - dt.timedelta(days=1), date_to=today + dt.timedelta(days=1)
    )
    found["_response_page"] = [m["overall"] for m in page["measures"]]
    sections = filling.compute_sections(p.astana.pk, start, end)
    found["_report_sections"] = {
        key: sections[key] for key in ("by_type", "notable", "alarms") if key in sections
    }
    return found


def test_exercise_records_never_appear_in_real_indicators() -> None:
    p = make_personas()
    device = installed(household(p.astana)).device
    _records(p, device, 0.0)
    real_only = _figures(p)
    assert real_only["incidents"][p.astana.pk].value == 3  # two calls and the alarm's

    with exercise():
        _records(p, device, 0.002)
    assert Incident.objects.filter(is_exercise=True).count() == 3

    assert _figures(p) == real_only

    # The same records counted as real move every figure that reads them: the equality above
    # is the exercise flag at work, not figures that ignore these records anyway.
    for model in core_services.exercise_models():
        model.objects.update(is_exercise=False)
    relabelled = _figures(p)
    moved = {
        code
        for code in READS_EXERCISE_KINDS
        if relabelled[code][p.astana.pk] != real_only[code][p.astana.pk]
    }
    assert moved == READS_EXERCISE_KINDS
    assert relabelled["_response_page"] != real_only["_response_page"]
    assert relabelled["_report_sections"] != real_only["_report_sections"]


def test_every_indicator_is_evaluated_here() -> None:
    """The registry is not empty and names each figure once (the comparison above walks it)."""
    codes = [ind.code for ind in registry_indicators()]
    assert set(codes) >= READS_EXERCISE_KINDS
    assert len(codes) == len(set(codes))
