"""``manage.py escalate_reports``: raise late daily reports on the secretariat's board.

Every step records an escalation (audited, once per region and day) for each region whose
report for today is not submitted by its due time (norm ``report_due_hour``). Runs in the
worker loop until stopped; ``--once`` runs one step and exits (for cron); ``--day`` checks
another day (``YYYY-MM-DD``).
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saqshy.core import health
from saqshy.core.worker import Stop, run
from saqshy.reports import services


class Command(BaseCommand):
    help = "Escalate the daily reports not submitted by their due time (--once for cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        health.add_argument(parser)
        parser.add_argument("--once", action="store_true", help="one check, then exit")
        parser.add_argument("--day", default=None, help="the report day, YYYY-MM-DD (today)")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between idle checks"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = dt.date.fromisoformat(options["day"]) if options["day"] else None

        def step() -> int:
            return len(services.escalate_late(day=day))

        if options["once"]:
            self.stdout.write(f"escalated: {step()} late reports")
            return
        done = run(
            step,
            name="escalate_reports",
            idle_seconds=options["interval"],
            stop=Stop().on_signals(),
            health_port=options["health_port"],
        )
        self.stdout.write(f"escalate_reports: stopped, {done} escalations")
