"""Point events (place and time) read from a CSV or Parquet file, and binned on a grid.

Times become *local calendar days* (days since 1970-01-01) and hours. A column may hold ISO 8601
text (``2025-07-01``, ``2025-07-01T13:16``, with or without an offset), ``dd.mm.yyyy[ HH:MM]``
text, Arrow dates or timestamps, or epoch numbers (seconds, or milliseconds when larger than
10¹¹). Instants that carry a zone (offsets, epoch numbers, zoned timestamps) are converted to
``tz``; naive ones are taken as already local.
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


def load_events(
    path: Path,
    *,
    lat_col: str,
    lon_col: str,
    time_col: str,
    crs: str = "EPSG:4326",
    tz: str = "UTC",
) -> tuple[Events, int]:
    """Read point events from ``path``; returns them and how many rows were dropped for a
    missing or non-finite coordinate. A time that cannot be parsed is an error naming the row."""
    table = read_table(path, [lat_col, lon_col, time_col])
    if table.num_rows == 0:
        raise ForecastInputError(f"{path.name} has no rows.")
    b = _numbers(table.column(lat_col), lat_col)
    a = _numbers(table.column(lon_col), lon_col)
    day, hour = parse_times(table.column(time_col), time_col, parse_tz(tz))
    finite = np.isfinite(a) & np.isfinite(b)
    lon, lat = to_lonlat(a[finite], b[finite], crs)
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not valid.all():
        raise ForecastInputError(
            f"Coordinates outside the valid range for {crs} (e.g. latitude {lat[~valid][0]!r}): "
            "check --crs and the column order."
        )
    events = Events(lon, lat, day[finite], hour[finite])
    return events, int((~finite).sum())


def _numbers(column: pa.ChunkedArray, name: str) -> FloatArray:
    try:
        values = pc.cast(column, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise ForecastInputError(f"Column {name!r} is not numeric: {error}") from error
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)


def parse_times(column: pa.ChunkedArray, name: str, tz: dt.tzinfo) -> tuple[IntArray, IntArray]:
    """Local days and hours of a time column (see the module docstring for what it accepts)."""
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _from_epoch(column, name, tz)
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        values = column.to_pylist()
    else:
        values = pc.cast(column, pa.string()).to_pylist()
    days = np.empty(len(values), dtype=np.int64)
    hours = np.empty(len(values), dtype=np.int64)
    cache: dict[object, tuple[int, int]] = {}
    for i, value in enumerate(values):
        found = cache.get(value)
        if found is None:
            found = _one_time(value, tz)
            if found is None:
                raise ForecastInputError(
                    f"Row {i + 1}: cannot read {value!r} in column {name!r} as a date or time."
                )
            cache[value] = found
        days[i], hours[i] = found
    return days, hours


def _one_time(value: object, tz: dt.tzinfo) -> tuple[int, int] | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return day_number(value), -1
    else:
        text = str(value).strip()
        if not text:
            return None
        parsed = _parse_text(text)
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
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")), has_time
    except ValueError:
        pass
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt), "%H" in fmt
        except ValueError:
            continue
    return None


def _from_epoch(column: pa.ChunkedArray, name: str, tz: dt.tzinfo) -> tuple[IntArray, IntArray]:
    raw = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    if not np.isfinite(raw).all():
        row = int(np.argmin(np.isfinite(raw))) + 1
        raise ForecastInputError(f"Row {row}: column {name!r} has no time.")
    seconds = np.where(np.abs(raw) > 1e11, raw / 1000.0, raw)
    days = np.empty(len(seconds), dtype=np.int64)
    hours = np.empty(len(seconds), dtype=np.int64)
    unique, inverse = np.unique(seconds, return_inverse=True)
    local_days = np.empty(len(unique), dtype=np.int64)
    local_hours = np.empty(len(unique), dtype=np.int64)
    for i, value in enumerate(unique):
        moment = dt.datetime.fromtimestamp(float(value), tz=dt.UTC).astimezone(tz)
        local_days[i], local_hours[i] = day_number(moment.date()), moment.hour
    days[:] = local_days[inverse]
    hours[:] = local_hours[inverse]
    return days, hours
