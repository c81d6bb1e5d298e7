"""The restore drill: back up, lose data, restore, and prove the trail is whole.

Runs on the suite's own database: SQLite always, PostgreSQL in CI's PostgreSQL pass. On
PostgreSQL the restore goes into a scratch database created (and dropped) here under a unique
name, never into the test database pytest holds, so parallel workers do not collide.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from saqshy.core import audit_guard
from saqshy.core import backup as backups
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Incident, JournalEntry
from saqshy.incidents.tests.factories import incident_type

# Committed rows: pg_dump and the backup API see only what other connections could.
pytestmark = pytest.mark.django_db(transaction=True)

INCIDENTS = Incident._meta.db_table
JOURNAL = JournalEntry._meta.db_table
AUDIT = AuditEntry._meta.db_table
QUERIES = {
    "incidents": f"SELECT id, status, priority, description FROM {INCIDENTS} ORDER BY id",
    "journal": f"SELECT id, incident_id, kind, text FROM {JOURNAL} ORDER BY id",
    "audit": f"SELECT chain, seq, action, object_id, hash FROM {AUDIT} ORDER BY chain, seq",
}


def _contents(cursor: Any) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    for name, sql in QUERIES.items():
        cursor.execute(sql)
        found[name] = [tuple(row) for row in cursor.fetchall()]
    return found


def _url(config: dict[str, Any], name: str) -> str:
    user = quote(str(config.get("USER") or ""), safe="")
    password = quote(str(config.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{credentials}{config.get('HOST') or '127.0.0.1'}{port}/{name}"


class Scratch:
    """The database a drill restores into, read and tampered with through the plain driver."""

    def __init__(self, url: str, engine: str) -> None:
        self.url, self.engine = url, engine

    def connect(self) -> Any:
        database = backups.Database.from_url(self.url)
        if self.engine == "sqlite":
            return sqlite3.connect(database.name)
        import psycopg

        env = database.pg_env()
        return psycopg.connect(
            dbname=database.name,
            host=env.get("PGHOST"),
            port=env.get("PGPORT"),
            user=env.get("PGUSER"),
            password=env.get("PGPASSWORD"),
            autocommit=True,
        )

    def contents(self) -> dict[str, list[tuple[Any, ...]]]:
        with closing(self.connect()) as conn:
            return _contents(conn.cursor())

    def edit_audit_row(self, seq: int) -> None:
        """What an administrator of the restored database could do: lift the trigger, edit."""
        edit = f"UPDATE {AUDIT} SET object_repr = 'edited after the fact' WHERE seq = {seq}"
        with closing(self.connect()) as conn:
            cursor = conn.cursor()
            if self.engine == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {audit_guard.TRIGGER}")
                cursor.execute(edit)
                conn.commit()
            else:
                cursor.execute(f"ALTER TABLE {AUDIT} DISABLE TRIGGER {audit_guard.TRIGGER}")
                cursor.execute(edit)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Scratch]:
    if connection.vendor == "sqlite":
        yield Scratch(f"sqlite:///{tmp_path / 'restored.sqlite3'}", "sqlite")
        return
    config = connection.settings_dict
    name = f"saqshy_drill_{uuid.uuid4().hex[:12]}"
    admin = Scratch(_url(config, "postgres"), "postgresql")
    with closing(admin.connect()) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Scratch(_url(config, name), "postgresql")
    finally:
        with closing(admin.connect()) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _need_client_tools() -> None:
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip(reason="pg_dump/pg_restore are not installed: the PostgreSQL drill needs them")


def _season(n: int = 4) -> list[Incident]:
    """Incidents taken at the desk, journal notes, a close: all through the services."""
    people = make_personas()
    lat, lon = CENTRES["astana"]
    made = [
        services.report_incident(
            acting_user=people.dispatcher_astana,
            type=incident_type("fire"),
            lat=lat + k / 100,
            lon=lon,
            description=f"Smoke, floor {k}",
        )
        for k in range(n)
    ]
    services.add_note(acting_user=people.dispatcher_astana, incident=made[0], text="Caller calm")
    services.close(acting_user=people.dispatcher_astana, incident=made[1], resolution="False call")
    return made


def _backup(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    target = tmp_path / "backups" / f"drill.{backups.SUFFIXES[_engine()]}"
    call_command("backup", output=str(target), stdout=_Sink())
    manifest = json.loads(backups.manifest_path(target).read_text(encoding="utf-8"))
    return target, manifest


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


class _Sink:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        return None

    @property
    def text(self) -> str:
        return "".join(self.lines)


def test_restore_drill_brings_back_the_data_as_it_was_and_the_trail_verifies(
    tmp_path: Path, scratch: Scratch
) -> None:
    _need_client_tools()
    made = _season()
    with connection.cursor() as cursor:
        at_backup = _contents(cursor)
    assert len(at_backup["incidents"]) == 4 and at_backup["audit"]

    media = tmp_path / "media"
    (media / "inspections").mkdir(parents=True)
    (media / "inspections" / "photo.jpg").write_bytes(b"\xff\xd8 not really a photo")
    with override_settings(MEDIA_ROOT=media):
        backup_file, manifest = _backup(tmp_path)
    assert backup_file.exists() and backups.engine_of_file(backup_file) == _engine()
    assert manifest["sha256"] == backups.sha256(backup_file)
    assert manifest["media"]["archived"] and manifest["media"]["files"] == 1
    with tarfile.open(backups.media_path(backup_file)) as archive:
        assert "media/inspections/photo.jpg" in archive.getnames()
    heads = {c["chain"]: c["seq"] for c in manifest["audit_heads"]["chains"]}
    assert sum(heads.values()) == len(at_backup["audit"])
    assert not list(backup_file.parent.glob(".*partial*")), "no half-written file left behind"

    # After the backup: one incident deleted, one changed, one new, more audit entries.
    Incident.objects.filter(pk=made[3].pk).delete()
    people_user = made[0].reported_by
    services.close(acting_user=people_user, incident=made[0], resolution="Out")
    lat, lon = CENTRES["astana"]
    services.report_incident(
        acting_user=people_user, type=incident_type("fire"), lat=lat + 0.02, lon=lon
    )
    with connection.cursor() as cursor:
        assert _contents(cursor) != at_backup

    out = _Sink()
    restored_media = tmp_path / "restored-media"
    call_command(
        "restore", str(backup_file), yes=True, into=scratch.url, media=str(restored_media),
        stdout=out,
    )  # fmt: skip
    assert "audit trail intact" in out.text
    assert "matching 1 published head" in out.text
    assert "media: 1 files" in out.text
    assert (restored_media / "inspections" / "photo.jpg").read_bytes() == (
        b"\xff\xd8 not really a photo"
    )
    assert scratch.contents() == at_backup

    # Someone edits an audit row in the restored database: the same check now fails.
    scratch.edit_audit_row(seq=2)
    ok, report = backups.verify_restored(manifest["audit_heads"], scratch.url)
    assert not ok
    assert "audit trail broken" in report and "seq 2" in report


def test_restore_of_a_tampered_backup_exits_non_zero(tmp_path: Path, scratch: Scratch) -> None:
    _need_client_tools()
    _season(2)
    backup_file, manifest = _backup(tmp_path)

    # A flipped byte: the file no longer matches its manifest.
    damaged = bytearray(backup_file.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    copy = tmp_path / f"damaged{backup_file.suffix}"
    copy.write_bytes(bytes(damaged))
    shutil.copy(backups.manifest_path(backup_file), backups.manifest_path(copy))
    with pytest.raises(CommandError, match="does not match the SHA-256"):
        call_command("restore", str(copy), yes=True, into=scratch.url, stdout=_Sink())

    if connection.vendor != "sqlite":
        return
    # SQLite: an audit row edited inside the backup, its manifest's checksum recomputed to
    # match (it is not keyed): the restore goes through, verify_audit catches it.
    edited = tmp_path / "edited.sqlite3"
    shutil.copy(backup_file, edited)
    Scratch(f"sqlite:///{edited}", "sqlite").edit_audit_row(seq=1)
    forged = dict(manifest, sha256=backups.sha256(edited))
    backups.manifest_path(edited).write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(CommandError, match=r"does not verify: .*audit trail broken"):
        call_command("restore", str(edited), yes=True, into=scratch.url, stdout=_Sink())


def test_restore_checks_the_heads_at_backup_time_not_only_the_chain(
    tmp_path: Path, scratch: Scratch
) -> None:
    """An older backup passed off under a newer manifest (chain internally intact but cut
    short) fails against the heads the manifest recorded."""
    _need_client_tools()
    _season(2)
    older, _ = _backup(tmp_path / "older")
    lat, lon = CENTRES["astana"]
    services.report_incident(acting_user=None, type=incident_type("fire"), lat=lat + 0.03, lon=lon)
    _, manifest = _backup(tmp_path / "newer")
    swapped = tmp_path / f"swapped{older.suffix}"
    shutil.copy(older, swapped)
    forged = dict(manifest, sha256=backups.sha256(swapped))
    backups.manifest_path(swapped).write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(CommandError, match=r"(?s)does not verify: .*entries were cut off"):
        call_command("restore", str(swapped), yes=True, into=scratch.url, stdout=_Sink())


def test_restore_refuses_without_yes_and_a_file_of_another_engine(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.dump"
    not_a_backup.write_text("hello", encoding="utf-8")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(not_a_backup), into="sqlite:///" + str(tmp_path / "x"))
    with pytest.raises(CommandError, match="neither a PostgreSQL custom dump nor a SQLite"):
        call_command("restore", str(not_a_backup), yes=True, into=f"sqlite:///{tmp_path}/x")

    sqlite_file = tmp_path / "a.sqlite3"
    with closing(sqlite3.connect(sqlite_file)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(CommandError, match="is a SQLite backup but the target database is Post"):
        call_command(
            "restore", str(sqlite_file), yes=True, into="postgres://nobody@127.0.0.1:1/none"
        )
    with pytest.raises(CommandError, match="no manifest"):
        call_command("restore", str(sqlite_file), yes=True, into=f"sqlite:///{tmp_path}/x")
    with pytest.raises(backups.BackupError, match="in memory"):
        backups.Database.from_url("sqlite://:memory:").sqlite_path()


def test_backup_names_and_media_without_files(tmp_path: Path) -> None:
    _need_client_tools()
    with override_settings(VAR_DIR=tmp_path, MEDIA_ROOT=tmp_path / "no-media"):
        out = _Sink()
        call_command("backup", stdout=out)
        call_command("backup", stdout=_Sink())
    made = sorted(p.name for p in (tmp_path / "backups").iterdir())
    suffix = backups.SUFFIXES[_engine()]
    dumps = [name for name in made if name.endswith(suffix)]
    assert len(dumps) == 2, made
    assert all(name.startswith(f"saqshy-{_engine()}-") for name in dumps)
    assert "no media archive written" in out.text
    assert "audit heads at backup time" in out.text


def _fake_tool(tmp_path: Path, version: str) -> Path:
    script = tmp_path / "pg_dump"
    script.write_text(f'#!/bin/sh\necho "pg_dump (PostgreSQL) {version}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def test_pg_dump_older_than_the_server_or_missing_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(_fake_tool(tmp_path, "14.9")))
    with pytest.raises(backups.BackupError, match="version 14 but the server is 16"):
        backups.client_tool("pg_dump", 16)
    assert backups.client_tool("pg_dump", 14) == str(tmp_path / "pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(backups.BackupError, match="pg_restore is not on PATH"):
        backups.client_tool("pg_restore", 16)


def test_postgresql_password_goes_through_the_environment_only() -> None:
    database = backups.Database.from_url("postgres://ops:s3cret@db.example:5433/saqshy")
    env = database.pg_env()
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db.example"
    assert env["PGDATABASE"] == "saqshy" and env["PGPORT"] == "5433"


def test_a_dump_and_a_sqlite_file_of_one_name_keep_their_own_manifest_and_media() -> None:
    dump, sqlite = Path("var/backups/x.dump"), Path("var/backups/x.sqlite3")
    assert backups.manifest_path(dump) != backups.manifest_path(sqlite)
    assert backups.media_path(dump) != backups.media_path(sqlite)
    assert backups.manifest_path(dump).name == "x.dump.json"


def test_long_client_work_says_it_is_alive_and_a_failure_shows_the_tool_s_own_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backups, "HEARTBEAT_SECONDS", 0.05)
    lines: list[str] = []
    backups.run_with_heartbeat(["sh", "-c", "sleep 0.4"], {}, lines.append, "dumping")
    assert lines and all(line.strip().startswith("dumping: ") for line in lines)
    with pytest.raises(backups.BackupError, match=r"sh failed \(exit 3\): role x missing"):
        backups.run_with_heartbeat(
            ["sh", "-c", "echo 'role x missing' >&2; exit 3"], {}, lines.append, "restoring"
        )


def _media_backup(tmp_path: Path, members: dict[str, bytes]) -> tuple[Path, dict[str, Any]]:
    """A backup file's media archive and manifest, holding ``members`` as they are named."""
    import io

    backup_file = tmp_path / "b.dump"
    archive = backups.media_path(backup_file)
    with tarfile.open(archive, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    media = {"archived": True, "file": archive.name, "files": len(members),
             "sha256": backups.sha256(archive)}  # fmt: skip
    return backup_file, {"media": media}


def test_media_is_unpacked_only_from_an_archive_matching_its_manifest(tmp_path: Path) -> None:
    said: list[str] = []
    backup_file, manifest = _media_backup(tmp_path, {"media/evidence/a.pdf": b"%PDF"})
    target = tmp_path / "media-root"
    backups.restore_media(backup_file, manifest, target, said.append)
    assert (target / "evidence" / "a.pdf").read_bytes() == b"%PDF"
    assert said == [f"media: 1 files from {backups.media_path(backup_file)} -> {target}"]

    manifest["media"]["sha256"] = "0" * 64
    with pytest.raises(backups.BackupError, match="does not match its manifest"):
        backups.restore_media(backup_file, manifest, tmp_path / "other", said.append)
    assert not (tmp_path / "other").exists()


def test_a_media_archive_reaching_out_of_its_directory_is_refused(tmp_path: Path) -> None:
    backup_file, manifest = _media_backup(tmp_path, {"media/../../escaped.txt": b"x"})
    with pytest.raises(backups.BackupError, match="refused"):
        backups.restore_media(backup_file, manifest, tmp_path / "root" / "media", print)
    assert not (tmp_path / "escaped.txt").exists()
