"""``User.cached_scope``: the live socket decides without a query only what ``scope_for``
would decide, and asks (None) until the user's grants have been read."""

from __future__ import annotations

from typing import Any

import pytest

from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db


def test_cached_scope_is_none_until_scope_for_then_the_same() -> None:
    personas = make_personas()
    user = personas.planner_almaty
    perm = "facilities.view_facility"
    assert user.cached_scope(perm) is None
    scope = user.scope_for(perm)
    assert not scope.empty
    assert user.cached_scope(perm) is scope
    # One read of the grants answers every permission, held or not.
    assert user.cached_scope("incidents.view_incident") == user.scope_for("incidents.view_incident")
    assert user.cached_scope("accounts.delete_region") == user.scope_for("accounts.delete_region")
    assert user.scope_for("accounts.delete_region").empty


def test_every_permission_is_read_in_one_query(django_assert_num_queries: Any) -> None:
    personas = make_personas()
    user = personas.planner_almaty
    with django_assert_num_queries(1):
        scopes = user.scopes_for(["facilities.view_facility", "incidents.view_incident"])
        user.scope_for("reports.view_report")
        user.scope_for("accounts.delete_region")
    assert not scopes["facilities.view_facility"].empty
    user.forget_scopes()
    assert user.cached_scope("facilities.view_facility") is None


def test_a_superuser_needs_no_query() -> None:
    from saqshy.accounts.models import User

    admin = User.objects.create_superuser("root-scope", password="x-very-long-pass-123")
    scope = admin.cached_scope("facilities.view_facility")
    assert scope is not None and scope.covers(None)
