"""The shared read cache in front of Django (``saqshy.core.readcache``): a GET is replayed
only to the same credentials, only while no table it read has changed, never after the
asker's own write, and never when it cannot tell."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction
from django.test import override_settings
from knox.models import AuthToken

from saqshy.core import readcache
from saqshy.core.readcache import ReadCache, statement_tables
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.core.testing.redis_server import SHARED_REDIS_URL, shared_redis_url
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = SHARED_REDIS_URL


class Counting:
    """Django as the web processes serve it (saqshy.asgi: WSGI in a pool of threads),
    counting the requests that reach it."""

    def __init__(self) -> None:
        from saqshy.asgi import django_http

        self.app = django_http
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
def personas() -> Personas:
    return make_personas()


@pytest.fixture
def store() -> Iterator[readcache.LocalVersions]:
    local = readcache.LocalVersions()
    readcache.use_versions(local)
    with override_settings(SAQSHY_READ_CACHE_SECONDS=60, SAQSHY_READ_CACHE_STALE_SECONDS=0):
        yield local
    readcache.use_versions(None)


@pytest.fixture
def django_app() -> Counting:
    return Counting()


@pytest.fixture
def app(django_app: Counting) -> ReadCache:
    return ReadCache(django_app)


def token(user: Any) -> str:
    return str(AuthToken.objects.create(user)[1])


def call(app: Any, path: str, *, method: str = "GET", auth: str = "", cookie: str = "",
         body: bytes = b"", query: str = "") -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    headers = [(b"host", b"testserver"), (b"accept", b"application/json")]
    if auth:
        headers.append((b"authorization", f"Token {auth}".encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if body:
        headers += [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]  # fmt: skip
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": headers, "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }  # fmt: skip
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if chunks:
            return chunks.pop(0)
        await asyncio.Event().wait()  # the client stays until the answer is sent
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async_to_sync(app)(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    found = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], found, b"".join(m.get("body", b"") for m in sent[1:])


def test_statements_name_what_they_read_and_write() -> None:
    joined = 'SELECT "a"."id" FROM "a" INNER JOIN "b" ON ("a"."b_id" = "b"."id")'
    assert statement_tables(joined) == (set(), {"a", "b"})
    assert statement_tables('INSERT INTO "incidents_incident" ("x") VALUES (%s)')[0] == {
        "incidents_incident"
    }
    nested = 'UPDATE "u" SET "x" = 1 WHERE "id" IN (SELECT "id" FROM "v")'
    assert statement_tables(nested) == ({"u"}, {"u", "v"})
    assert statement_tables("DELETE FROM knox_authtoken WHERE id = 1")[0] == {"knox_authtoken"}
    assert statement_tables('SELECT 1 FROM "t" WHERE "id" = 1 FOR UPDATE')[0] == set()
    assert statement_tables("INSERT OR IGNORE INTO t2 (x) VALUES (1)")[0] == {"t2"}
    moved = "WITH m AS (DELETE FROM p0 WHERE at < %s RETURNING *) INSERT INTO p1 SELECT * FROM m"
    assert statement_tables(moved)[0] == {"p0", "p1"}
    locked = 'WITH x AS (SELECT 1) SELECT * FROM "t" FOR UPDATE OF "t"'
    assert statement_tables(locked)[0] == set()


def test_a_repeated_get_is_replayed_without_django(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    FacilityFactory(region=personas.astana)
    auth = token(personas.planner_astana)
    first = call(app, "/api/facilities/", auth=auth)
    second = call(app, "/api/facilities/", auth=auth)
    assert first[0] == second[0] == 200
    assert second[2] == first[2]
    assert django_app.calls == 1
    assert second[1]["x-cache"] == "hit"
    assert second[1]["x-request-id"] != first[1]["x-request-id"]
    assert "x-cache" not in first[1]


def test_a_write_to_a_table_it_read_makes_django_answer_again(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    facility = FacilityFactory(region=personas.astana, name="Old name")
    auth = token(personas.planner_astana)
    call(app, "/api/facilities/", auth=auth)
    Facility.objects.filter(pk=facility.pk).update(name="New name")  # any process, any path
    _status, headers, body = call(app, "/api/facilities/", auth=auth)
    assert django_app.calls == 2
    assert "x-cache" not in headers
    assert b"New name" in body


def test_a_rolled_back_write_changes_no_version(
    store: readcache.LocalVersions, personas: Personas
) -> None:
    facility = FacilityFactory(region=personas.astana)
    before = dict(store.values)
    with pytest.raises(RuntimeError), transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(name="Never")
        raise RuntimeError
    assert store.values == before
    with transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(name="Kept")
        assert store.values == before  # not before the commit
    assert store.values["facilities_facility"] == before.get("facilities_facility", 0) + 1


def test_an_answer_is_never_replayed_to_other_credentials(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    FacilityFactory(region=personas.astana)
    FacilityFactory(region=personas.almaty, name="Almaty only")
    astana = call(app, "/api/facilities/", auth=token(personas.planner_astana))
    almaty = call(app, "/api/facilities/", auth=token(personas.planner_almaty))
    anonymous = call(app, "/api/facilities/")
    assert django_app.calls == 3
    assert b"Almaty only" not in astana[2] and b"Almaty only" in almaty[2]
    assert anonymous[0] in (401, 403)


def test_a_revoked_token_is_refused_at_once(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    FacilityFactory(region=personas.astana)
    auth = token(personas.planner_astana)
    assert call(app, "/api/facilities/", auth=auth)[0] == 200
    AuthToken.objects.filter(user=personas.planner_astana).delete()
    assert call(app, "/api/facilities/", auth=auth)[0] == 401


def test_a_revoked_grant_is_refused_at_once(
    store: readcache.LocalVersions, app: ReadCache, personas: Personas
) -> None:
    FacilityFactory(region=personas.astana, name="Seen while granted")
    auth = token(personas.planner_astana)
    assert b"Seen while granted" in call(app, "/api/facilities/", auth=auth)[2]
    personas.planner_astana.grants.all().delete()
    _status, _headers, body = call(app, "/api/facilities/", auth=auth)
    assert b"Seen while granted" not in body


def test_the_askers_own_write_is_always_read_back_even_with_a_lag_allowed(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    facility = FacilityFactory(region=personas.astana)
    auth = token(personas.planner_astana)
    other = token(personas.admin)
    with override_settings(SAQSHY_READ_CACHE_STALE_SECONDS=30):
        call(app, "/api/facilities/", auth=auth)
        call(app, "/api/facilities/", auth=other)
        Facility.objects.filter(pk=facility.pk).update(name="Changed elsewhere")
        # Within the allowed lag another credential's answer is reused...
        assert call(app, "/api/facilities/", auth=other)[1].get("x-cache") == "hit"
        # ...but a write by this credential (even one refused) ends the reuse for it.
        call(app, f"/api/facilities/{facility.pk}/", method="PATCH", auth=auth, body=b"{}")
        _status, headers, body = call(app, "/api/facilities/", auth=auth)
    assert "x-cache" not in headers
    assert b"Changed elsewhere" in body


def test_without_a_lag_allowed_any_change_is_read_at_once(
    store: readcache.LocalVersions, app: ReadCache, personas: Personas
) -> None:
    facility = FacilityFactory(region=personas.astana)
    other = token(personas.admin)
    call(app, "/api/facilities/", auth=other)
    Facility.objects.filter(pk=facility.pk).update(name="Changed elsewhere")
    _status, headers, body = call(app, "/api/facilities/", auth=other)
    assert "x-cache" not in headers and b"Changed elsewhere" in body


def test_errors_cookies_and_writing_gets_are_not_kept(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    auth = token(personas.planner_astana)
    for _ in range(2):
        call(app, "/api/facilities/999999/", auth=auth)  # 404
        call(app, "/api/facilities/", auth="not-a-token")  # 401
        call(app, "/", cookie="")  # a redirect to sign in
        call(app, "/healthz")
    assert django_app.calls == 8
    assert not readcache.cache.entries


def test_old_answers_age_out(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    FacilityFactory(region=personas.astana)
    auth = token(personas.planner_astana)
    call(app, "/api/facilities/", auth=auth)
    with override_settings(SAQSHY_READ_CACHE_SECONDS=0.000001):
        call(app, "/api/facilities/", auth=auth)
    assert django_app.calls == 2


def test_when_versions_cannot_be_read_django_answers(
    app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    class Broken(readcache.LocalVersions):
        async def snapshot(self) -> dict[str, str]:
            raise ConnectionError("down")

        async def current(self, tables: Any, credential: str) -> Any:
            raise ConnectionError("down")

    readcache.use_versions(Broken())
    auth = token(personas.planner_astana)
    try:
        with override_settings(SAQSHY_READ_CACHE_SECONDS=60):
            for _ in range(3):
                assert call(app, "/api/facilities/", auth=auth)[0] == 200
                app.down_until = 0.0
    finally:
        readcache.use_versions(None)
    assert django_app.calls == 3


def test_off_without_redis_by_default(app: ReadCache, django_app: Counting,
                                      personas: Personas) -> None:  # fmt: skip
    from django.conf import settings

    assert not settings.REDIS_URL and settings.SAQSHY_READ_CACHE_SECONDS == 0
    auth = token(personas.planner_astana)
    call(app, "/api/facilities/", auth=auth)
    call(app, "/api/facilities/", auth=auth)
    assert django_app.calls == 2


def test_versions_in_redis_are_shared_and_a_restart_trusts_nothing_old(
    app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    shared_redis_url()
    import redis

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    shared = readcache.RedisVersions(REDIS_URL, prefix)
    other_process = readcache.RedisVersions(REDIS_URL, prefix)
    readcache.use_versions(shared)
    facility = FacilityFactory(region=personas.astana)
    auth = token(personas.planner_astana)
    try:
        with override_settings(SAQSHY_READ_CACHE_SECONDS=60):
            call(app, "/api/facilities/", auth=auth)
            assert call(app, "/api/facilities/", auth=auth)[1].get("x-cache") == "hit"
            other_process.bump(["facilities_facility"])  # a write in another process
            assert "x-cache" not in call(app, "/api/facilities/", auth=auth)[1]
            assert call(app, "/api/facilities/", auth=auth)[1].get("x-cache") == "hit"
            redis.Redis.from_url(REDIS_URL).delete(shared.key)  # Redis restarted, empty
            Facility.objects.filter(pk=facility.pk).update(name="During the restart")
            assert b"During the restart" in call(app, "/api/facilities/", auth=auth)[2]
    finally:
        redis.Redis.from_url(REDIS_URL).delete(shared.key)
        readcache.use_versions(None)
    assert django_app.calls == 3


def test_a_page_is_kept_only_once_the_browser_carries_its_csrf_cookie(
    store: readcache.LocalVersions, app: ReadCache, django_app: Counting, personas: Personas
) -> None:
    from django.test import Client

    browser = Client()
    browser.force_login(personas.planner_astana)
    session = f"sessionid={browser.cookies['sessionid'].value}"
    status, first, _ = call(app, "/facilities/", cookie=session)
    assert status == 200 and first["set-cookie"].startswith("csrftoken=")
    csrf = first["set-cookie"].split(";")[0]
    call(app, "/facilities/", cookie=session)  # a new CSRF cookie again: not kept
    assert django_app.calls == 2
    call(app, "/facilities/", cookie=f"{session}; {csrf}")  # renews the same value: kept
    status, replayed, _body = call(app, "/facilities/", cookie=f"{session}; {csrf}")
    assert django_app.calls == 3 and replayed.get("x-cache") == "hit"
    assert replayed["set-cookie"].split(";")[0] == csrf


def test_the_versions_are_bumped_before_the_live_push_goes_out(
    store: readcache.LocalVersions, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saqshy.core import realtime

    seen: list[int] = []
    monkeypatch.setattr(
        realtime, "_group_send",
        lambda *a, **k: seen.append(store.values.get("facilities_facility", 0)),
    )  # fmt: skip
    facility = FacilityFactory(region=personas.astana)
    before = store.values.get("facilities_facility", 0)
    with transaction.atomic():
        # Registered before the write (so before the write's own bump): sent after the bump.
        transaction.on_commit(
            lambda: realtime.send_now({"topic": "facility", "region_id": None})
        )  # fmt: skip
        Facility.objects.filter(pk=facility.pk).update(name="Pushed")
    assert seen == [before + 1]
    assert store.values["facilities_facility"] == before + 1
