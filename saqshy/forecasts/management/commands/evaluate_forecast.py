"""Evaluate every forecast model on held-out data from any CSV or Parquet file of point events.

    manage.py evaluate_forecast --csv FILE --lat-col C --lon-col C --time-col C \
        [--crs EPSG:4326] [--cell 250] [--train-until DATE] [--test-until DATE]

The models are fitted on the events up to ``--train-until`` (default: one year before the last
event) and scored on the days after it up to ``--test-until`` (default: one year). Reads only;
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saqshy.algorithms.forecast.evaluate import (
    BLOCK_DAYS,
    CONFIDENCE,
    RESAMPLES,
    Evaluation,
    evaluate,
    model_named,
)
from saqshy.algorithms.forecast.events import day_date, day_number
from saqshy.algorithms.forecast.grid import ForecastInputError
from saqshy.algorithms.forecast.metrics import LABELS
from saqshy.forecasts.management.commands._options import add_event_options, parse_day, read_events

TEST_DAYS = 365


class Command(BaseCommand):
    help = "Hit rate and PAI of every hotspot model on a held-out period of a file of events."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_event_options(parser)
        parser.add_argument("--train-until", help="last training day, YYYY-MM-DD")
        parser.add_argument("--test-until", help="last test day (default: a year after)")
        parser.add_argument(
            "--models", help="comma-separated model names (default: all)", default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        train_until = parse_day(options["train_until"], "--train-until")
        test_until = parse_day(options["test_until"], "--test-until")
        events = read_events(options, self.stdout)
        if train_until is None:
            train_until = day_date(int(events.day.max()) - TEST_DAYS)
        if test_until is None:
            test_until = train_until + dt.timedelta(days=TEST_DAYS)
        try:
            models = (
                [model_named(n.strip()) for n in options["models"].split(",")]
                if options["models"]
                else None
            )
            result = evaluate(
                events,
                train_until=day_number(train_until),
                test_until=day_number(test_until),
                cell_m=options["cell"],
                grid_crs=options["grid_crs"],
                models=models,
            )
        except ForecastInputError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.table(result, train_until, test_until))

    def table(self, result: Evaluation, train_until: dt.date, test_until: dt.date) -> str:
        grid = result.grid
        lines = [
            _(
                "Grid %(crs)s, cells of %(cell)g m (%(nx)d × %(ny)d). Training: %(train)d events "
                "up to %(until)s. Test: %(test)d events %(start)s – %(end)s. Study area "
                "(cells inside the convex hull of the training events' cells): %(cells)d "
                "cells, %(km2).1f km²."
            )
            % {
                "crs": grid.crs,
                "cell": grid.cell_m,
                "nx": grid.nx,
                "ny": grid.ny,
                "train": result.train_events,
                "until": train_until.isoformat(),
                "test": result.test_events,
                "start": (train_until + dt.timedelta(days=1)).isoformat(),
                "end": test_until.isoformat(),
                "cells": result.study_cells,
                "km2": result.study_km2,
            },
        ]
        if result.test_outside:
            lines.append(
                _(
                    "%(n)d test events lie outside the grid laid over the training events; "
                    "they count as misses for every model."
                )
                % {"n": result.test_outside}
            )
        lines.append("")
        header = [_("model"), *(f"HR {label}" for label in LABELS)]
        header += [*(f"PAI {label}" for label in LABELS), _("parameters")]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for row in result.results:
            params = ", ".join(f"{k}={v:g}" for k, v in row.params.items())
            cells = [row.model]
            cells += [f"{m.hit_rate:.3f}" for m in row.metrics]
            cells += [f"{m.pai:.1f}" for m in row.metrics]
            cells.append(params)
            lines.append("| " + " | ".join(cells) + " |")
        if result.margins:
            lines += ["", self.margins(result)]
        return "\n".join(lines)

    def margins(self, result: Evaluation) -> str:
        first = result.margins[0]
        lines = [
            _(
                "Margin of %(model)s over the best baseline at each area (hit-rate difference; "
                "%(level)g %% interval: paired bootstrap over %(block)d-day blocks of the test "
                "period, %(resamples)d resamples):"
            )
            % {
                "model": first.model,
                "level": CONFIDENCE * 100,
                "block": BLOCK_DAYS,
                "resamples": RESAMPLES,
            },
            "",
        ]
        header = [_("area"), _("best baseline"), _("baseline HR"), first.model, _("difference")]
        header.append(_("interval"))
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for m in result.margins:
            cells = [m.label, m.baseline, f"{m.baseline_hit_rate:.3f}", f"{m.model_hit_rate:.3f}"]
            cells += [f"{m.difference:+.3f}", f"[{m.low:+.3f}, {m.high:+.3f}]"]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
