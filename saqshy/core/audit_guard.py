"""The database's own refusal to change audit rows, below the ORM.

On PostgreSQL a row trigger refuses every UPDATE and DELETE of ``core_auditentry``, whoever
sends it (raw SQL, another client, a script), unless a superuser or the table's owner disables
it first. TRUNCATE fires no row trigger, so test teardown and ``flush`` still work. SQLite gets
a trigger refusing UPDATE only: its flush deletes rows, and whoever holds the file can do
anything anyway. Detection of what gets past the trigger is the chain's job (``audit.verify``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

TABLE = "core_auditentry"
TRIGGER = "core_auditentry_append_only"

INSTALL: dict[str, list[str]] = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
        f"""
        CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END
        """,
    ],
}

REMOVE: dict[str, list[str]] = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {TRIGGER}()",
    ],
    "sqlite": [f"DROP TRIGGER IF EXISTS {TRIGGER}"],
}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """Create the trigger on the vendors that have one (others: nothing)."""
    _run(connection, INSTALL.get(connection.vendor, []))


def remove(connection: Any) -> None:
    _run(connection, REMOVE.get(connection.vendor, []))


@contextmanager
def suspended(connection: Any) -> Iterator[None]:
    """Lift the refusal for the block (a migration that must rewrite rows, or a test playing
    the administrator who disables it); needs the table owner's or a superuser's rights."""
    if connection.vendor == "postgresql":
        _run(connection, [f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}"])
        try:
            yield
        finally:
            _run(connection, [f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}"])
    else:
        remove(connection)
        try:
            yield
        finally:
            install(connection)
