from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from saqshy.core import audit
from saqshy.core import backup as backups
from saqshy.core.audit_models import AuditError


class Command(BaseCommand):
    help = (
        "Back up the database of DATABASE_URL (PostgreSQL: pg_dump --format=custom; SQLite: "
        "the online backup API, safe while the server writes) and the media directory, with a "
        "manifest holding the size, SHA-256, duration and the signed audit heads at backup "
        "time. Default: var/backups/saqshy-<engine>-<dd-mm-yyyy_HHMM>.<dump|sqlite3>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", help="the backup file (its manifest and media archive go next to it)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # Heads first: the copy starts after them, so it holds every entry they name.
            heads = audit.publish_heads()
        except AuditError as error:
            raise CommandError(
                f"not backing up: the audit trail is inconsistent ({error})"
            ) from error
        output = Path(options["output"]) if options.get("output") else None
        try:
            backups.backup(
                connection=connection,
                output=output,
                directory=Path(settings.VAR_DIR) / "backups",
                media_root=Path(settings.MEDIA_ROOT),
                heads=heads,
                now=timezone.localtime(),
                say=self.stdout.write,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
