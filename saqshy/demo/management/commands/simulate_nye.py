import json
import logging
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from saqshy.demo.api_client import wait_for_server
from saqshy.demo.simulator import Simulator


class Command(BaseCommand):
    help = (
        "Play New Year's Eve in Astana against a running server, over its HTTP API: "
        "incidents arrive, dispatchers send units, units drive and come back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the server")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--speed",
            type=float,
            default=5.0,
            help="simulated seconds per real second (default 5: one minute plays five)",
        )
        parser.add_argument(
            "--peak", type=float, default=48.0, help="incidents per simulated hour at the peak"
        )
        parser.add_argument("--start", default="20:00", help="simulated clock at start (HH:MM)")
        parser.add_argument("--ticks", type=int, default=None, help="stop after N steps")
        parser.add_argument("--duration", type=float, default=None, help="stop after S seconds")
        parser.add_argument("--tick", type=float, default=1.0, help="real seconds per step")
        parser.add_argument(
            "--fast",
            action="store_true",
            help="do not wait between steps (the clock still advances tick × speed): tests",
        )
        parser.add_argument(
            "--wait", type=float, default=300.0, help="wait this long for the server"
        )
        parser.add_argument(
            "--give-up", type=float, default=30.0, help="stop when the server is gone this long"
        )
        parser.add_argument("--log", default=None, help="log file (default: standard error)")
        parser.add_argument(
            "--exercise",
            action="store_true",
            help="play as an exercise on a real installation: every incident it creates is "
            "an exercise record (never counted in indicators; wipe with wipe_exercise)",
        )
        parser.add_argument(
            "--language",
            default="ru",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language the simulated operators type in (default: ru, as in Astana)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler: logging.Handler = (
            logging.FileHandler(options["log"], encoding="utf-8")
            if options["log"]
            else logging.StreamHandler(sys.stderr)
        )
        logging.basicConfig(
            handlers=[handler],
            force=True,
            level=logging.INFO if options["verbosity"] > 0 else logging.WARNING,
            format="%(asctime)s %(levelname)s %(message)s",
        )
        translation.activate(options["language"])
        url = options["url"]
        if not wait_for_server(url, options["wait"]):
            raise CommandError(f"no server answers at {url}")
        simulator = Simulator(
            url,
            data_dir=Path(settings.DATA_DIR),
            seed=options["seed"],
            speed=options["speed"],
            peak_per_hour=options["peak"],
            start=options["start"],
            exercise=options["exercise"],
        )
        stats = simulator.run(
            ticks=options["ticks"],
            duration=options["duration"],
            tick=options["tick"],
            realtime=not options["fast"],
            give_up=options["give_up"],
            report=lambda line: logging.getLogger("saqshy.demo.simulator").info(line),
        )
        self.stdout.write("simulator: " + json.dumps(stats.as_dict(), sort_keys=True))
