import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from saqshy.core import backup as backups
from saqshy.core import readcache


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the database of DATABASE_URL (or "
        "--into another), then run verify_audit on it against the audit heads recorded at "
        "backup time. Stop the web processes and workers first when restoring into the live "
        "database. Exits non-zero if the file is not a backup for this engine, does not match "
        "its manifest, or the restored audit trail does not verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file (.dump or .sqlite3) with its .json")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the target database's contents"
        )
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="restore into this database instead (PostgreSQL: it must exist already)",
        )
        parser.add_argument(
            "--media",
            metavar="DIR",
            help="unpack the backup's media archive into DIR (default: SAQSHY_MEDIA_ROOT when "
            "restoring the installation's own database; with --into, only when given)",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="leave the uploaded files as they are"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        into: str | None = options.get("into")
        try:
            target = (
                backups.Database.from_url(into)
                if into
                else backups.Database.from_settings(connection.settings_dict)
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if not options["yes"]:
            raise CommandError(
                f"restore replaces everything in the {target.label} database {target.name!r}; "
                "run again with --yes if that is what you want"
            )
        say = self.stdout.write
        started = time.monotonic()
        try:
            say(f"checking {path} against its manifest")
            manifest = backups.check_backup(path, target)
            say(
                f"restoring a {target.label} backup of {manifest['created_at']} into "
                f"{target.name!r}"
            )
            if into is None:
                connection.close()  # ours must not hold the tables being replaced
            backups.restore_database(path, target, say)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        restored = time.monotonic() - started
        if into is None:  # the installation's own database changed under every kept answer
            readcache.everything_changed()
        say(f"restored in {restored:.1f} s; verifying the audit trail against the backup's heads")
        ok, report = backups.verify_restored(manifest["audit_heads"], into)
        if not ok:
            raise CommandError(f"the restored database does not verify: {report}")
        say(report)
        media: str | None = options.get("media")
        if into is None and media is None:
            media = str(settings.MEDIA_ROOT)
        if media and not options.get("no_media"):
            try:
                backups.restore_media(path, manifest, Path(media), say)
            except backups.BackupError as error:
                raise CommandError(str(error)) from error
        else:
            say(backups.media_hint(path, manifest, Path(settings.MEDIA_ROOT)))
        say(
            self.style.SUCCESS(
                f"restore complete and verified in {time.monotonic() - started:.1f} s"
            )
        )
