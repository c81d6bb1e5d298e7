"""Event lists written as real CSV/XLSX files, for the import tests and the benchmark."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from saqshy.gatherings.importer import COLUMNS

KINDS = ("new_year_tree", "concert", "fair", "sports", "festival")


def event_rows(venue_refs: Sequence[str], n: int, start: dt.datetime) -> list[dict[str, str]]:
    """``n`` valid rows at the given venues, one every 30 minutes from ``start``."""
    rows = []
    for i in range(n):
        begins = start + dt.timedelta(minutes=30 * i)
        children = 40 if i % 3 == 0 else 0
        rows.append(
            {
                "name": f"Event {i:04d}",
                "kind": KINDS[i % len(KINDS)],
                "venue": venue_refs[i % len(venue_refs)],
                "starts_at": begins.strftime("%Y-%m-%d %H:%M"),
                "ends_at": (begins + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
                "expected_attendance": str(200 + i),
                "children_count": str(children),
                "organiser": "Akimat",
                "organiser_ref": f"AK-2026-{i:04d}",
                "fire_standby_planned": "yes" if i % 2 else "no",
                "medical_presence_planned": "no",
            }
        )
    return rows


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path
