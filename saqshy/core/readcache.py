"""Shared read cache: a GET answered again, without Django, while nothing it read has changed.

On New Year's Eve hundreds of maps and desks ask the same lists, layers and pages over and
over; each answer costs 6–40 ms of CPU in Django, of which a repeat needs none. This ASGI
wrapper sits in front of Django's HTTP handler:

- **What a response depends on is recorded, not declared.** While Django serves a GET, every
  SQL statement it runs passes through :func:`track_statement` (a database execute wrapper),
  which notes the tables it reads. The response is kept (in the web process's memory, up to
  ``SAQSHY_READ_CACHE_MB``) with the version of each of those tables as it was when the
  request started.
- **Every committed write bumps the version of the tables it wrote**, in any process
  (web, consumers, task workers, commands), through the same execute wrapper and
  ``on_commit``. The versions live in Redis (``REDIS_URL``), shared by every process; a
  rolled-back write bumps nothing.
- **A repeat of the same request** (same path and query, same credentials and cookies, same
  language, ``Accept`` and host) is answered from memory when the versions of its tables are
  unchanged (one Redis round trip) and it is younger than ``SAQSHY_READ_CACHE_SECONDS``; that
  age bounds what no table records (the clock: "today", "open for an hour").
  ``SAQSHY_READ_CACHE_STALE_SECONDS`` (0 by default) lets an answer be reused for that long
  even after its tables changed: a bounded lag for lists under a storm of writes; the live
  map is pushed anyway.
- **A user always reads their own writes**: after any POST, PUT, PATCH or DELETE with a
  credential, answers made before it are not reused for that credential.
- **Only plain answers are kept**: status 200, JSON, GeoJSON or HTML, no ``Set-Cookie``, no
  ``no-store``, not conditional, no write during the request (an export that audits its
  download is served by Django every time), and at least one table read.
- **Credentials are part of the key**, so an answer is only ever replayed to the same cookies
  or token. A sign-out or a revoked token deletes a session or token row, which bumps that
  table, on which every authenticated answer depends; a changed user or grant likewise.
  Keeping a session or token alive (``UPDATE`` of its expiry) is bookkeeping and bumps
  nothing.
- **If Redis cannot be reached** the request goes to Django and nothing is kept or replayed.
  A restarted Redis has a new generation, so no older answer is trusted again.

Without ``REDIS_URL`` the cache is off (``SAQSHY_READ_CACHE_SECONDS`` defaults to 0): versions
kept in one process would not see the writes of another.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import connections, transaction

from saqshy.core.context import request_id_from

logger = logging.getLogger(__name__)
request_log = logging.getLogger("saqshy.request")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]

GENERATION = "~generation"
"""The hash field naming this life of the versions (a restarted Redis starts a new one)."""
EVERYTHING = "~all"
"""A version every answer depends on: bumped by a restore, which writes around Django."""
BOOKKEEPING = frozenset({"knox_authtoken", "django_session"})
"""Tables whose ``UPDATE`` only keeps a credential alive (expiry, session data)."""
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_TYPES = (b"application/json", b"application/geo+json", b"text/html")
KEYED_HEADERS = (
    b"host", b"cookie", b"authorization", b"accept", b"accept-language",
    b"x-forwarded-proto", b"x-forwarded-host", b"x-saqshy-exercise", b"x-requested-with",
)  # fmt: skip
NEVER_PATHS = ("/static/", "/media/", "/healthz", "/readyz", "/admin/", "/api/auth/",
               "/api/ingest/", "/login", "/logout", "/i18n/", "/api/tiles", "/tiles/")  # fmt: skip

_WRITES = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE|WITH)\b", re.IGNORECASE)
_WRITTEN = re.compile(
    r"(?:\bINSERT\s+(?:OR\s+\w+\s+)?INTO|\bREPLACE\s+INTO|(?<!FOR )\bUPDATE|\bDELETE\s+FROM)"
    r"\s+\"?([A-Za-z_][\w$]*)\"?",
    re.IGNORECASE,
)
_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+\"?([A-Za-z_][\w$]*)\"?", re.IGNORECASE)


# ---------------------------------------------------------------- what a request reads


@dataclass
class Tracking:
    """What the request being served has read and whether it wrote."""

    tables: set[str] = field(default_factory=set)
    wrote: bool = False


_tracking: ContextVar[Tracking | None] = ContextVar("saqshy_read_tracking", default=None)


def depends_on(*tables: str) -> None:
    """Note tables the answer being made depends on without reading them now (a value
    taken from Django's cache that a change to these tables would make different)."""
    tracking = _tracking.get()
    if tracking is not None:
        tracking.tables.update(tables)


def statement_tables(sql: str) -> tuple[set[str], set[str]]:
    """The tables a statement writes (none for a read) and every table it names."""
    tables = set(_TABLE.findall(sql))
    written = set(_WRITTEN.findall(sql)) if _WRITES.match(sql) else set()
    return written, tables


def _bookkeeping(table: str, sql: str) -> bool:
    return table in BOOKKEEPING and sql.lstrip()[:6].upper() == "UPDATE"


def track_statement(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                    context: dict[str, Any]) -> Any:  # fmt: skip
    """Database execute wrapper: note what the statement reads and writes."""
    if not enabled():
        return execute(sql, params, many, context)
    written, tables = statement_tables(sql)
    tracking = _tracking.get()
    if tracking is not None:
        tracking.tables |= tables
    result = execute(sql, params, many, context)
    # After the statement: outside a transaction it has committed, and a reader that takes
    # the new version must find the new rows.
    for table in written:
        if not _bookkeeping(table, sql):
            if tracking is not None:
                tracking.wrote = True
            _bump_on_commit(context["connection"], table)
    return result


def install(connection: Any, **_kwargs: Any) -> None:
    """``connection_created`` receiver: track every statement on this connection."""
    if track_statement not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_statement)


def _bump_on_commit(connection: Any, table: str) -> None:
    pending: set[str] = connection.__dict__.setdefault("_saqshy_written", set())
    pending.add(table)
    if not connection.in_atomic_block:
        _flush_written(connection)
        return
    flush = connection.__dict__.get("_saqshy_flush")
    if flush is None:
        flush = connection.__dict__["_saqshy_flush"] = lambda: _flush_written(connection)
    # One bump per transaction; a callback dropped with a rolled-back savepoint is
    # registered again by the next write (its tables stay pending: over-invalidation only).
    if not any(item[1] is flush for item in connection.run_on_commit):
        transaction.on_commit(flush, using=connection.alias)


def flush_pending() -> None:
    """Bump now what this thread's committed transaction wrote, before anything tells the
    world about it (a live push): a map that reloads a layer on a push must not be answered
    from before the write. Called from ``on_commit`` callbacks; the bump's own callback then
    finds nothing left."""
    if enabled():
        for connection in connections.all(initialized_only=True):
            _flush_written(connection)


def _flush_written(connection: Any) -> None:
    pending: set[str] = connection.__dict__.get("_saqshy_written") or set()
    if pending:
        tables, connection.__dict__["_saqshy_written"] = set(pending), set()
        versions().bump(tables)


# ---------------------------------------------------------------- versions


class Versions(Protocol):
    def bump(self, tables: Iterable[str]) -> None: ...
    async def snapshot(self) -> dict[str, str]: ...
    async def current(
        self, tables: tuple[str, ...], credential: str
    ) -> tuple[list[str], float]: ...
    async def wrote(self, credential: str) -> None: ...


class RedisVersions:
    """Table versions in one Redis hash, shared by every process of the installation."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.key = f"{prefix}:readcache:tables"
        self.wrote_prefix = f"{prefix}:readcache:wrote:"
        self.lock = threading.Lock()
        self._sync: Any = None
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )
        self.unsent: set[str] = set()

    def _options(self) -> dict[str, Any]:
        return {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}

    def sync_client(self) -> Any:
        if self._sync is None:
            import redis

            self._sync = redis.Redis.from_url(self.url, **self._options())
        return self._sync

    def async_client(self) -> Any:
        """A client of the running event loop (an asyncio connection serves one loop)."""
        loop = asyncio.get_running_loop()
        client = self._async.get(loop)
        if client is None:
            import redis.asyncio

            client = self._async[loop] = redis.asyncio.Redis.from_url(self.url, **self._options())
        return client

    def bump(self, tables: Iterable[str]) -> None:
        with self.lock:
            tables = {*tables, *self.unsent}
            self.unsent = set()
        try:
            pipe = self.sync_client().pipeline(transaction=False)
            for table in sorted(tables):
                pipe.hincrby(self.key, table, 1)
            pipe.execute()
        except Exception:
            # Answers that read these tables may be replayed until they age out; the next
            # bump retries, and this process stops replaying its own.
            logger.exception("read cache: versions not bumped for %s", sorted(tables))
            with self.lock:
                self.unsent |= tables
            cache.clear()

    async def snapshot(self) -> dict[str, str]:
        pipe = self.async_client().pipeline(transaction=False)
        pipe.hsetnx(self.key, GENERATION, uuid.uuid4().hex)
        pipe.hgetall(self.key)
        _, values = await pipe.execute()
        return {k.decode(): v.decode() for k, v in values.items()}

    async def current(self, tables: tuple[str, ...], credential: str) -> tuple[list[str], float]:
        pipe = self.async_client().pipeline(transaction=False)
        pipe.hmget(self.key, [GENERATION, *tables])
        pipe.get(self.wrote_prefix + credential)
        values, wrote = await pipe.execute()
        return [v.decode() if v is not None else "" for v in values], float(wrote or 0)

    async def wrote(self, credential: str) -> None:
        expiry = int(settings.SAQSHY_READ_CACHE_SECONDS) + 60
        await self.async_client().set(self.wrote_prefix + credential, repr(time.time()), ex=expiry)


class LocalVersions:
    """Versions in this process only: for tests and a single-process installation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, int] = {}
        self.generation = uuid.uuid4().hex
        self.writes: dict[str, float] = {}

    def bump(self, tables: Iterable[str]) -> None:
        with self.lock:
            for table in tables:
                self.values[table] = self.values.get(table, 0) + 1

    async def snapshot(self) -> dict[str, str]:
        with self.lock:
            return {GENERATION: self.generation, **{k: str(v) for k, v in self.values.items()}}

    async def current(self, tables: tuple[str, ...], credential: str) -> tuple[list[str], float]:
        with self.lock:
            found = [str(self.values[t]) if t in self.values else "" for t in tables]
            return [self.generation, *found], self.writes.get(credential, 0.0)

    async def wrote(self, credential: str) -> None:
        with self.lock:
            self.writes[credential] = time.time()


_versions: Versions | None = None


def versions() -> Versions:
    global _versions
    if _versions is None:
        url = settings.REDIS_URL
        _versions = RedisVersions(url, settings.REDIS_PREFIX) if url else LocalVersions()
    return _versions


def use_versions(store: Versions | None) -> None:
    """Replace the version store (tests); None: choose again from the settings."""
    global _versions
    _versions = store
    cache.clear()


def enabled() -> bool:
    return float(settings.SAQSHY_READ_CACHE_SECONDS) > 0


def everything_changed() -> None:
    """After a restore or anything else that writes around Django: trust no kept answer."""
    if enabled():
        versions().bump([EVERYTHING])
    cache.clear()


# ---------------------------------------------------------------- kept answers


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    tables: tuple[str, ...]
    seen: tuple[str, ...]
    """The generation, then each table's version when the request started."""
    started: float
    """``time.time()`` when the request started (compared with the credential's last write)."""


class Answers:
    """This process's kept answers, least recently used dropped first, bounded in bytes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()
        self.size = 0

    def limit(self) -> int:
        return int(float(settings.SAQSHY_READ_CACHE_MB) * 1024 * 1024)

    def get(self, key: bytes) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: bytes, entry: Entry) -> None:
        limit = self.limit()
        if len(entry.body) > limit // 8:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > limit and self.entries:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body)

    def drop(self, key: bytes) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


cache = Answers()


# ---------------------------------------------------------------- the ASGI wrapper


def _headers(scope: Scope) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    for name, value in scope.get("headers") or ():
        name = name.lower()
        found[name] = found[name] + b", " + value if name in found else value
    return found


def credential(headers: dict[bytes, bytes]) -> str:
    """Who is asking, as a digest: the token, else the session cookie; empty if neither."""
    token = headers.get(b"authorization", b"")
    if not token:
        session = _cookies(headers).get(settings.SESSION_COOKIE_NAME.encode())
        token = b"session:" + session if session else b""
    return hashlib.sha256(token).hexdigest() if token else ""


def request_key(scope: Scope, headers: dict[bytes, bytes]) -> bytes:
    digest = hashlib.sha256()
    for part in (scope.get("scheme", "http"), scope.get("root_path", ""), scope["path"]):
        digest.update(str(part).encode() + b"\0")
    digest.update(bytes(scope.get("query_string", b"")) + b"\0")
    for name in KEYED_HEADERS:
        digest.update(headers.get(name, b"") + b"\0")
    return digest.digest()


def _kept_path(path: str) -> bool:
    return not path.startswith(NEVER_PATHS)


class ReadCache:
    """ASGI middleware in front of Django's HTTP handler (see the module's description)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.down_until = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not enabled():
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "GET")
        if method in UNSAFE:
            await self._write(scope, receive, send)
            return
        headers = _headers(scope)
        if (method != "GET" or not _kept_path(scope["path"])
                or b"if-none-match" in headers or b"if-modified-since" in headers
                or b"no-cache" in headers.get(b"cache-control", b"")
                or time.monotonic() < self.down_until):  # fmt: skip
            await self.app(scope, receive, send)
            return
        key = request_key(scope, headers)
        who = credential(headers)
        entry = cache.get(key)
        if entry is not None:
            fresh = await self._fresh(entry, who)
            if fresh:
                await self._replay(entry, headers, scope, send)
                return
            if fresh is None:
                await self.app(scope, receive, send)
                return
            cache.drop(key)
        await self._serve(scope, receive, send, key, headers)

    async def _fresh(self, entry: Entry, who: str) -> bool | None:
        """Whether the kept answer may be replayed; None when Redis cannot tell."""
        age = time.time() - entry.started
        if age > float(settings.SAQSHY_READ_CACHE_SECONDS):
            return False
        try:
            now, wrote = await versions().current(entry.tables, who)
        except Exception:
            self._unreachable()
            return None
        if wrote >= entry.started or now[0] != entry.seen[0]:
            return False
        if tuple(now) == entry.seen:
            return True
        return age <= float(settings.SAQSHY_READ_CACHE_STALE_SECONDS)

    def _unreachable(self) -> None:
        logger.warning("read cache: Redis unreachable; answering through Django for 1 s")
        self.down_until = time.monotonic() + 1.0

    async def _serve(self, scope: Scope, receive: Receive, send: Send, key: bytes,
                     headers: dict[bytes, bytes]) -> None:  # fmt: skip
        started = time.time()
        try:
            seen = await versions().snapshot()
        except Exception:
            self._unreachable()
            await self.app(scope, receive, send)
            return
        tracking = Tracking()
        token = _tracking.set(tracking)
        start: Message = {}
        body: list[bytes] = []
        size = 0
        limit = cache.limit() // 8

        cookies = _cookies(headers)

        async def keep(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start.update(message)
                if not _keepable(start, cookies):
                    size = limit + 1  # a download or an error: nothing to hold in memory
            elif message["type"] == "http.response.body" and size <= limit:
                chunk = bytes(message.get("body", b""))
                size += len(chunk)
                body.append(chunk)
            await send(message)

        try:
            await self.app(scope, receive, keep)
        finally:
            _tracking.reset(token)
        if size > limit or tracking.wrote or not tracking.tables or not _keepable(start, cookies):
            logger.debug("read cache: not kept %s (status %s, %d bytes, wrote %s, tables %s)",
                         scope["path"], start.get("status"), size, tracking.wrote,
                         sorted(tracking.tables))  # fmt: skip
            return
        tables = tuple(sorted(tracking.tables | {EVERYTHING}))
        logger.debug("read cache: kept %s, reading %s", scope["path"], ", ".join(tables))
        cache.put(key, Entry(
            status=200,
            headers=[(n, v) for n, v in start.get("headers", ()) if n.lower() != b"x-request-id"],
            body=b"".join(body),
            tables=tables,
            seen=(seen.get(GENERATION, ""), *(seen.get(t, "") for t in tables)),
            started=started,
        ))  # fmt: skip

    async def _replay(self, entry: Entry, headers: dict[bytes, bytes], scope: Scope,
                      send: Send) -> None:  # fmt: skip
        request_id = request_id_from(headers.get(b"x-request-id", b"").decode("latin-1")).encode()
        await send({
            "type": "http.response.start",
            "status": entry.status,
            "headers": [*entry.headers, (b"x-request-id", request_id), (b"x-cache", b"hit")],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": entry.body})
        if settings.SAQSHY_REQUEST_LOG:
            request_log.info("%s %s %d", "GET", scope["path"], entry.status, extra={
                "method": "GET", "path": scope["path"], "status": entry.status,
                "request_id": request_id.decode(), "cache": "hit",
            })  # fmt: skip

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        """An unsafe request: afterwards its credential reads nothing kept from before it."""
        try:
            await self.app(scope, receive, send)
        finally:
            who = credential(_headers(scope))
            if who:
                try:
                    await versions().wrote(who)
                except Exception:
                    self._unreachable()


def _cookies(headers: dict[bytes, bytes]) -> dict[bytes, bytes]:
    found = {}
    for part in headers.get(b"cookie", b"").split(b";"):
        key, _, value = part.strip().partition(b"=")
        found[key] = value
    return found


def _keepable(start: Message, cookies: dict[bytes, bytes]) -> bool:
    """A plain answer: 200, a kept type, no ``no-store``, and no cookie set except one the
    request already carries with that value (Django renews the CSRF cookie's expiry on
    every page with a form: replaying that to the same cookies changes nothing)."""
    if start.get("status") != 200:
        return False
    content_type = b""
    for name, value in start.get("headers", ()):
        name = name.lower()
        if name == b"set-cookie":
            key, _, rest = value.partition(b"=")
            if cookies.get(key.strip()) != rest.split(b";", 1)[0]:
                return False
        if name == b"cache-control" and b"no-store" in value.lower():
            return False
        if name == b"content-type":
            content_type = value.lower()
    return content_type.startswith(KEPT_TYPES)
