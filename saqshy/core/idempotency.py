"""Safe retries of API ``POST``s with the ``Idempotency-Key`` header.

A client (the simulator, an integration, a phone on a bad network) sends a unique key with a
``POST``. The first request with that key runs normally; its key is stored in the same
transaction as its changes, together with the answer. A retry with the same key and the same
request gets the stored answer (same status and body, header ``Idempotent-Replayed: true``)
and changes nothing. The same key with a different request is refused with 422.

Keys belong to the user who sent them and are kept for ``TTL`` (24 hours); after that the key
may be used again (``manage.py purge_idempotency`` removes expired records, and a claim
replaces an expired record of its own key). On PostgreSQL a concurrent duplicate waits on
the key's unique index until the first request commits and then gets its answer; if the
first fails, the duplicate runs instead. Only successful answers are stored: a refused
request (4xx) rolls back with its key, so a retry runs again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import connections, models, router
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from saqshy.core.context import exercise_active
from saqshy.core.idempotency_models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255
KEPT_HEADERS = ("ETag", "Location")


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was already used for a different request; send a new key."
    )


class Replay(Exception):
    """The request repeats a stored one: answer with ``response``."""

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__(record.key)
        self.response = Response(record.response, status=record.status)
        for name, value in record.headers.items():
            self.response[name] = value
        self.response[REPLAYED_HEADER] = "true"


def wanted(request: Request) -> str | None:
    """The request's key when it asks for idempotency (``POST`` with the header)."""
    if request.method != "POST":
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {HEADER: [_("Give a key of 1 to 255 characters, unique for each new request.")]}
        )
    return key


def raw_body(request: Request) -> bytes | None:
    """The request body, read before anything parses it (None when it cannot be kept)."""
    try:
        return bytes(request._request.body)
    except (RawPostDataException, RequestDataTooBig):
        return None


def fingerprint(request: Request, body: bytes | None) -> str:
    """A digest of what makes two requests the same: method, path, body, and whether it
    runs as an exercise (the same body sent once for real and once as a drill is not a
    retry: the second is refused as a reused key, never answered with the first's record)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    if exercise_active():
        digest.update(b"exercise\n")
    if body is not None:
        digest.update(body)
    else:
        digest.update(_data_digest(request).encode())
    return digest.hexdigest()


def _data_digest(request: Request) -> str:
    """For bodies too large to keep in memory: the parsed fields and each file's content."""
    parts: dict[str, Any] = {}
    for name in request.data:
        value: Any = request.data.get(name)
        if hasattr(value, "chunks"):
            file_digest = hashlib.sha256()
            for chunk in value.chunks():
                file_digest.update(chunk)
            value.seek(0)
            parts[name] = file_digest.hexdigest()
        else:
            parts[name] = value
    return json.dumps(parts, sort_keys=True, default=str)


def claim(*, request: Request, key: str, digest: str) -> IdempotencyRecord:
    """Take ``key`` for this request (inside the request's transaction), or raise ``Replay``
    with the stored answer, or ``KeyReused`` when the key was used for another request."""
    pk: Any = request.user.pk
    user_id = int(pk)
    fields = {
        "user_id": user_id,
        "key": key,
        "method": request.method or "POST",
        "path": request.get_full_path()[:1000],
        "fingerprint": digest,
    }
    existing: IdempotencyRecord | None = None
    for _attempt in range(3):
        taken = _insert_unless_taken(fields)
        if taken is not None:
            return taken
        existing = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
        if existing is None:
            continue  # purged between the clash and the read: the key is free again
        if existing.created_at >= timezone.now() - TTL:
            break
        # The key's record has expired: the key may be used again (looked at only on a
        # clash, so a new key costs one insert).
        IdempotencyRecord.objects.filter(pk=existing.pk).delete()
        existing = None
    if existing is None:
        return IdempotencyRecord.objects.create(**fields)
    if existing.fingerprint != digest:
        raise KeyReused()
    raise Replay(existing)


def _insert_unless_taken(fields: dict[str, Any]) -> IdempotencyRecord | None:
    """Insert the record, or None when the user's key is already taken: one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, SQLite ≥ 3.35), where a
    savepoint around a plain insert would cost three statements. A clash with a request still
    in flight waits for it, as the unique index makes it."""
    record = IdempotencyRecord(**fields)
    meta = IdempotencyRecord._meta
    connection = connections[router.db_for_write(IdempotencyRecord)]
    quote = connection.ops.quote_name
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(record, True), connection) for f in columns]
    (key,) = [c for c in meta.constraints if isinstance(c, models.UniqueConstraint)]
    by_name = {f.name: f for f in columns}
    unique = ", ".join(quote(by_name[name].column) for name in key.fields)
    names = ", ".join(quote(f.column) for f in columns)
    slots = ", ".join(["%s"] * len(columns))
    # Names come from the model, quoted by the backend; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({slots}) "  # noqa: S608
    sql += f"ON CONFLICT ({unique}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    record.pk = row[0]
    record._state.adding = False
    record._state.db = connection.alias
    return record


def store(record: IdempotencyRecord, response: Response) -> None:
    """Keep ``response`` as the answer to ``record``'s key (same transaction as the work)."""
    record.status = response.status_code
    record.response = json.loads(json.dumps(response.data, cls=JSONEncoder))
    record.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    record.save(update_fields=["status", "response", "headers"])


def purge(now: dt.datetime | None = None) -> int:
    """Delete expired records; returns how many."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
