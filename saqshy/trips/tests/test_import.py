from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import make_personas
from saqshy.trips.importer import COLUMNS, ImportFileError, import_trips
from saqshy.trips.models import Trip
from saqshy.trips.tests.factories import at

pytestmark = pytest.mark.django_db


def rows(n: int) -> list[dict[str, str]]:
    lat, lon = CENTRES["almaty"]
    made = []
    for i in range(n):
        departs = at(20 + i, 8)
        made.append(
            {
                "organiser": f"School No. {100 + i}",
                "organiser_ref": f"EDU-{i:03d}",
                "children_count": "30",
                "adults_count": "3",
                "departs_at": departs.strftime("%Y-%m-%d %H:%M"),
                "returns_at": departs.replace(hour=18).strftime("%Y-%m-%d %H:%M"),
                "departure_name": "School yard",
                "departure_lat": str(lat),
                "departure_lon": str(lon),
                "destination_name": "Charyn canyon",
                "destination_lat": "43.35",
                "destination_lon": "79.07",
                "route_text": "A351",
                "vehicles": "100AAA02/bus/45",
                "drivers": "Yerbol Kassym/KZ100",
                "contact_name": "Saule",
                "contact_phone": "+7 700 100 00 00",
                "status": "approved",
            }
        )
    return made


def write_csv(path: Path, data: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "status"])
        writer.writeheader()
        writer.writerows(data)
    return path


def write_xlsx(path: Path, data: list[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    header = [*COLUMNS, "status"]
    sheet.append(header)
    for row in data:
        sheet.append([row.get(column, "") for column in header])
    book.save(path)
    return path


def _import(user: object, path: Path):
    with path.open("rb") as data:
        return import_trips(acting_user=user, name=path.name, data=data)


def test_a_file_saying_approved_imports_submitted_trips(tmp_path: Path) -> None:
    personas = make_personas()
    result = _import(personas.planner_almaty, write_xlsx(tmp_path / "trips.xlsx", rows(3)))
    assert result.ok, result.errors
    assert result.created == 3
    assert set(Trip.objects.values_list("status", flat=True)) == {"submitted"}
    assert [n.column for n in result.notes] == ["status"] * 3
    assert Trip.objects.filter(approved_at__isnull=False).count() == 0


def test_one_bad_row_imports_nothing_and_names_line_and_column(tmp_path: Path) -> None:
    personas = make_personas()
    data = rows(4)
    data[2]["vehicles"] = "100AAA02/bus/10"
    data[3]["returns_at"] = data[3]["departs_at"]
    counts = (Trip.objects.count(), AuditEntry.objects.count())
    result = _import(personas.planner_almaty, write_csv(tmp_path / "trips.csv", data))
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(4, "vehicles"), (5, "returns_at")]
    assert "seat 10 but 33" in result.errors[0].reason
    assert (Trip.objects.count(), AuditEntry.objects.count()) == counts


def test_reimport_does_not_duplicate_and_other_regions_are_refused(tmp_path: Path) -> None:
    personas = make_personas()
    path = write_csv(tmp_path / "trips.csv", rows(2))
    assert _import(personas.planner_almaty, path).created == 2
    again = _import(personas.planner_almaty, path)
    assert {e.column for e in again.errors} == {"organiser_ref"}
    assert Trip.objects.count() == 2
    Trip.objects.all().delete()
    refused = _import(personas.planner_astana, path)
    assert not refused.ok and Trip.objects.count() == 0


def test_missing_columns_and_wrong_type_are_file_errors(tmp_path: Path) -> None:
    personas = make_personas()
    bad = tmp_path / "trips.csv"
    bad.write_text("organiser,children_count\nA,3\n")
    with pytest.raises(ImportFileError, match="lacks the column"):
        _import(personas.planner_almaty, bad)
    text = tmp_path / "trips.txt"
    text.write_text("anything")
    with pytest.raises(ImportFileError, match=r"\.csv or \.xlsx"):
        _import(personas.planner_almaty, text)


def test_command_and_upload_page(tmp_path: Path, client) -> None:
    personas = make_personas()
    out, err = StringIO(), StringIO()
    path = write_csv(tmp_path / "trips.csv", rows(2))
    call_command(
        "import_trips", str(path), "--as", "planner_almaty", "--no-progress", stdout=out, stderr=err
    )
    assert "2 trips submitted for approval" in out.getvalue()
    assert "ignored" in err.getvalue()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_trips", str(path), "--as", "planner_almaty", "--no-progress", stderr=err
        )
    client.force_login(personas.planner_almaty)
    upload = write_csv(tmp_path / "more.csv", [{**r, "organiser_ref": ""} for r in rows(1)])
    with upload.open("rb") as handle:
        response = client.post(reverse("trips:import"), {"file": handle})
    assert "1 trips submitted for approval" in response.content.decode()
    assert Trip.objects.filter(status="approved").count() == 0
    client.force_login(personas.dispatcher_astana)
    assert client.get(reverse("trips:import")).status_code == 403
