import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.core import audit
from saqshy.core.audit_models import AuditError


class Command(BaseCommand):
    help = (
        "Print the signed head of every audit chain (name, seq, hash, a timestamp and an HMAC "
        "signature, as JSON). Run it daily and hand the output to a third party; "
        "verify_audit --against FILE later proves nothing up to it was cut, deleted or rewritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="write to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            heads = audit.publish_heads()
        except AuditError as error:
            raise CommandError(f"not publishing: {error}") from error
        text = json.dumps(heads, indent=2, sort_keys=True) + "\n"
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
