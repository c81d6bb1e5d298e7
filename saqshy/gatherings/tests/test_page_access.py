"""The inherited page tests (``core.testing.pages``) for the mass event pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saqshy.accounts.models import Region
from saqshy.core.testing.pages import ScopedActionTests, ScopedPageTests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory


class GatheringPageTests(ScopedPageTests):
    model = Gathering
    list_url = "gatherings:list"
    detail_url = "gatherings:detail"

    def make_object(self, region: Region) -> Gathering:
        gathering: Gathering = GatheringFactory(venue=FacilityFactory(region=region))
        return gathering


class GatheringActionTests(ScopedActionTests):
    """Submit, approve, reject, cancel: 404 outside the scope, 403 without the role."""

    model = Gathering

    def make_object(self, region: Region) -> Gathering:
        gathering: Gathering = GatheringFactory(venue=FacilityFactory(region=region))
        return gathering

    def calls(self, obj: Any) -> list[tuple[str, dict[str, Any]]]:
        return [
            (reverse(f"api:gathering-{name}", args=[obj.pk]), {"reason": "x"})
            for name in ("submit", "approve", "reject", "cancel")
        ]
