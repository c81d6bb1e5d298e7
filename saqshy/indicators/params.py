"""The query of the indicator pages and API: which indicators, which region, which days.

Dates are read as dd.mm.yyyy (as the screens write them) or yyyy-mm-dd (links and the API).
A bad value is a :class:`QueryError` naming the field; the pages show it, the API answers 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Region
from saqshy.core.indicators import Indicator, registry_indicators
from saqshy.indicators.queries import MAX_DAYS

FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


class QueryError(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def read_date(text: str) -> dt.date:
    for pattern in FORMATS:
        try:
            day = dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if EARLIEST <= day <= LATEST:
            return day
    raise ValueError(text)


@dataclass(frozen=True)
class Query:
    indicators: list[Indicator]
    region: Region | None
    first: dt.date
    last: dt.date


def read(
    params: Mapping[str, Any],
    *,
    default_days: int = 1,
    date_names: tuple[str, str] = ("from", "to"),
) -> Query:
    """The checked query: ``codes`` (comma-separated; default all), ``region`` (a slug),
    ``from``/``to`` (default: yesterday, or the ``default_days`` up to yesterday)."""
    errors: dict[str, str] = {}
    known = {ind.code: ind for ind in registry_indicators()}
    chosen = list(known.values())
    codes = [code.strip() for code in str(params.get("codes") or "").split(",") if code.strip()]
    if codes:
        unknown = [code for code in codes if code not in known]
        if unknown:
            errors["codes"] = _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)}
        chosen = [known[code] for code in codes if code in known]
    region = None
    if slug := params.get("region"):
        region = Region.objects.filter(slug=str(slug)).first()
        if region is None:
            errors["region"] = _("No such region.")
    dates: dict[str, dt.date] = {}
    for name in date_names:
        if text := params.get(name):
            try:
                dates[name] = read_date(str(text))
            except ValueError:
                errors[name] = _("Give a date as dd.mm.yyyy.")
    if errors:
        raise QueryError(errors)
    start_name, end_name = date_names
    last = dates.get(end_name) or yesterday()
    first = dates.get(start_name) or last - dt.timedelta(days=default_days - 1)
    if last < first:
        raise QueryError({end_name: _("The end is before the start.")})
    if (last - first).days + 1 > MAX_DAYS:
        raise QueryError({end_name: _("Choose at most %(days)s days.") % {"days": MAX_DAYS}})
    return Query(chosen, region, first, last)
