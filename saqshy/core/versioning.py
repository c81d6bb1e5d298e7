"""Record versions for optimistic concurrency: the API's ``ETag``/``If-Match`` and the pages'
hidden version field.

A version is a short digest of the record's stored content (``audit.snapshot``: every concrete
field except the timestamps), so it needs no column and no migration, and any write that
changes the record changes it. Two copies with equal content share a version, which is what
matters here: a client whose copy equals what is stored has lost nothing by editing it.

The check is only meaningful under the row lock: ``guard`` locks the row (``SELECT … FOR
UPDATE``), re-reads it and compares, inside the caller's transaction, so no other writer can
slip in between the comparison and the save.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy

from saqshy.core import audit
from saqshy.core.exceptions import PreconditionFailed

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = gettext_lazy(
    "This record was changed by someone else meanwhile; your copy is out of date. "
    "Reload it, check the current values and apply your change again."
)


def version_of(instance: models.Model) -> str:
    """The version of ``instance`` as it is in memory (16 hex digits)."""
    encoded = json.dumps(audit.snapshot(instance), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]


def etag(instance: models.Model) -> str:
    """The ``ETag`` header value: the version as a strong entity tag."""
    return f'"{version_of(instance)}"'


def parse_if_match(header: str | None) -> list[str] | None:
    """The versions an ``If-Match`` header accepts (``["*"]`` for any); None without one."""
    if header is None or not header.strip():
        return None
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.append(tag.strip('"'))
    return [tag for tag in tags if tag]


def lock(instance: M) -> M:
    """Re-read ``instance``'s row under a row lock (inside the caller's transaction).

    ``FOR NO KEY UPDATE`` on PostgreSQL: it still excludes every other writer of the row, but
    not the key-share lock that another transaction's foreign-key check takes when it inserts
    a row pointing here (a journal line, an audit-chained child). With a plain ``FOR UPDATE``
    that check waits on us while we wait on the audit chain it holds: a deadlock.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("versioning.lock must run inside transaction.atomic()")
    model = type(instance)
    locked: M = model._default_manager.select_for_update(no_key=True).get(pk=instance.pk)
    _keep_related(locked, instance)
    return locked


def _keep_related(locked: models.Model, read: models.Model) -> None:
    """Give ``locked`` the rows its foreign keys point to that ``read`` (the caller's copy,
    read moments ago in this request) already holds, where the key is unchanged: the push and
    the audit name the incident's type or the unit's agency without reading them again."""
    cached = read._state.fields_cache
    for field in locked._meta.concrete_fields:
        if field.is_relation and field.name in cached:
            related = cached[field.name]
            if getattr(related, "pk", None) == getattr(locked, field.attname):
                locked._state.fields_cache[field.name] = related


def check(locked: models.Model, expected: str | list[str] | None) -> None:
    """Refuse (``PreconditionFailed``, 412) unless ``locked`` has one of the ``expected``
    versions; ``None`` means the caller asked for no check, ``"*"`` accepts any."""
    if expected is None:
        return
    accepted = [expected] if isinstance(expected, str) else list(expected)
    accepted = [tag.strip().strip('"') for tag in accepted]
    current = version_of(locked)
    if "*" in accepted or current in accepted:
        return
    raise PreconditionFailed(str(STALE_MESSAGE), current=current)


def guard(instance: M, expected: str | list[str] | None) -> M:
    """Lock and re-read ``instance``, refuse if it is not at ``expected``; the fresh copy."""
    locked = lock(instance)
    check(locked, expected)
    return locked


def copy_state(target: models.Model, source: Any) -> None:
    """Make ``target`` show ``source``'s stored state (the caller keeps its own object)."""
    for field in target._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for name, value in source._state.fields_cache.items():
        target._state.fields_cache[name] = value
