from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.core import audit


class Command(BaseCommand):
    help = (
        "Walk every audit chain and check each entry's hash and link to the one before it. "
        "Exits non-zero naming the first entry that was edited, or where entries were removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chain", help="check one chain only (e.g. national, region:3)")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit.verify(options.get("chain"))
        if broken is not None:
            raise CommandError(f"audit trail broken at {broken}")
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {checked} entries verified"))
