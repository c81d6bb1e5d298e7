"""Exports of what a user sees: cells a spreadsheet will not run as formulas.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: an event named ``=cmd|' /C calc'!A0`` would
run on the reader's machine. :func:`neutralise` puts an apostrophe in front of such text, the
convention spreadsheet programs show as plain text; numbers, dates and empty cells pass as they
are, so a negative number stays a number.

:func:`export` is the one way a list page answers ``?format=csv|xlsx``: the page's own rows,
described by :class:`Column` s, every text cell neutralised, the export audited.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

import xlsxwriter
from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.core import audit
from saqshy.core.scoping import user_scope

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a CSV or XLSX cell (text only; other types unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- Lists as CSV or XLSX -----------------------------------------------------------------------

# The most rows one export carries; a longer list says so in its last row (and a header).
MAX_ROWS = 100_000
FORMATS = ("csv", "xlsx")
# Query parameters that shape the page, not the rows: left out of the audited filter.
NOT_FILTERS = ("format", "page")


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading (a lazy translatable string) and how a row gives
    its cell (text, number, date, datetime, bool or None; choices as their labels)."""

    header: Any
    value: Callable[[Any], Any]


def requested(params: QueryDict) -> bool:
    """Whether the list was asked for as a file (``?format=csv|xlsx``)."""
    return "format" in params


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: local naive datetimes, numbers, and neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | int | float | Decimal):
        return value
    return neutralise(str(value))


def _text(value: Any) -> Any:
    """A cell as CSV text: dates the way the pages show them, numbers as they are."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return value


def _filters(params: QueryDict) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in params:
        if key in NOT_FILTERS:
            continue
        values = params.getlist(key)
        found[key] = values[0] if len(values) == 1 else values
    return found


def _region_id(user: Any, model: type[models.Model], params: QueryDict) -> int | None:
    """The one region the export was limited to (by the filter, or by the user's scope)."""
    slugs = {slug for slug in params.getlist("region") if slug}
    if len(slugs) == 1:
        region_model = apps.get_model("accounts", "Region")
        found: int | None = (
            region_model.objects.filter(slug=slugs.pop()).values_list("pk", flat=True).first()
        )
        return found
    scope = user_scope(user, model, "view")
    if not scope.national and len(scope.region_ids) == 1:
        return next(iter(scope.region_ids))
    return None


def _csv(headers: list[str], rows: list[list[Any]], note: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    if note:
        writer.writerow([note])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _xlsx(headers: list[str], rows: list[list[Any]], note: str) -> bytes:
    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "nan_inf_to_errors": True}
    book = xlsxwriter.Workbook(out, options)
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    moment = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, moment)
                widths[c] = max(widths[c], 16)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, day)
                widths[c] = max(widths[c], 10)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
                widths[c] = max(widths[c], min(len(value), 60))
    if note:
        sheet.write_string(len(rows) + 1, 0, note, bold)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width + 2)
    book.close()
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    model: type[models.Model],
    stem: str,
    params: QueryDict | None = None,
    read_via: str = "",
) -> HttpResponse:
    """The list ``rows`` (the page's own filtered, scoped and ordered queryset, unpaginated) as
    a CSV or XLSX file named ``<stem>-dd.mm.yyyy.<format>``, audited as an export of ``model``
    with the filter ``params`` (the page's query; ``request.GET`` by default).

    An unknown ``format`` is a 400 naming the field. At most ``MAX_ROWS`` rows are written; a
    longer list ends in a row saying so (and the ``X-Export-Truncated`` header). Records that
    hold personal data name ``read_via``: the rows written are then audited as read too."""
    params = request.GET if params is None else params
    fmt = params.get("format", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("The field “format” must be one of: %(formats)s.") % {"formats": ", ".join(FORMATS)},
            content_type="text/plain; charset=utf-8",
        )
    if isinstance(rows, models.QuerySet):
        fetched = list(rows[: MAX_ROWS + 1])
    else:
        fetched = list(islice(rows, MAX_ROWS + 1))
    cut = len(fetched) > MAX_ROWS
    fetched = fetched[:MAX_ROWS]
    headers = [str(column.header) for column in columns]
    cells = [[_cell(column.value(row)) for column in columns] for row in fetched]
    note = (
        str(_("Only the first %(count)s rows are exported; narrow the filter to get the rest."))
        % {"count": MAX_ROWS}
        if cut
        else ""
    )
    body = _csv(headers, cells, note) if fmt == "csv" else _xlsx(headers, cells, note)
    if read_via:
        audit.record_read(acting_user=request.user, instances=fetched, via=read_via)
    audit.record_export(
        acting_user=request.user,
        model=model,
        filters=_filters(params),
        rows=len(cells),
        fmt=fmt,
        region_id=_region_id(request.user, model, params),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{stem}-{timezone.localdate():%d.%m.%Y}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    if cut:
        response["X-Export-Truncated"] = str(MAX_ROWS)
    return response
