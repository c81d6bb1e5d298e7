"""Exports of what a user sees: cells a spreadsheet will not run as formulas.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: an event named ``=cmd|' /C calc'!A0`` would
run on the reader's machine. :func:`neutralise` puts an apostrophe in front of such text, the
convention spreadsheet programs show as plain text; numbers, dates and empty cells pass as they
are, so a negative number stays a number.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a CSV or XLSX cell (text only; other types unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
