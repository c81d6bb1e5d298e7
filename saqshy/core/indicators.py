"""Indicators for the commission: figures per region over a window, computed from the records.

Each domain app declares its indicators in its ``AppDeclaration`` (``indicators=``); the
national view, the indicator charts, the action plan's progress and the daily situation report
all read them through :func:`registry_indicators`, so a new app's figures reach every one of
them without a shared file changing.

An indicator's ``compute`` is the dotted path of a function
``(region_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, Figure]`` that counts
the records of the given regions in the window ``[start, end)`` (aware datetimes). Regions with
nothing to count may be left out (they read as zero). Records that carry only a date (an
inspection's day) count in the window that holds noon of that day (:func:`dates_in`), so a
08:00→08:00 reporting window takes the previous day's inspections.

Evaluated day by day (the API's figures per region and day, a chart's series), an indicator
costs one evaluation per day unless its compute function also knows how to count every day at
once: ``@by_day(function)`` attaches ``(region_ids, days) -> {day: {region_id: Figure}}``, which
must give each day what the window of that local day gives. Each helper here does both for
one kind of figure: ``counted_in``/``counted_by_day`` (records dated by a timestamp),
``dated_in``/``dated_by_day`` (date-only records), ``standing_in``/``standing_by_day`` (states
at the window's end), ``in_windows_by_day`` (figures computed in Python from the records).

A figure is either a count (``value``) or a share (``value`` of ``base``, shown as a percent);
the national roll-up adds values and bases, so a share rolls up as the share of the sums, never
as an average of percents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.apps import apps
from django.db.models import Aggregate, Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from saqshy.core.scoping import user_scope

Unit = Literal["count", "share"]
Compute = Callable[[Sequence[int], dt.datetime, dt.datetime], dict[int, "Figure"]]
# Each day's figure of each region (what ``by_day`` functions answer).
Days = dict[dt.date, dict[int, "Figure"]]
ComputeDays = Callable[[Sequence[int], Sequence[dt.date]], Days]


@dataclass(frozen=True)
class Figure:
    """A count (``value``), or a share: ``value`` of ``base``."""

    value: float = 0
    base: float | None = None

    @property
    def percent(self) -> float | None:
        """The share in percent (None for a count, or a share of nothing)."""
        if self.base is None or self.base == 0:
            return None
        return 100.0 * self.value / self.base

    @property
    def shown(self) -> float | None:
        """What a chart or a map shows: the count, or the percent of a share."""
        return self.value if self.base is None else self.percent


def add(figures: Iterable[Figure], unit: Unit) -> Figure:
    """The roll-up of several regions' figures: counts add, shares add their parts."""
    value = 0.0
    base = 0.0
    for figure in figures:
        value += figure.value
        base += figure.base or 0
    return Figure(value, base if unit == "share" else None)


@dataclass(frozen=True)
class Indicator:
    """One figure the commission follows (``docs/indicators.md`` documents each)."""

    code: str
    label: str | Promise
    # The line of the government brief this figure proves, in the brief's words.
    brief_line: str | Promise
    # How it is counted, for a reader (the query itself is the compute function).
    definition: str | Promise
    # ``app.model`` whose view scope decides in which regions a user sees this figure.
    model: str
    compute: str
    unit: Unit = "count"
    higher_is_better: bool = True
    order: int = 100

    def evaluate(
        self, region_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> dict[int, Figure]:
        """Every given region's figure (zero where the compute found nothing)."""
        function: Compute = import_string(self.compute)
        found = function(list(region_ids), start, end)
        return self._every_region(found, region_ids)

    @property
    def counts_by_day(self) -> bool:
        """Whether its compute function counts every day at once (``by_day``)."""
        return getattr(import_string(self.compute), "per_day", None) is not None

    def evaluate_days(self, region_ids: Sequence[int], days: Sequence[dt.date]) -> Days:
        """Each local day's figure of every given region: what ``evaluate`` gives for the
        window of that day, in one evaluation where the compute function counts by day
        (``by_day``), else one per day."""
        function: Compute = import_string(self.compute)
        per_day: ComputeDays | None = getattr(function, "per_day", None)
        if per_day is None or not days:
            return {day: self.evaluate(region_ids, *local_day(day)) for day in days}
        found = per_day(list(region_ids), sorted(set(days)))
        return {day: self._every_region(found.get(day, {}), region_ids) for day in days}

    def _every_region(
        self, found: dict[int, Figure], region_ids: Sequence[int]
    ) -> dict[int, Figure]:
        """``found``, with a zero for each region it leaves out."""
        empty = Figure(0, 0 if self.unit == "share" else None)
        return {region_id: found.get(region_id, empty) for region_id in region_ids}


def by_day(per_day: ComputeDays) -> Callable[[Compute], Compute]:
    """Mark a compute function as also counting every day at once with ``per_day``."""

    def mark(function: Compute) -> Compute:
        function.per_day = per_day  # type: ignore[attr-defined]
        return function

    return mark


def counted_in(
    rows: QuerySet[Any],
    field: str,
    start: dt.datetime,
    end: dt.datetime,
    value: Aggregate,
    base: Aggregate | None = None,
    region: str = "region_id",
) -> dict[int, Figure]:
    """Per region (``region``: a lookup to its id), ``value`` (and ``base`` for a share) of
    ``rows`` whose ``field`` lies in ``[start, end)``."""
    found = rows.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    return per_region(found, value, base, region)


def counted_by_day(
    rows: QuerySet[Any],
    field: str,
    days: Sequence[dt.date],
    value: Aggregate,
    base: Aggregate | None = None,
    region: str = "region_id",
) -> Days:
    """``counted_in`` for each local day of ``days``, in one query grouped by the local date
    of ``field``."""
    start, end = local_day(min(days))[0], local_day(max(days))[1]
    found = rows.filter(**{f"{field}__gte": start, f"{field}__lt": end}).annotate(
        local_date=TruncDate(field, tzinfo=timezone.get_current_timezone())
    )
    return _per_day(found, "local_date", region, days, value, base)


def dated_in(
    rows: QuerySet[Any],
    field: str,
    start: dt.datetime,
    end: dt.datetime,
    value: Aggregate,
    base: Aggregate | None = None,
    region: str = "region_id",
) -> dict[int, Figure]:
    """``counted_in`` for records that carry a date only (``field``): those of the days
    whose noon lies in the window (``dates_in``)."""
    first, last = dates_in(start, end)
    found = rows.filter(**{f"{field}__gte": first, f"{field}__lte": last})
    return per_region(found, value, base, region)


def dated_by_day(
    rows: QuerySet[Any],
    field: str,
    days: Sequence[dt.date],
    value: Aggregate,
    base: Aggregate | None = None,
    region: str = "region_id",
) -> Days:
    """``dated_in`` for each local day of ``days`` (a day's window holds that date's noon),
    in one query grouped by the date."""
    found = rows.filter(**{f"{field}__gte": min(days), f"{field}__lte": max(days)})
    return _per_day(found, field, region, days, value, base)


Loaded = TypeVar("Loaded")
Moment = tuple[dt.date, dt.datetime]
Standing = Callable[[dt.date, dt.datetime], Q]


def rows_counted(selected: Q) -> Count:
    """The number of rows ``selected``: ``standing_at``'s usual value."""
    return Count("id", filter=selected)


def standing_at(
    rows: QuerySet[Any],
    moments: Sequence[Moment],
    standing: Standing,
    value: Callable[[Q], Aggregate],
    base: Callable[[Q], Aggregate] | None = None,
    region: str = "region_id",
) -> list[dict[int, Figure]]:
    """For figures taken at a window's end: per region, ``value`` (and ``base``) of the
    ``rows`` that ``standing(last day, end)`` selects, for each (last day, end) of
    ``moments``, in one query of one filtered aggregate per moment (``value(q)`` must filter
    its aggregate by ``q``)."""
    aggregates: dict[str, Aggregate] = {}
    for n, (last, end) in enumerate(moments):
        selected = standing(last, end)
        aggregates[f"value_{n}"] = value(selected)
        if base is not None:
            aggregates[f"base_{n}"] = base(selected)
    answer: list[dict[int, Figure]] = [{} for _moment in moments]
    for row in rows.order_by().values(region).annotate(**aggregates):
        for n, found in enumerate(answer):
            found[row[region]] = Figure(
                row[f"value_{n}"] or 0, (row[f"base_{n}"] or 0) if base is not None else None
            )
    return answer


def standing_in(
    rows: QuerySet[Any],
    start: dt.datetime,
    end: dt.datetime,
    standing: Standing,
    value: Callable[[Q], Aggregate],
    base: Callable[[Q], Aggregate] | None = None,
    region: str = "region_id",
) -> dict[int, Figure]:
    """``standing_at`` the end of one window: its last day is the last whose noon it holds
    (``dates_in``)."""
    return standing_at(rows, [(dates_in(start, end)[1], end)], standing, value, base, region)[0]


def standing_by_day(
    rows: QuerySet[Any],
    days: Sequence[dt.date],
    standing: Standing,
    value: Callable[[Q], Aggregate],
    base: Callable[[Q], Aggregate] | None = None,
    region: str = "region_id",
) -> Days:
    """``standing_in`` for each local day of ``days``, in one query."""
    moments = [(day, local_day(day)[1]) for day in days]
    return dict(zip(days, standing_at(rows, moments, standing, value, base, region), strict=True))


def in_windows_by_day(
    days: Sequence[dt.date],
    load: Callable[[dt.datetime, dt.datetime], Loaded],
    compute: Callable[[Loaded, dt.datetime, dt.datetime], dict[int, Figure]],
) -> Days:
    """For figures computed in Python from records: ``load`` the records of every day's
    window at once (the window from the first day's start to the last day's end), then
    ``compute`` each day's figures from them as its own window would."""
    windows = {day: local_day(day) for day in days}
    loaded = load(windows[min(days)][0], windows[max(days)][1])
    return {day: compute(loaded, *windows[day]) for day in days}


def _aggregates(value: Aggregate, base: Aggregate | None) -> dict[str, Aggregate]:
    return {"value": value} if base is None else {"value": value, "base": base}


def _figure(row: dict[str, Any], base: Aggregate | None) -> Figure:
    # A sum over no values is None: nothing counted.
    return Figure(row["value"] or 0, (row["base"] or 0) if base is not None else None)


def _grouped(
    rows: QuerySet[Any], keys: Sequence[str], value: Aggregate, base: Aggregate | None
) -> QuerySet[Any]:
    """``value`` (and ``base``) of ``rows`` per distinct ``keys``, in one grouped query."""
    return rows.order_by().values(*keys).annotate(**_aggregates(value, base))


def per_region(
    rows: QuerySet[Any], value: Aggregate, base: Aggregate | None = None, region: str = "region_id"
) -> dict[int, Figure]:
    """``value`` (and ``base``) of ``rows`` per region (``region``: a lookup to its id), in
    one grouped query."""
    return {row[region]: _figure(row, base) for row in _grouped(rows, [region], value, base)}


def _per_day(
    rows: QuerySet[Any],
    day: str,
    region: str,
    days: Sequence[dt.date],
    value: Aggregate,
    base: Aggregate | None,
) -> Days:
    """``per_region`` for each of ``days``, the rows grouped by ``day`` too."""
    answer: Days = {each: {} for each in days}
    for row in _grouped(rows, [day, region], value, base):
        if row[day] in answer:
            answer[row[day]][row[region]] = _figure(row, base)
    return answer


def registry_indicators() -> list[Indicator]:
    """Every installed app's indicators, in display order."""
    from saqshy.core.registry import saqshy_apps

    found = [ind for app in saqshy_apps() for ind in app.declaration.indicators]
    return sorted(found, key=lambda ind: (ind.order, ind.code))


def indicator(code: str) -> Indicator:
    """The indicator named ``code``; ``KeyError`` if no app declares it."""
    for candidate in registry_indicators():
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def visible_region_ids(user: Any, ind: Indicator, region_ids: Iterable[int]) -> list[int]:
    """Those of ``region_ids`` in which ``user`` may view the records ``ind`` counts."""
    scope = user_scope(user, apps.get_model(ind.model), "view")
    return [region_id for region_id in region_ids if scope.covers(region_id)]


def dates_in(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last local date whose noon lies in ``[start, end)`` (first > last when
    none does): the days whose date-only records count in this window."""
    local_start = timezone.localtime(start)
    local_end = timezone.localtime(end)
    noon = dt.time(12)
    first = local_start.date()
    if local_start.time() > noon:
        first += dt.timedelta(days=1)
    last = local_end.date()
    if local_end.time() <= noon:
        last -= dt.timedelta(days=1)
    return first, last


def local_day(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The window of one local calendar day, midnight to midnight."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
