"""``manage.py ingest_cap FILE_OR_URL...``: receive CAP alerts and print what happened to
each (created, updated, cancelled, refused with the reason, skipped).

``--feeds`` reads the feeds of the setting ``SAQSHY_CAP_FEEDS`` instead; with ``--every
SECONDS`` it keeps polling them until stopped (the periodic task).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.accounts.models import Region
from saqshy.alerts import ingest
from saqshy.core import health
from saqshy.core.worker import Stop


class Command(BaseCommand):
    help = "Receive CAP 1.2/1.1 alerts from files or addresses (Atom feeds, EDXL-DE too)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="*", metavar="FILE_OR_URL")
        parser.add_argument("--feeds", action="store_true", help="read SAQSHY_CAP_FEEDS")
        parser.add_argument(
            "--every", type=float, default=0, metavar="SECONDS", help="poll the feeds again"
        )
        parser.add_argument("--region", help="region slug for alerts whose area names none")
        health.add_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options["region"]:
            region = Region.objects.filter(slug=options["region"]).first()
            if region is None:
                raise CommandError(f"unknown region {options['region']}")
        if not options["sources"] and not options["feeds"]:
            raise CommandError("name files or addresses, or use --feeds")
        stop = Stop().on_signals()
        heartbeat = health.Heartbeat(stale_seconds=2 * options["every"] + 120)
        if options["health_port"]:
            health.serve(
                options["health_port"],
                process="ingest_cap",
                alive={"loop": heartbeat.check},
                ready={"database": health.database},
            )
        while True:
            heartbeat.beat()
            outcomes = [
                o for s in options["sources"] for o in ingest.ingest_source(s, region=region)
            ]
            if options["feeds"]:
                outcomes += ingest.poll_feeds()
            for outcome in outcomes:
                self.stdout.write(outcome.line())
            counts = Counter(outcome.action for outcome in outcomes)
            self.stdout.write(
                ", ".join(
                    f"{counts[action]} {action}" for action in ingest.ACTIONS if counts[action]
                )
                or "nothing to read"
            )
            if options["every"] <= 0 or stop.wait(options["every"]):
                return
