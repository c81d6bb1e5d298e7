"""Write a model's forecast surface for a file of point events to a CSV.

    manage.py forecast --csv FILE --lat-col C --lon-col C --time-col C --train-until DATE \
        --model NAME --out FILE.csv [--crs EPSG:4326] [--cell 250]

One row per cell with a positive score, highest first: ``lat, lon`` (cell centre, WGS 84),
``cell_m``, ``score`` (the cell's share of the forecast risk; all cells sum to 1). The output is
written only when the whole surface was computed.
"""

from __future__ import annotations

import csv
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saqshy.algorithms.forecast.evaluate import MODEL_NAMES, fit_surface, model_named
from saqshy.algorithms.forecast.events import day_number
from saqshy.algorithms.forecast.grid import ForecastInputError
from saqshy.forecasts.management.commands._options import add_event_options, parse_day, read_events


class Command(BaseCommand):
    help = "Fit a hotspot model on a file of events and write the forecast surface as CSV."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_event_options(parser)
        parser.add_argument("--train-until", required=True, help="last training day, YYYY-MM-DD")
        parser.add_argument("--model", default="prospective", choices=MODEL_NAMES)
        parser.add_argument("--out", required=True, type=Path, help="output CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        until = parse_day(options["train_until"], "--train-until")
        assert until is not None
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(_("No such folder: %(path)s") % {"path": out.parent})
        events = read_events(options, self.stdout)
        try:
            history, surface = fit_surface(
                events,
                until=day_number(until),
                model=model_named(options["model"]),
                cell_m=options["cell"],
                grid_crs=options["grid_crs"],
            )
        except ForecastInputError as error:
            raise CommandError(str(error)) from error
        scores = surface.scores
        total = float(scores.sum())
        cells = np.flatnonzero(scores > 0)
        cells = cells[np.argsort(-scores[cells], kind="stable")]
        lon, lat = history.grid.centres_lonlat(cells)
        with tempfile.NamedTemporaryFile(
            "w", newline="", dir=out.parent, suffix=".part", delete=False
        ) as handle:
            writer = csv.writer(handle)
            writer.writerow(["lat", "lon", "cell_m", "score"])
            for i, cell in enumerate(cells):
                writer.writerow(
                    [
                        f"{lat[i]:.6f}",
                        f"{lon[i]:.6f}",
                        f"{history.grid.cell_m:g}",
                        f"{scores[cell] / total:.8g}",
                    ]
                )
        Path(handle.name).replace(out)
        self.stdout.write(
            _("%(n)d cells written to %(out)s (model %(model)s, %(events)d events).")
            % {"n": len(cells), "out": out, "model": surface.model, "events": len(history)}
        )
