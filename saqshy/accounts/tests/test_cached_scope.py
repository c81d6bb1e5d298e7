"""``User.cached_scope``: the live socket decides without a query only what ``scope_for``
would decide, and asks (None) when the answer is not cached yet."""

from __future__ import annotations

import pytest

from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db


def test_cached_scope_is_none_until_scope_for_then_the_same() -> None:
    personas = make_personas()
    user = personas.planner_almaty
    perm = "facilities.view_facility"
    assert user.cached_scope(perm) is None
    scope = user.scope_for(perm)
    assert user.cached_scope(perm) is scope
    assert user.cached_scope("incidents.view_incident") is None


def test_a_superuser_needs_no_query() -> None:
    from saqshy.accounts.models import User

    admin = User.objects.create_superuser("root-scope", password="x-very-long-pass-123")
    scope = admin.cached_scope("facilities.view_facility")
    assert scope is not None and scope.covers(None)
