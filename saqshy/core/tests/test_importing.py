"""The shared table reader: CSV and XLSX give the same rows, line numbers and header errors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from saqshy.core.importing import ImportFileError, read_rows

ROWS = [["Name", " Kind ", "when"], ["a ", "b", ""], ["", "", ""], ["c", "", "2026-01-02 03:04"]]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode("utf-8-sig")


def test_csv_and_xlsx_read_alike() -> None:
    expected = [
        (2, {"name": "a", "kind": "b", "when": ""}),
        (4, {"name": "c", "kind": "", "when": "2026-01-02 03:04"}),
    ]
    assert list(read_rows("t.csv", io.BytesIO(_csv(ROWS)), required=["name"])) == expected
    cells: list[list[object]] = [list(row) for row in ROWS]
    cells[3][2] = dt.datetime(2026, 1, 2, 3, 4)
    assert list(read_rows("T.XLSX", io.BytesIO(_xlsx(cells)), required=["name"])) == expected


def test_xlsx_numbers_read_as_written() -> None:
    data = _xlsx([["n", "x"], [3.0, 2.5]])
    assert list(read_rows("t.xlsx", io.BytesIO(data), required=[])) == [(2, {"n": "3", "x": "2.5"})]


def test_missing_columns_named_with_groups_first() -> None:
    required, groups = ["name", "kind", "when"], [("owner", "owner_id")]
    data = _csv([["kind"], ["x"]])
    with pytest.raises(ImportFileError, match=r"column\(s\): owner, name, when\.$"):
        list(read_rows("t.csv", io.BytesIO(data), required=required, one_of=groups))
    data = _csv([["owner_id", "name", "kind", "when"], ["7", "a", "b", "c"]])
    rows = list(read_rows("t.csv", io.BytesIO(data), required=required, one_of=groups))
    assert rows == [(2, {"owner_id": "7", "name": "a", "kind": "b", "when": "c"})]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("t.txt", b"a,b", "Upload a .csv or .xlsx file"),
        ("t.csv", b"\xff\xfe\x00", "The CSV file cannot be read"),
        ("t.xlsx", b"not a workbook", "The XLSX file cannot be read"),
    ],
)
def test_unreadable_files(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        list(read_rows(name, io.BytesIO(data), required=["a"]))
