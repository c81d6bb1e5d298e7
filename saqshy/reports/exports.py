"""The report's PDF (WeasyPrint, with the chart and the region's map) and XLSX (XlsxWriter),
in the reader's language: both built from ``queries.report_content`` / the same figure rows
as the page, so the three cannot differ. Every text cell of the XLSX goes through
``core.exports.neutralise``."""

from __future__ import annotations

import base64
import io
from typing import Any

import xlsxwriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.core.exports import neutralise
from saqshy.reports import rows


def svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a print template to PDF."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_to_string(template, {**context, "printed": rows.when(timezone.now())})
    data: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return data


def _sheet(book: Any, name: str, header: list[str], lines: list[list[Any]]) -> None:
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(name[:31])
    for col, title in enumerate(header):
        sheet.write_string(0, col, str(neutralise(title)), bold)
        sheet.set_column(col, col, 28 if col == 0 else 16)
    for row_index, line in enumerate(lines, start=1):
        for col, value in enumerate(line):
            if value is None:
                sheet.write_blank(row_index, col, None)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, str(neutralise(str(value))))


def _figure_lines(figures: list[rows.FigureRow]) -> list[list[Any]]:
    return [[row.label, row.value, row.base, row.text] for row in figures]


def report_xlsx(title: str, content: dict[str, Any]) -> bytes:
    """Sheets: figures, incidents by type, notable incidents, narratives."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": title})
    _sheet(
        book,
        _("Figures"),
        [_("Figure"), _("Value"), _("Of"), _("As shown")],
        _figure_lines(content["figures"]),
    )
    _sheet(
        book,
        _("Incidents by type"),
        [_("Type"), _("Incidents")],
        [[label, count] for label, count in content["types"]],
    )
    _sheet(
        book,
        _("Notable incidents"),
        [_("Reported"), _("Type"), _("Priority"), _("Address"), _("Status")],
        [
            [r["when"], r["type"], r["priority"], r["address"], r["status"]]
            for r in content["notable"]
        ],
    )
    _sheet(
        book,
        _("Narratives"),
        [_("Agency"), _("Text")],
        [[n["agency"], n["text"]] for n in content["narratives"]],
    )
    book.close()
    return buffer.getvalue()


def national_xlsx(title: str, figures: list[rows.FigureRow], regions: list[list[Any]]) -> bytes:
    """Sheets: the summed figures, and which regions are included or missing."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": title})
    _sheet(
        book,
        _("Figures"),
        [_("Figure"), _("Value"), _("Of"), _("As shown")],
        _figure_lines(figures),
    )
    _sheet(book, _("Regions"), [_("Region"), _("Status"), _("Included")], regions)
    book.close()
    return buffer.getvalue()
