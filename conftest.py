"""Suite-wide test hygiene."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Passwords the tests set are hashed with MD5, not PBKDF2's million rounds.

    Nearly every test signs people up (the personas are nine accounts), and at about 0.4 s a
    hash the real hasher made setup most of the suite's time. Hashes of every other algorithm
    still verify. This holds in the test process only: the browser tests' servers run with the
    settings of production, and their accounts are made by their own seeds.
    """
    from django.conf import settings

    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    settings.PASSWORD_HASHERS = [fast, *(h for h in settings.PASSWORD_HASHERS if h != fast)]


@pytest.fixture(autouse=True)
def _language_does_not_leak() -> Iterator[None]:
    """A request in one test activates its language for the thread; the next starts clean."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _live_pushes_at_once() -> Iterator[None]:
    """In-process tests see each live push as it commits, never a batch waiting on a timer
    (the browser tests' servers keep the coalescing of production; ``test_live`` tests it)."""
    from django.test import override_settings

    with override_settings(SAQSHY_LIVE_COALESCE_SECONDS=0):
        yield


@pytest.fixture(autouse=True)
def _cache_starts_empty() -> None:
    """Each test starts with an empty cache: an entry an earlier test left under a reused
    primary key (a user's readiness banner, kept 60 s) must not be read, nor expire in the
    middle of a query-count comparison."""
    from django.core.cache import cache

    cache.clear()


def _keep_groups_together(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--dist loadgroup`` as pytest-xdist means it: the tests of one ``xdist_group`` run on one
    worker, so a module's server or played night is made once.

    pytest-xdist 3.8.0 names a test's group by setting ``item._nodeid``, which pytest 9 no longer
    reads (a node's id lives in ``item._id``), so every group was silently ignored. This does the
    same on the new attribute; it does nothing where xdist already did it, or without loadgroup.

    A worker runs a group where the group's first test stands in pytest-django's order, which
    puts the transactional tests last because they empty the tables. So a group's transactional
    tests form a group of their own, run among the other transactional tests: were they run
    with the group's first test, every later test of that worker would miss the rows its
    migrations made (incident types, checklists).
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        if not names or "@" in item.nodeid:
            continue
        flushed = _database_use(item) == "flushed"
        group = "_".join(names) + ("-transaction" if flushed else "")
        item._id = NodeId.parse(f"{item.nodeid}@{group}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that reach the database (CI's second pass, on PostgreSQL)",
    )


# pytest-django's fixtures that open the database to a test, and those of them that end it by
# flushing every table (the rows migrations made too).
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "admin_user",
        "admin_client",
    }
)
_FLUSHING_FIXTURES = frozenset({"transactional_db", "live_server", "django_db_reset_sequences"})


def _database_use(item: pytest.Item) -> str | None:
    """How a test uses the database: ``"flushed"`` (transactional: every table is emptied at
    its end), ``"rolled back"``, or None (pytest-django refuses it the database).

    A test reaches the database through the mark, a fixture that opens it, a Django test case,
    or a fixture of ours that unblocks it (``django_db_blocker`` is in every test's closure
    through pytest-django's own autouse fixtures, so only ours count).
    """
    from django.test import TestCase, TransactionTestCase

    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    cls = getattr(item, "cls", None)
    django_case = cls is not None and issubclass(cls, TransactionTestCase)
    if (
        (marker is not None and marker.kwargs.get("transaction"))
        or _FLUSHING_FIXTURES & fixtures
        or (django_case and not issubclass(cls, TestCase))
    ):
        return "flushed"
    if marker is not None or _DATABASE_FIXTURES & fixtures or django_case:
        return "rolled back"
    info = getattr(item, "_fixtureinfo", None)
    for definitions in getattr(info, "name2fixturedefs", {}).values():
        for definition in definitions:
            module = getattr(definition.func, "__module__", "") or ""
            if "django_db_blocker" in definition.argnames and not module.startswith(
                "pytest_django"
            ):
                return "rolled back"
    return None


def _leave_out_what_cannot_reach_the_database(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """With ``--database-only``, leave out the tests that cannot reach the database.

    pytest-django blocks the database for a test that has not asked for it, so a test
    without the mark, a database fixture or a Django test case runs the same on any backend:
    the first pass (SQLite) has run it, and the PostgreSQL pass would only repeat it.
    """
    if not config.getoption("--database-only"):
        return
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        (kept if _database_use(item) is not None else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _leave_out_what_cannot_reach_the_database(config, items)
    _keep_groups_together(config, items)
