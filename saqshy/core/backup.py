"""Backups of the database (and the media directory) and their restore, checked by the audit.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore``; the
connection goes to the client tools through the ``PG*`` environment variables, so the password
never appears on a command line. SQLite is copied with its online backup API, which takes a
consistent snapshot while the server keeps writing (WAL readers do not block writers).

Every backup gets a manifest next to it (``<file name>.json``): engine, size, SHA-256, duration and
the signed audit heads published just *before* the copy began, so the copy holds at least those
entries. A restore checks the file against the manifest, restores, then runs ``verify_audit
--against`` those heads on the restored database: an edited, truncated or swapped backup fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import dj_database_url

MANIFEST_FORMAT = "saqshy-backup/1"
ENGINES = {
    "django.db.backends.postgresql": "postgresql",
    "django.db.backends.sqlite3": "sqlite",
}
SUFFIXES = {"postgresql": "dump", "sqlite": "sqlite3"}
MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}
LABELS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# How often a long external step (pg_dump, pg_restore) says it is still working.
HEARTBEAT_SECONDS = 5.0

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """Where a database is, from Django's settings dictionary or a DATABASE_URL."""

    engine: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> Database:
        engine = ENGINES.get(str(config.get("ENGINE", "")))
        if engine is None:
            raise BackupError(f"unsupported database engine {config.get('ENGINE')!r}")
        options = config.get("OPTIONS") or {}
        return cls(
            engine=engine,
            name=str(config.get("NAME") or ""),
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
            sslmode=str(options.get("sslmode", "")) if isinstance(options, dict) else "",
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        try:
            config = dj_database_url.parse(url)
        except ValueError as error:
            raise BackupError(f"--into: not a database URL ({error})") from error
        return cls.from_settings(dict(config))

    @property
    def label(self) -> str:
        return LABELS[self.engine]

    def pg_env(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore/psycopg: nothing secret on a command line."""
        env = dict(os.environ)
        for variable, value in [
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
            ("PGSSLMODE", self.sslmode),
        ]:
            if value:
                env[variable] = value
        return env

    def sqlite_path(self) -> Path:
        if not self.name or self.name == ":memory:" or "mode=memory" in self.name:
            raise BackupError("the target SQLite database is in memory: restore into a file")
        return Path(self.name)


# --- small helpers ---------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def human_size(size: int) -> str:
    value = float(size)
    for unit in ["B", "KB", "MB", "GB"]:
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover


def manifest_path(backup: Path) -> Path:
    """``<backup's name>.json`` (the full name: ``x.dump`` and ``x.sqlite3`` never share one)."""
    return backup.with_name(backup.name + ".json")


def media_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".media.tar")


def default_output(directory: Path, engine: str, now: datetime) -> Path:
    """``saqshy-<engine>-<dd-mm-yyyy_HHMM>.<dump|sqlite3>``; a second one in the same minute
    gets ``-2``, ``-3``... rather than replacing the first."""
    stem = f"saqshy-{engine}-{now:%d-%m-%Y_%H%M}"
    candidate = directory / f"{stem}.{SUFFIXES[engine]}"
    number = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{number}.{SUFFIXES[engine]}"
        number += 1
    return candidate


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``, renamed over it only when the block succeeds (a
    crash or error never leaves a half-written backup under the final name)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        with partial.open("rb") as stream:
            os.fsync(stream.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def write_json(target: Path, data: dict[str, Any]) -> None:
    with atomic_file(target) as partial:
        partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def engine_of_file(path: Path) -> str | None:
    with path.open("rb") as stream:
        head = stream.read(16)
    for engine, magic in MAGIC.items():
        if head.startswith(magic):
            return engine
    return None


def run_with_heartbeat(
    command: list[str], env: dict[str, str], say: Say, doing: str, watch: Path | None = None
) -> None:
    """Run a client tool, saying every few seconds that it is still at work (and how big its
    output has grown); raise with its own error text if it fails."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)  # noqa: S603
        try:
            while True:
                try:
                    process.wait(timeout=HEARTBEAT_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    grown = ""
                    if watch is not None and watch.exists():
                        grown = f", {human_size(watch.stat().st_size)} so far"
                    say(f"  {doing}: {time.monotonic() - started:.0f} s{grown}")
        except BaseException:
            # Interrupted (Ctrl-C, a timeout of the caller): no orphan tool left writing.
            process.kill()
            process.wait()
            raise
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace").strip()
    if process.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {process.returncode}): {text[-2000:]}")


# --- PostgreSQL client tools -----------------------------------------------------------------


def server_major(database: Database) -> int:
    import psycopg

    env = database.pg_env()
    try:
        with psycopg.connect(
            dbname=env.get("PGDATABASE", ""),
            host=env.get("PGHOST"),
            port=env.get("PGPORT"),
            user=env.get("PGUSER"),
            password=env.get("PGPASSWORD"),
            sslmode=env.get("PGSSLMODE"),
            connect_timeout=10,
        ) as conn:
            return int(conn.info.server_version) // 10000
    except psycopg.Error as error:
        raise BackupError(
            f"cannot connect to PostgreSQL database {database.name!r}: {error}"
        ) from error


def client_tool(name: str, needed_major: int) -> str:
    """The path of pg_dump/pg_restore, refusing one older than the server (it would refuse to
    dump, or silently lack what the newer server's dump holds)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client tools of version "
            f"{needed_major} or newer (e.g. apt install postgresql-client-{needed_major})"
        )
    output = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    if match is None:
        raise BackupError(f"cannot tell the version of {path} from {output.strip()!r}")
    major = int(match.group(1))
    if major < needed_major:
        raise BackupError(
            f"{path} is version {major} but the server is {needed_major}: install "
            f"postgresql-client-{needed_major} (or newer) and put it first on PATH"
        )
    return path


# --- backup ----------------------------------------------------------------------------------


def _backup_sqlite(connection: Any, partial: Path, say: Say) -> None:
    """Copy the live database through the online backup API in one step: a consistent
    snapshot, taken in a read transaction that does not block the server's writers."""
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    pages = source.execute("PRAGMA page_count").fetchone()[0]
    page_size = source.execute("PRAGMA page_size").fetchone()[0]
    say(f"  copying {pages} pages ({human_size(pages * page_size)}) with the online backup API")
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        # A self-contained file: no -wal/-shm needed to read it later.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _backup_media(media_root: Path, target: Path, say: Say) -> dict[str, Any]:
    if not media_root.is_dir():
        say(f"media: {media_root} does not exist; no media archive written")
        return {"archived": False, "reason": f"{media_root} does not exist"}
    files = [path for path in media_root.rglob("*") if path.is_file()]
    if not files:
        say(f"media: {media_root} is empty; no media archive written")
        return {"archived": False, "reason": f"{media_root} is empty"}
    with atomic_file(target) as partial, tarfile.open(partial, "w") as archive:
        archive.add(media_root, arcname="media")
    size = target.stat().st_size
    say(f"media: {len(files)} files from {media_root} -> {target} ({human_size(size)})")
    return {
        "archived": True,
        "file": target.name,
        "files": len(files),
        "size": size,
        "sha256": sha256(target),
    }


def backup(
    *,
    connection: Any,
    output: Path | None,
    directory: Path,
    media_root: Path,
    heads: dict[str, Any],
    now: datetime,
    say: Say,
) -> dict[str, Any]:
    """Back up the database behind ``connection`` (Django's default) and the media directory.

    ``heads`` are the signed audit heads published just before (``audit.publish_heads``): the
    copy starts after them, so it holds every entry they name. Returns the manifest written.
    """
    database = Database.from_settings(connection.settings_dict)
    target = output or default_output(directory, database.engine, now)
    started = time.monotonic()
    say(f"backing up the {database.label} database to {target}")
    with atomic_file(target) as partial:
        if database.engine == "sqlite":
            _backup_sqlite(connection, partial, say)
            tool_version = f"sqlite {sqlite3.sqlite_version}"
        else:
            major = int(connection.pg_version) // 10000
            pg_dump = client_tool("pg_dump", major)
            command = [pg_dump, "--format=custom", "--no-password", f"--file={partial}"]
            run_with_heartbeat(command, database.pg_env(), say, "dumping", watch=partial)
            tool_version = f"pg_dump for server {major}"
    duration = time.monotonic() - started
    size = target.stat().st_size
    media = _backup_media(media_root, media_path(target), say)
    manifest = {
        "format": MANIFEST_FORMAT,
        "engine": database.engine,
        "file": target.name,
        "size": size,
        "sha256": sha256(target),
        "created_at": now.isoformat(),
        "duration_seconds": round(duration, 3),
        "tool": tool_version,
        "media": media,
        "audit_heads": heads,
    }
    write_json(manifest_path(target), manifest)
    chains = ", ".join(f"{c['chain']}@{c['seq']}" for c in heads.get("chains", [])) or "none"
    say(f"database: {human_size(size)} in {duration:.1f} s")
    say(f"audit heads at backup time: {chains}")
    say(f"manifest: {manifest_path(target)}")
    return manifest


# --- restore ---------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_file = manifest_path(path)
    if not manifest_file.exists():
        raise BackupError(
            f"no manifest {manifest_file} next to the backup: it holds the audit heads the "
            "restore is checked against, so the restore will not go on without it"
        )
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"cannot read the manifest {manifest_file}: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{manifest_file} is not a Saqshy backup manifest")
    return manifest


def check_backup(path: Path, target: Database) -> dict[str, Any]:
    """Refuse what is not a backup of the target's engine, or not the file its manifest names."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    found = engine_of_file(path)
    if found is None:
        raise BackupError(f"{path} is neither a PostgreSQL custom dump nor a SQLite database")
    if found != target.engine:
        raise BackupError(
            f"{path} is a {LABELS[found]} backup but the target database is {target.label}"
        )
    manifest = read_manifest(path)
    if manifest.get("engine") != found:
        raise BackupError(f"{path}: its manifest says {manifest.get('engine')}, the file {found}")
    if sha256(path) != manifest.get("sha256"):
        raise BackupError(
            f"{path} does not match the SHA-256 in its manifest: changed or truncated since "
            "the backup"
        )
    return manifest


def _restore_sqlite(path: Path, target: Database, say: Say) -> None:
    destination = target.sqlite_path()
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        say(f"  copying {pages} pages into {destination} with the online backup API")
        into = sqlite3.connect(destination, timeout=20)
        try:
            source.backup(into)
        finally:
            into.close()
    finally:
        source.close()


def _restore_postgresql(path: Path, target: Database, say: Say) -> None:
    major = server_major(target)
    pg_restore = client_tool("pg_restore", major)
    command = [
        pg_restore,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={target.name}",
        str(path),
    ]
    run_with_heartbeat(command, target.pg_env(), say, "restoring")


def restore_database(path: Path, target: Database, say: Say) -> None:
    if target.engine == "sqlite":
        _restore_sqlite(path, target, say)
    else:
        _restore_postgresql(path, target, say)


def verify_restored(heads: dict[str, Any], database_url: str | None) -> tuple[bool, str]:
    """Run ``verify_audit --against <heads at backup time>`` on the restored database, as an
    operator would (a separate process, so it reads that database and nothing cached)."""
    from django.conf import settings

    env = dict(os.environ)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    with tempfile.TemporaryDirectory() as scratch:
        heads_file = Path(scratch) / "heads.json"
        heads_file.write_text(json.dumps(heads), encoding="utf-8")
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "verify_audit",
            "--skip-checks",  # system-check warnings are not the verdict
            "--against",
            str(heads_file),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    text = "\n".join(part.strip() for part in [result.stdout, result.stderr] if part.strip())
    return result.returncode == 0, text[-2000:]


def media_hint(path: Path, manifest: dict[str, Any], media_root: Path) -> str:
    media = manifest.get("media") or {}
    if not media.get("archived"):
        return f"no media archive in this backup ({media.get('reason', 'none recorded')})"
    archive = path.with_name(str(media.get("file")))
    if not archive.exists():
        return f"media archive {archive} is missing: the uploaded files are not restored"
    return (
        f"media archive {archive} ({media.get('files')} files) is not unpacked by restore; "
        f"to put it back: manage.py restore … --media {media_root}, or mkdir -p {media_root} "
        f"&& tar -xf {archive} --strip-components=1 -C {media_root}"
    )


def restore_media(path: Path, manifest: dict[str, Any], media_root: Path, say: Say) -> None:
    """Unpack the backup's media archive into ``media_root`` (files there that the archive
    also holds are replaced; others are left). The archive must match its manifest."""
    media = manifest.get("media") or {}
    if not media.get("archived"):
        say(f"no media archive in this backup ({media.get('reason', 'none recorded')})")
        return
    archive_path = path.with_name(str(media.get("file")))
    if not archive_path.exists():
        raise BackupError(f"media archive {archive_path} is missing")
    if sha256(archive_path) != media.get("sha256"):
        raise BackupError(f"media archive {archive_path} does not match its manifest (sha256)")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path) as archive:
        members = []
        for member in archive.getmembers():
            if not member.name.startswith("media/"):
                continue
            member.name = member.name[len("media/") :]
            members.append(member)
        # The "data" filter refuses absolute paths, links out of the target and devices.
        try:
            archive.extractall(media_root, members=members, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(f"media archive {archive_path} refused: {error}") from error
    files = sum(1 for member in members if member.isfile())
    say(f"media: {files} files from {archive_path} -> {media_root}")
