"""Apply the crowd readings' retention (docs/cameras.md): thin after two days, drop after 90."""

from typing import Any

from django.core.management.base import BaseCommand

from saqshy.cameras import services


class Command(BaseCommand):
    help = (
        "Thin crowd density readings older than two days to the densest per camera and quarter "
        "hour and delete those older than 90 days (readings of a crowd episode are kept)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.prune_readings(acting_user=None)
        self.stdout.write(f"{result['thinned']} readings thinned, {result['expired']} expired")
