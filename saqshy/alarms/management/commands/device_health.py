"""``manage.py device_health``: the device-health sweeper (offline devices, visit tasks).

Runs ``saqshy.alarms.health.sweep`` in the worker loop until stopped; ``--once`` runs one
step and exits (for cron). Several copies may run at once: devices are taken by
compare-and-set.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saqshy.alarms import health
from saqshy.core import health as process_health
from saqshy.core.worker import Stop, run


class Command(BaseCommand):
    help = "Mark silent home fire alarms offline and open visit tasks (--once for cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        process_health.add_argument(parser)
        parser.add_argument("--once", action="store_true", help="one sweep, then exit")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between idle sweeps"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            done = health.sweep()
            self.stdout.write(f"device health: {done} changes")
            return
        done = run(
            health.sweep,
            name="device_health",
            idle_seconds=options["interval"],
            stop=Stop().on_signals(),
            health_port=options["health_port"],
        )
        self.stdout.write(f"device health: stopped, {done} changes")
