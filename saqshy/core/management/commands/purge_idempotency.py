from typing import Any

from django.core.management.base import BaseCommand

from saqshy.core import idempotency


class Command(BaseCommand):
    help = (
        "Delete stored Idempotency-Key answers older than 24 hours (run daily; a key past that "
        "age may be used for a new request)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency.purge()
        self.stdout.write(f"{deleted} expired idempotency record(s) deleted")
