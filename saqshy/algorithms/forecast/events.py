"""Point events (place and time) read from a CSV or Parquet file, and binned on a grid.

Times become *local calendar days* (days since 1970-01-01) and hours. A column may hold ISO 8601
text (``2025-07-01``, ``2025-07-01T13:16``, with or without an offset such as ``+06:00``,
``+0600`` or ``+00``, also with slashes: ``2014/03/02 05:00:00+00``), ``dd.mm.yyyy[ HH:MM]``
text, Arrow dates or timestamps, or epoch numbers, as numbers or as text in a CSV (seconds, or
milliseconds when larger than 10¹¹). Instants that carry a zone (offsets, epoch numbers, zoned
timestamps) are converted to ``tz``; naive ones are taken as already local.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from saqshy.algorithms.forecast.grid import (
    FloatArray,
    ForecastInputError,
    Grid,
    IntArray,
    to_lonlat,
)

EPOCH = dt.date(1970, 1, 1)
_TEXT_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def day_date(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


def parse_tz(text: str) -> dt.tzinfo:
    """An IANA zone name (``Asia/Almaty``) or a fixed offset (``+06:00``, ``UTC``)."""
    if text.upper() in {"UTC", "Z"}:
        return dt.UTC
    match = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", text)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        offset = dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        return dt.timezone(sign * offset)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ForecastInputError(f"Unknown time zone {text!r}.") from error


@dataclass(frozen=True)
class Events:
    """Events in degrees with their local day and hour (-1 when the time of day is unknown)."""

    lon: FloatArray
    lat: FloatArray
    day: IntArray
    hour: IntArray

    def __len__(self) -> int:
        return len(self.day)

    def select(self, mask: npt.NDArray[np.bool_]) -> Events:
        return Events(self.lon[mask], self.lat[mask], self.day[mask], self.hour[mask])


@dataclass(frozen=True)
class GriddedEvents:
    """Events that fall on ``grid``: their cell, day and hour."""

    grid: Grid
    x: FloatArray
    y: FloatArray
    cell: IntArray
    day: IntArray
    hour: IntArray

    def __len__(self) -> int:
        return len(self.day)

    def between(self, first_day: int | None, last_day: int | None) -> GriddedEvents:
        """The events from ``first_day`` to ``last_day`` inclusive (None = unbounded)."""
        mask = np.ones(len(self.day), dtype=bool)
        if first_day is not None:
            mask &= self.day >= first_day
        if last_day is not None:
            mask &= self.day <= last_day
        return GriddedEvents(
            self.grid, self.x[mask], self.y[mask], self.cell[mask], self.day[mask], self.hour[mask]
        )

    def counts(self) -> FloatArray:
        """Events per cell (length ``grid.n_cells``)."""
        return np.bincount(self.cell, minlength=self.grid.n_cells).astype(np.float64)


def grid_events(events: Events, grid: Grid) -> GriddedEvents:
    """Bin ``events`` on ``grid``; events outside it are dropped."""
    x, y = grid.project(events.lon, events.lat)
    cell = grid.cell_of(x, y)
    keep = cell >= 0
    return GriddedEvents(grid, x[keep], y[keep], cell[keep], events.day[keep], events.hour[keep])


def read_table(path: Path, columns: list[str]) -> pa.Table:
    """Read ``columns`` of a CSV (optionally gzip-compressed) or Parquet file."""
    if not path.exists():
        raise ForecastInputError(f"No such file: {path}.")
    suffixes = [s.lower() for s in path.suffixes]
    try:
        if ".parquet" in suffixes or ".pq" in suffixes:
            names = pq.read_schema(path).names
            _require(columns, names, path)
            return pq.read_table(path, columns=list(dict.fromkeys(columns)))
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in columns},
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise ForecastInputError(f"Cannot read {path}: {error}") from error
    _require(columns, table.column_names, path)
    return table.select(list(dict.fromkeys(columns)))


def _require(columns: list[str], names: list[str], path: Path) -> None:
    missing = [c for c in columns if c not in names]
    if missing:
        raise ForecastInputError(
            f"{path.name} has no column {', '.join(map(repr, missing))}; "
            f"its columns are: {', '.join(names)}."
        )


MISSING_COORDINATE = "missing or non-numeric coordinate"
MISSING_TIME = "missing time"
UNREADABLE_TIME = "unreadable time"
_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?")


def load_events(
    path: Path,
    *,
    lat_col: str,
    lon_col: str,
    time_col: str,
    crs: str = "EPSG:4326",
    tz: str = "UTC",
) -> tuple[Events, dict[str, int]]:
    """Read point events from ``path``; returns them and how many rows were dropped, by reason
    (a missing or non-numeric coordinate, a missing time, a time that cannot be read).

    A time column in which no value can be read is an error naming its first row (it is the
    wrong column, not a few bad rows); so are coordinates outside the valid range of ``crs``,
    which is what swapped latitude and longitude columns look like."""
    table = read_table(path, [lat_col, lon_col, time_col])
    if table.num_rows == 0:
        raise ForecastInputError(f"{path.name} has no rows.")
    b = _numbers(table.column(lat_col), lat_col)
    a = _numbers(table.column(lon_col), lon_col)
    day, hour, timed, reasons = parse_times(table.column(time_col), time_col, parse_tz(tz))
    finite = np.isfinite(a) & np.isfinite(b)
    dropped = {MISSING_COORDINATE: int((~finite).sum())}
    dropped[MISSING_TIME] = int((finite & (reasons == 1)).sum())
    dropped[UNREADABLE_TIME] = int((finite & (reasons == 2)).sum())
    keep = finite & timed
    lon, lat = to_lonlat(a[keep], b[keep], crs)
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not valid.all():
        raise ForecastInputError(
            f"Coordinates outside the valid range for {crs} (e.g. latitude {lat[~valid][0]!r} "
            f"in column {lat_col!r}): check --crs and whether {lat_col!r} and {lon_col!r} "
            "are swapped."
        )
    if not keep.any():
        raise ForecastInputError(f"{path.name} has no row with coordinates and a time.")
    events = Events(lon, lat, day[keep], hour[keep])
    return events, {reason: n for reason, n in dropped.items() if n}


def _numbers(column: pa.ChunkedArray, name: str) -> FloatArray:
    """The column as floats; empty or non-numeric cells become NaN (dropped and counted)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        text = pc.utf8_trim_whitespace(column)
        numeric = pc.match_substring_regex(text, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
        if not pc.any(numeric).as_py():
            raise ForecastInputError(f"Column {name!r} is not numeric: it holds no number.")
        column = pc.if_else(numeric, text, pa.scalar(None, pa.string()))
    try:
        values = pc.cast(column, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise ForecastInputError(f"Column {name!r} is not numeric: {error}") from error
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)


def parse_times(
    column: pa.ChunkedArray, name: str, tz: dt.tzinfo
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_], IntArray]:
    """Local days and hours of a time column (see the module docstring for what it accepts),
    whether each row has a time, and why not (0 read, 1 missing, 2 unreadable)."""
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _from_epoch(column, name, tz)
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        values = column.to_pylist()
    else:
        values = pc.cast(column, pa.string()).to_pylist()
        present = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if present and all(_NUMBER.fullmatch(v) for v in present):
            numbers = [float(v) if v is not None and str(v).strip() else None for v in values]
            return _from_epoch(pa.chunked_array([pa.array(numbers, pa.float64())]), name, tz)
    days = np.zeros(len(values), dtype=np.int64)
    hours = np.zeros(len(values), dtype=np.int64)
    reasons = np.zeros(len(values), dtype=np.int64)
    cache: dict[object, tuple[int, int] | None] = {}
    first_bad: tuple[int, object] | None = None
    for i, value in enumerate(values):
        if value is None or (isinstance(value, str) and not value.strip()):
            reasons[i] = 1
            continue
        if value in cache:
            found = cache[value]
        else:
            found = cache[value] = _one_time(value, tz)
        if found is None:
            reasons[i] = 2
            first_bad = first_bad or (i, value)
            continue
        days[i], hours[i] = found
    if first_bad is not None and not (reasons == 0).any():
        row, value = first_bad
        raise ForecastInputError(
            f"Row {row + 1}: cannot read {value!r} in column {name!r} as a date or time."
        )
    return days, hours, reasons == 0, reasons


def _one_time(value: object, tz: dt.tzinfo) -> tuple[int, int] | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return day_number(value), -1
    else:
        parsed = _parse_text(str(value).strip())
        if parsed is None:
            return None
        moment, has_time = parsed
        if not has_time:
            return day_number(moment.date()), -1
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return day_number(moment.date()), moment.hour


def _parse_text(text: str) -> tuple[dt.datetime, bool] | None:
    has_time = bool(re.search(r"\d[T ]\d{1,2}:\d{2}", text))
    # 2014/03/02 05:00:00+00 (as PostgreSQL and many exports write it) is ISO 8601 with slashes.
    iso = re.sub(r"^(\d{4})/(\d{1,2})/(\d{1,2})", r"\1-\2-\3", text).replace("Z", "+00:00")
    iso = re.sub(r"^(\d{4})-(\d)(?=-)", r"\1-0\2", iso)
    iso = re.sub(r"^(\d{4}-\d{2})-(\d)(?!\d)", r"\1-0\2", iso)
    try:
        return dt.datetime.fromisoformat(iso), has_time
    except ValueError:
        pass
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt), "%H" in fmt
        except ValueError:
            continue
    return None


def _from_epoch(
    column: pa.ChunkedArray, name: str, tz: dt.tzinfo
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_], IntArray]:
    """Epoch seconds, or milliseconds when larger than 10¹¹; an empty cell has no time."""
    raw = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    timed = np.isfinite(raw)
    if not timed.any():
        raise ForecastInputError(f"Row 1: column {name!r} has no time.")
    seconds = np.where(np.abs(raw) > 1e11, raw / 1000.0, raw)
    days = np.zeros(len(seconds), dtype=np.int64)
    hours = np.zeros(len(seconds), dtype=np.int64)
    unique, inverse = np.unique(seconds[timed], return_inverse=True)
    local_days = np.empty(len(unique), dtype=np.int64)
    local_hours = np.empty(len(unique), dtype=np.int64)
    for i, value in enumerate(unique):
        moment = dt.datetime.fromtimestamp(float(value), tz=dt.UTC).astimezone(tz)
        local_days[i], local_hours[i] = day_number(moment.date()), moment.hour
    days[timed] = local_days[inverse]
    hours[timed] = local_hours[inverse]
    return days, hours, timed, np.where(timed, 0, 1)
