from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from saqshy.accounts.models import Agency
from saqshy.actionplan.models import Measure, MeasureTarget
from saqshy.actionplan.plan_file import DEFAULT_PLAN, PlanFileError, load
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import make_region

pytestmark = pytest.mark.django_db

# Every line of the brief the issue lists, with words a measure for it must carry (in its
# English title or the brief's words it quotes).
BRIEF_LINES: dict[str, tuple[str, ...]] = {
    "patrols": ("patrol",),
    "24/7 duty": ("24/7 duty",),
    "mass-event security": ("mass event", "security"),
    "video monitoring": ("video",),
    "counter-terror prevention at crowded places": ("counter-terror", "crowded"),
    "pyrotechnics raids": ("pyrotechnics", "raid"),
    "fire inspections": ("fire-safety inspections",),
    "clearance": ("approved for operation",),
    "home fire sensors": ("sensor", "home"),
    "briefings": ("briefing",),
    "drills": ("drill",),
    "extinguishers and hydrants": ("extinguisher", "hydrant"),
    "24/7 access": ("access", "24/7"),
    "evacuation drills": ("evacuation drill",),
    "highways": ("highway",),
    "warming points": ("warming point",),
    "special equipment": ("special equipment",),
    "aviation": ("aviation",),
    "road safety": ("road safety",),
    "escorts of children's trips": ("escort", "children's", "trip"),
    "parent meetings": ("parent meeting",),
    "awareness campaigns": ("awareness campaign",),
    "energy safety": ("energy facilities",),
    "heating and water": ("heating", "water"),
    "repair-crew duty": ("repair-crew duty",),
}


def _plan() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(DEFAULT_PLAN).read_text(encoding="utf-8"))
    return data


@pytest.fixture(autouse=True)
def _regions() -> None:
    make_region("astana")
    make_region("almaty")


def test_every_brief_line_has_a_measure() -> None:
    measures = _plan()["measures"]
    texts = [f"{m['title']['en']} {m['brief_line']}".lower() for m in measures]
    for line, words in BRIEF_LINES.items():
        assert any(all(w.lower() in text for w in words) for text in texts), line


def test_targets_from_the_brief() -> None:
    by_indicator = {m["indicator"]: m for m in _plan()["measures"] if m["indicator"]}
    assert by_indicator["venues_inspected"]["national_target"] == 7000
    assert by_indicator["sensors_installed"]["national_target"] == 36000
    # "more than 1,000 mass events" secured: the share of the season's events, every one.
    assert by_indicator["events_secured"]["national_target"] == 100
    assert by_indicator["trips_escorted"]["national_target"] == 100


def test_the_plan_loads_and_a_second_load_changes_nothing() -> None:
    result = load(_plan())
    count = len(_plan()["measures"])
    assert count >= 20
    assert (result.created, result.updated, result.unchanged) == (count, 0, 0)
    assert Measure.objects.count() == count
    inspected = Measure.objects.get(indicator_code="venues_inspected")
    assert inspected.owner.code == "mchs"
    assert inspected.co_executors.filter(code="akimats").exists()
    assert MeasureTarget.objects.filter(measure=inspected).count() == 2
    assert Agency.objects.filter(code="min-energy", region=None).exists()
    entries = AuditEntry.objects.count()
    again = load(_plan())
    assert (again.created, again.updated, again.unchanged) == (0, 0, count)
    assert AuditEntry.objects.count() == entries


def test_a_reload_keeps_what_the_pages_recorded() -> None:
    load(_plan())
    Measure.objects.filter(code="6.1").update(status="in_progress", notes="on the way")
    data = _plan()
    result = load(data)
    assert result.updated == 0
    measure = Measure.objects.get(code="6.1")
    assert (measure.status, measure.notes) == ("in_progress", "on the way")


def test_a_changed_line_is_updated() -> None:
    load(_plan())
    data = _plan()
    data["measures"][0]["title"]["en"] = "Patrol more"
    data["measures"][0]["co_executors"] = ["akimats", "mchs"]
    del data["measures"][13]["targets"]["almaty"]
    result = load(data)
    assert (result.updated, result.created) == (2, 0)
    assert Measure.objects.get(code="1.1").title_en == "Patrol more"
    assert Measure.objects.get(code="1.1").co_executors.count() == 2
    assert MeasureTarget.objects.filter(measure__code="6.1").count() == 1


@pytest.mark.parametrize(
    ("index", "field", "value", "words"),
    [
        (13, "deadline", "31.02.2027", ("measure 6.1", "deadline")),
        (13, "owner", "nobody", ("measure 6.1", "nobody")),
        (13, "status", "finished", ("measure 6.1", "status")),
        (13, "national_target", "seven thousand", ("measure 6.1", "national_target")),
        (13, "evidence_link", "javascript:alert(1)", ("measure 6.1", "evidence_link")),
        (13, "targets", {"atlantis": 5}, ("measure 6.1", "atlantis")),
        (2, "code", "1.1", ("measure 1.1", "twice")),
        (2, "national_target", 1000, ("measure 2.1", "national_target", "share")),
    ],
)
def test_a_bad_file_is_refused_whole(index: int, field: str, value: Any, words: tuple) -> None:
    load(_plan())
    before = list(Measure.objects.order_by("code").values())
    data = copy.deepcopy(_plan())
    data["measures"][0]["title"]["en"] = "Must not be saved"
    data["measures"][index][field] = value
    with pytest.raises(PlanFileError) as refused:
        load(data)
    for word in words:
        assert word in str(refused.value)
    assert list(Measure.objects.order_by("code").values()) == before


def test_the_command_reports_counts_and_refuses_bad_files(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("load_action_plan", str(DEFAULT_PLAN), stdout=out, stderr=io.StringIO())
    assert f"{len(_plan()['measures'])} created, 0 updated, 0 unchanged" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("load_action_plan", str(bad), stdout=io.StringIO())


def test_the_demo_loads_the_plan_over_its_own_agencies() -> None:
    from saqshy.demo import loader

    loader.load_regions()
    loader.load_people()
    mvd = Agency.objects.get(code="mvd")
    result = load(_plan())
    assert result.created == len(_plan()["measures"])
    assert Agency.objects.get(code="mvd").updated_at == mvd.updated_at
    assert Measure.objects.filter(owner=mvd).exists()
