import datetime as dt
import json
import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.demo.devices import DeviceSimulator, ExercisePublisher, make_streams, parse_start
from saqshy.demo.season import new_year
from saqshy.demo.streams import STREAMS


class Command(BaseCommand):
    help = (
        "Play the demo's devices (home fire alarms, utility telemetry) on a simulated clock, "
        "publishing their messages over MQTT (or in-process when no broker answers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="astana", help="region slug")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--speed",
            type=float,
            default=5.0,
            help="simulated seconds per real second (as simulate_nye: same night)",
        )
        parser.add_argument("--start", default="20:00", help="simulated clock at start (HH:MM)")
        parser.add_argument(
            "--date",
            default=None,
            help="simulated date (YYYY-MM-DD; default: the demo season's New Year's Eve, when "
            "the duty roster has crews on shift)",
        )
        parser.add_argument("--ticks", type=int, default=None, help="stop after N steps")
        parser.add_argument("--duration", type=float, default=None, help="stop after S seconds")
        parser.add_argument("--tick", type=float, default=1.0, help="real seconds per step")
        parser.add_argument(
            "--fast",
            action="store_true",
            help="do not wait between steps (the clock still advances tick × speed): tests",
        )
        parser.add_argument(
            "--stream",
            action="append",
            default=None,
            help="dotted path of a stream factory (repeatable; default: streams.STREAMS)",
        )
        parser.add_argument("--log", default=None, help="log file (default: standard error)")
        parser.add_argument(
            "--exercise",
            action="store_true",
            help='mark every message "exercise": true: its alarms are exercise alarms and open '
            "exercise incidents (never counted in indicators; wipe with wipe_exercise)",
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
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"no region {options['region']!r}: load the demo first")
        day = (
            dt.date.fromisoformat(options["date"])
            if options["date"]
            else new_year(timezone.localdate()) - dt.timedelta(days=1)
        )
        try:
            start = parse_start(options["start"], day, timezone.get_current_timezone())
        except ValueError as error:
            raise CommandError(str(error)) from error
        from saqshy.ingest.transport import publisher_from_settings

        streams = make_streams(region, options["seed"], options["stream"] or tuple(STREAMS))
        publisher = publisher_from_settings()
        if options["exercise"]:
            publisher = ExercisePublisher(publisher)
        simulator = DeviceSimulator(streams, publisher, start=start, speed=options["speed"])
        stats = simulator.run(
            ticks=options["ticks"],
            duration=options["duration"],
            tick=options["tick"],
            realtime=not options["fast"],
            report=lambda line: logging.getLogger("saqshy.demo.devices").info(line),
        )
        self.stdout.write("devices: " + json.dumps(stats.as_dict(), sort_keys=True))
