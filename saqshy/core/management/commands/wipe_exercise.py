import datetime as dt
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from saqshy.core import services
from saqshy.core.exceptions import Conflict


def _moment(value: str) -> dt.datetime:
    """An ISO date and time (local time when it has no offset) or a date (its midnight)."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--before: not a date and time: {value!r}")
        moment = dt.datetime.combine(day, dt.time(0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Delete the exercise records (incidents, alarms, alerts, daily reports and what hangs "
        "on them) after an exercise. Without --yes only counts them. The audit trail keeps its "
        "entries and gains one of the wipe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default=None, help="only this region (slug)")
        parser.add_argument(
            "--before",
            default=None,
            help="only records created before this moment (YYYY-MM-DD[THH:MM], local time)",
        )
        parser.add_argument("--yes", action="store_true", help="delete (default: a dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        region_id = None
        if options["region"]:
            region = apps.get_model("accounts", "Region").objects.filter(slug=options["region"])
            found = region.values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"--region: no region {options['region']!r}")
            region_id = int(found)
        before = _moment(options["before"]) if options["before"] else None
        dry_run = not options["yes"]
        try:
            counts = services.wipe_exercise(
                acting_user=None, region_id=region_id, before=before, dry_run=dry_run
            )
        except Conflict as error:
            raise CommandError(str(error.detail)) from error
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count}")
        if dry_run:
            self.stdout.write("dry run: nothing deleted (add --yes to delete these)")
        else:
            self.stdout.write(f"deleted {sum(counts.values())} row(s)")
