"""``manage.py geocode_index``: build the geocoding indexes now and say what they hold."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from saqshy.geocoding import loader


class Command(BaseCommand):
    help = "Build every region's geocoding index (addresses, streets, places, facilities)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = loader.warm()
        took = time.perf_counter() - started
        for slug, addresses in sorted(counts.items()):
            if addresses:
                self.stdout.write(f"{slug}: {addresses} addresses")
        self.stdout.write(f"geocoding indexes built in {took:.1f} s")
