"""Users with the trip roles the personas do not have."""

from __future__ import annotations

from saqshy.accounts.models import Grant, Region, Role, User
from saqshy.trips.tests.factories import agency


def user_with_role(username: str, role: str, region: Region, kind: str = "police") -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    Grant.objects.create(
        user=user, agency=agency(region, kind), role=Role.objects.get(slug=role), region=region
    )
    return user
