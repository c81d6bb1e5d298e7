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


def test_every_permission_is_read_at_once(django_assert_num_queries: Any) -> None:
    personas = make_personas()
    user = personas.planner_almaty
    with django_assert_num_queries(2):  # the grants, then their roles' permissions
        facilities = user.scope_for("facilities.view_facility")
        user.scope_for("incidents.view_incident")
        user.scope_for("reports.view_report")
        user.scope_for("accounts.delete_region")
    assert not facilities.empty
    assert user.scope_for("accounts.delete_region").empty
    user.forget_scopes()
    assert user.cached_scope("facilities.view_facility") is None


def test_a_superuser_needs_no_query() -> None:
    from saqshy.accounts.models import User

    admin = User.objects.create_superuser("root-scope", password="x-very-long-pass-123")
    scope = admin.cached_scope("facilities.view_facility")
    assert scope is not None and scope.covers(None)


def test_the_same_scopes_as_one_query_per_permission() -> None:
    """Grants in several regions, one for all agencies of a role, one national: the map read
    at once answers what a query per permission answers."""
    from saqshy.accounts.models import Grant, User

    personas = make_personas()
    planner = personas.planner_almaty
    user = User.objects.create_user("several-grants", password="x-very-long-pass-123")
    for grant in planner.grants.all():
        Grant.objects.create(user=user, role=grant.role, agency=grant.agency, region=grant.region)
        Grant.objects.create(
            user=user, role=grant.role, agency=grant.agency, region=personas.astana
        )
    analyst = personas.analyst_national.grants.first()
    Grant.objects.create(user=user, role=analyst.role, agency=analyst.agency, region=None)
    user = User.objects.get(pk=user.pk)
    perms = [
        f"{p.content_type.app_label}.{p.codename}"
        for grant in user.grants.select_related("role")
        for p in grant.role.permissions.select_related("content_type")
    ] + ["accounts.delete_region"]
    for perm in perms:
        app_label, codename = perm.split(".")
        expected = {
            (region_id, None if all_agencies else agency_id)
            for region_id, agency_id, all_agencies in user.grants.filter(
                role__permissions__content_type__app_label=app_label,
                role__permissions__codename=codename,
            ).values_list("region_id", "agency_id", "role__all_agencies")
        }
        got = {(r.region_id, r.agency_id) for r in user.scope_for(perm).reaches}
        assert got == expected, perm
