"""Compute and delete stored hotspot forecasts.

``compute_forecast`` fits a model of ``saqshy.algorithms.forecast`` on a region's incident
history: every incident recorded in the region (open and closed; merged duplicates excluded,
they are the same event) plus, where the product ships one, the region's historical event file
(``SHIPPED_HISTORY``: the real Astana road-accident cards for the demo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Region
from saqshy.algorithms.forecast.evaluate import MODEL_NAMES, fit_surface, model_named
from saqshy.algorithms.forecast.events import Events, day_date, day_number, load_events
from saqshy.algorithms.forecast.grid import DEFAULT_CELL_M, ForecastInputError
from saqshy.algorithms.forecast.slots import slot_shares
from saqshy.core import services as core_services
from saqshy.forecasts.models import HotspotCell, HotspotForecast
from saqshy.incidents.models import Incident

DEFAULT_MODEL = "prospective"
MAX_STORED_CELLS = 20_000
# Region slug → historical events shipped under DATA_DIR: (file, lat, lon, time column).
SHIPPED_HISTORY: dict[str, tuple[str, str, str, str]] = {
    "astana": ("incidents/astana_accidents.csv.gz", "lat", "lon", "at"),
}


def region_events(region: Region, *, until: dt.date, include_shipped: bool = True) -> Events:
    """The region's events up to ``until`` (local days): its real incidents (never an
    exercise's) and shipped history."""
    parts: list[Events] = []
    rows = list(
        Incident.objects.real()
        .filter(region=region, merged_at__isnull=True, reported_at__date__lte=until)
        .values_list("lat", "lon", "reported_at")
    )
    if rows:
        local = [timezone.localtime(at) for _lat, _lon, at in rows]
        parts.append(
            Events(
                lon=np.array([r[1] for r in rows], dtype=np.float64),
                lat=np.array([r[0] for r in rows], dtype=np.float64),
                day=np.array([day_number(t.date()) for t in local], dtype=np.int64),
                hour=np.array([t.hour for t in local], dtype=np.int64),
            )
        )
    shipped = SHIPPED_HISTORY.get(region.slug)
    if include_shipped and shipped:
        path = Path(settings.DATA_DIR) / shipped[0]
        if path.exists():
            events, _dropped = load_events(
                path,
                lat_col=shipped[1],
                lon_col=shipped[2],
                time_col=shipped[3],
                tz=settings.TIME_ZONE,
            )
            parts.append(events.select(events.day <= day_number(until)))
    if not parts:
        return Events(np.empty(0), np.empty(0), np.empty(0, np.int64), np.empty(0, np.int64))
    return Events(
        lon=np.concatenate([p.lon for p in parts]),
        lat=np.concatenate([p.lat for p in parts]),
        day=np.concatenate([p.day for p in parts]),
        hour=np.concatenate([p.hour for p in parts]),
    )


def compute_forecast(
    *,
    acting_user: Any,
    region: Region,
    model_name: str = DEFAULT_MODEL,
    cell_m: float = DEFAULT_CELL_M,
    trained_until: dt.date | None = None,
    include_shipped: bool = True,
) -> HotspotForecast:
    """Fit ``model_name`` on the region's history up to ``trained_until`` (default: yesterday)
    and store the surface. Bad input is a ``ValidationError`` naming the field; nothing is
    stored then."""
    core_services.require_scope(acting_user, HotspotForecast(region=region), "add")
    if model_name not in MODEL_NAMES:
        raise ValidationError(
            {"model_name": [_("Unknown model; choose one of %(names)s.") % {"names": MODEL_NAMES}]}
        )
    if not 10 <= cell_m <= 5000:
        raise ValidationError({"cell_m": [_("The cell size must be 10 to 5,000 m.")]})
    until = trained_until or timezone.localdate() - dt.timedelta(days=1)
    events = region_events(region, until=until, include_shipped=include_shipped)
    if len(events) == 0:
        raise ValidationError({"region": [_("The region has no incidents to forecast from.")]})
    try:
        history, surface = fit_surface(
            events, until=day_number(until), model=model_named(model_name), cell_m=cell_m
        )
    except ForecastInputError as error:
        raise ValidationError({"region": [str(error)]}) from error
    grid = history.grid
    total = float(surface.scores.sum())
    positive = np.flatnonzero(surface.scores > 0)
    top = positive[np.argsort(-surface.scores[positive], kind="stable")][:MAX_STORED_CELLS]
    lon, lat = grid.centres_lonlat(top)
    shares = slot_shares(history.cell, history.hour, top)
    forecast = HotspotForecast(
        region=region,
        model_name=model_name,
        cell_m=grid.cell_m,
        crs=grid.crs,
        trained_until=day_date(day_number(until)),
        events=len(history),
        params={
            **{k: (None if not np.isfinite(v) else v) for k, v in surface.params.items()},
            "grid": {"x0": grid.x0, "y0": grid.y0, "nx": grid.nx, "ny": grid.ny},
        },
    )
    with transaction.atomic():
        core_services.create(acting_user=acting_user, instance=forecast)
        HotspotCell.objects.bulk_create(
            HotspotCell(
                forecast=forecast,
                cell=int(cell),
                lat=round(float(lat[i]), 6),
                lon=round(float(lon[i]), 6),
                score=float(surface.scores[cell]) / total,
                slot_shares=[round(float(s), 4) for s in shares[i]],
            )
            for i, cell in enumerate(top)
        )
    return forecast


def delete_forecast(*, acting_user: Any, forecast: HotspotForecast) -> None:
    """Delete a forecast and its cells, audited as one deletion: the cells are the model's
    derived output, so the entry counts them instead of listing each one."""
    with transaction.atomic():
        core_services.delete(acting_user=acting_user, instance=forecast, audit_cascade=False)
