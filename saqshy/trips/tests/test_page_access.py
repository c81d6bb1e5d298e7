"""The inherited page tests (``core.testing.pages``) for the trip pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Region
from saqshy.core.testing.pages import ScopedActionTests, ScopedPageTests
from saqshy.trips.models import Trip
from saqshy.trips.tests.factories import TripFactory


class TripPageTests(ScopedPageTests):
    model = Trip
    list_url = "trips:list"
    detail_url = "trips:detail"

    def make_object(self, region: Region) -> Trip:
        trip: Trip = TripFactory(region=region)
        return trip


class TripActionTests(ScopedActionTests):
    """Submit, approve, reject, cancel, reopen: 404 outside the scope, 403 without the role."""

    model = Trip

    def make_object(self, region: Region) -> Trip:
        trip: Trip = TripFactory(region=region)
        return trip

    def calls(self, obj: Any) -> list[tuple[str, dict[str, Any]]]:
        return [
            (reverse(f"api:trip-{name}", args=[obj.pk]), {"reason": "x"})
            for name in ("submit", "approve", "reject", "cancel", "reopen")
        ]
