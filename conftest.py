"""Suite-wide test hygiene."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


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
