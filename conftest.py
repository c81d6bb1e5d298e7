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
