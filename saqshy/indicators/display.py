"""How a figure reads on screen and in the charts' data (no codes, dd.mm.yyyy dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from saqshy.core.indicators import Figure, Indicator


def number(value: float) -> str:
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 1), 1)


def text(figure: Figure | None, ind: Indicator) -> str:
    """``87.5 % (7 of 8)`` for a share, ``12`` for a count, an em dash for nothing."""
    if figure is None:
        return "—"
    if ind.unit == "count":
        return number(figure.value)
    if figure.percent is None:
        return "—"
    return _("%(percent)s %% (%(value)s of %(base)s)") % {
        "percent": number(round(figure.percent, 1)),
        "value": number(figure.value),
        "base": number(figure.base or 0),
    }


def shown(figure: Figure | None) -> float | None:
    if figure is None or figure.shown is None:
        return None
    return round(figure.shown, 2)


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def unit_label(ind: Indicator) -> str:
    return _("percent") if ind.unit == "share" else _("number")


def as_json(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {"value": figure.value, "base": figure.base, "shown": shown(figure)}
