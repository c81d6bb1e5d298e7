from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.actionplan.plan_file import DEFAULT_PLAN, PlanFileError, load_path
from saqshy.core.context import new_request_id, reset_request_id, set_request_id


class Command(BaseCommand):
    help = (
        "Load the action plan's measures from a JSON file (default: the Law and Order 2026 "
        "plan). Idempotent by measure number; a bad file is refused whole, naming the measure "
        "and the field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DEFAULT_PLAN))

    def handle(self, *args: Any, **options: Any) -> None:
        token = set_request_id(new_request_id("load_action_plan:"))
        try:
            result = load_path(Path(options["file"]))
        except PlanFileError as error:
            raise CommandError(f"refused, nothing changed: {error}") from None
        finally:
            reset_request_id(token)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"measures: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged; agencies: {result.agencies_created} created"
        )
