from typing import Any

from django.core.management.base import BaseCommand

from saqshy.ingest import retention


class Command(BaseCommand):
    help = (
        "Delete device events and telemetry readings past their retention periods "
        "(INGEST_MESSAGE_RETENTION_DAYS, INGEST_READING_RETENTION_DAYS); on PostgreSQL drop "
        "whole monthly reading partitions and create the coming ones. Run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = retention.purge()
        dropped = ", ".join(purged.dropped_partitions) or "none"
        self.stdout.write(
            f"{purged.messages} device event(s) and {purged.readings} reading(s) deleted; "
            f"partitions dropped: {dropped}"
        )
