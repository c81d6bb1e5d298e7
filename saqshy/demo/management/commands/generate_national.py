"""``manage.py generate_national``: the country's season at full size, as demo data."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.demo import national


class Command(BaseCommand):
    help = (
        "Generate DEMO data at national volumes for all 20 regions, in proportion to their "
        "population: 7,000 crowded venues, 1,000 mass events, 36,000 home fire-alarm sensors, "
        "5,000 units, 20,000 personnel, 200,000 incidents over three past seasons and the last "
        "season's audit trail (at --scale 1). Refuses a second run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = full size")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--i-know-this-is-demo-data",
            action="store_true",
            dest="demo_data",
            help="generate even though DEBUG is off (fake records in a real-looking database)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["demo_data"]:
            raise CommandError(
                "generate_national writes hundreds of thousands of fake records; DEBUG is off, "
                "so this looks like production. For a scratch database add "
                "--i-know-this-is-demo-data."
            )
        token = set_request_id(new_request_id("generate_national:"))
        started = time.perf_counter()
        try:
            result = national.generate(
                scale=options["scale"], seed=options["seed"], say=self.stdout.write
            )
        except (national.AlreadyGenerated, ValueError) as error:
            raise CommandError(str(error)) from error
        finally:
            reset_request_id(token)
        total = time.perf_counter() - started
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"national demo data: {counts}; {total:.1f} s in all"))
