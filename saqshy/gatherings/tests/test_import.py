from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.importer import ImportFileError, import_gatherings
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.files import event_rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db
START = (timezone.localtime() + dt.timedelta(days=20)).replace(tzinfo=None, second=0, microsecond=0)


@pytest.fixture
def setup():
    personas = make_personas()
    venues = [
        FacilityFactory(region=personas.almaty, osm_ref=f"way/{n}", name=f"Hall {n}")
        for n in range(5)
    ]
    return personas, [v.osm_ref for v in venues]


def _import(user, path: Path):
    with path.open("rb") as data:
        return import_gatherings(acting_user=user, name=path.name, data=data)


def test_one_bad_row_imports_nothing_then_the_fixed_file_imports_all(setup, tmp_path) -> None:
    personas, refs = setup
    rows = event_rows(refs, 1000, START)
    rows[636]["ends_at"] = rows[636]["starts_at"]
    bad = write_xlsx(tmp_path / "events.xlsx", rows)
    counts = (Gathering.objects.count(), AuditEntry.objects.count())
    result = _import(personas.planner_almaty, bad)
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(638, "ends_at")]
    assert "end after it starts" in result.errors[0].reason
    assert (Gathering.objects.count(), AuditEntry.objects.count()) == counts

    rows[636]["ends_at"] = (START + dt.timedelta(hours=400)).strftime("%Y-%m-%d %H:%M")
    good = write_xlsx(tmp_path / "events.xlsx", rows)
    result = _import(personas.planner_almaty, good)
    assert result.ok and result.created == 1000
    assert Gathering.objects.filter(region=personas.almaty, status="draft").count() == 1000
    assert Gathering.objects.filter(children_involved=True).count() == 334
    assert AuditEntry.objects.filter(object_type="gatherings.gathering").count() == 1000

    again = _import(personas.planner_almaty, good)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1000)
    assert Gathering.objects.count() == 1000


def test_every_problem_is_reported_with_line_and_column(setup, tmp_path) -> None:
    personas, refs = setup
    rows = event_rows(refs, 4, START)
    rows[0]["kind"] = "rave"
    rows[1]["venue"] = "way/999999"
    rows[2]["expected_attendance"] = "lots"
    rows[3]["children_count"] = "10000"
    result = _import(personas.planner_almaty, write_csv(tmp_path / "events.csv", rows))
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "kind"),
        (3, "venue"),
        (4, "expected_attendance"),
        (5, "children_count"),
    ]
    assert Gathering.objects.count() == 0


def test_rows_in_a_region_outside_the_grants_are_refused(setup, tmp_path) -> None:
    personas, _refs = setup
    astana = FacilityFactory(region=personas.astana, osm_ref="way/77")
    rows = event_rows([astana.osm_ref], 1, START)
    result = _import(personas.planner_almaty, write_csv(tmp_path / "e.csv", rows))
    assert result.errors[0].column == "venue"
    assert Gathering.objects.count() == 0


def test_unreadable_files_fail_clearly(setup, tmp_path) -> None:
    personas, _refs = setup
    (tmp_path / "e.xlsx").write_bytes(b"not a spreadsheet")
    with pytest.raises(ImportFileError, match="XLSX"):
        _import(personas.planner_almaty, tmp_path / "e.xlsx")
    (tmp_path / "e.txt").write_text("x")
    with pytest.raises(ImportFileError, match=r"\.csv or \.xlsx"):
        _import(personas.planner_almaty, tmp_path / "e.txt")
    (tmp_path / "e.csv").write_text("name,kind\nA,fair\n")
    with pytest.raises(ImportFileError, match="starts_at"):
        _import(personas.planner_almaty, tmp_path / "e.csv")


def test_command_reports_bad_rows_and_exits_non_zero(setup, tmp_path) -> None:
    _personas, refs = setup
    rows = event_rows(refs, 3, START)
    rows[1]["starts_at"] = "tomorrow"
    path = write_csv(tmp_path / "events.csv", rows)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_gatherings", str(path), "--as", "planner_almaty", "--no-progress", stderr=err
        )
    assert "line 3, column starts_at" in err.getvalue()
    rows[1]["starts_at"] = rows[0]["starts_at"]
    write_csv(path, rows)
    out = StringIO()
    call_command(
        "import_gatherings", str(path), "--as", "planner_almaty", "--no-progress", stdout=out
    )
    assert "3 created" in out.getvalue()


def test_upload_page(setup, tmp_path, client) -> None:
    personas, refs = setup
    client.force_login(personas.planner_almaty)
    rows = event_rows(refs, 2, START)
    rows[0]["organiser"] = ""
    path = write_csv(tmp_path / "events.csv", rows)
    with path.open("rb") as upload:
        response = client.post(reverse("gatherings:import"), {"file": upload})
    assert "Nothing was imported: 1 problem." in response.content.decode()
    assert Gathering.objects.count() == 0
    rows[0]["organiser"] = "Akimat"
    write_csv(path, rows)
    with path.open("rb") as upload:
        response = client.post(reverse("gatherings:import"), {"file": upload})
    assert "2 rows imported: 2 created" in response.content.decode()
