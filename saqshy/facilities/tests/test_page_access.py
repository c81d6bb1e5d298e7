"""The inherited page tests (``core.testing.pages``) for the facility pages."""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.pages import ScopedPageTests
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory


class FacilityPageTests(ScopedPageTests):
    model = Facility
    list_url = "facilities:list"
    detail_url = "facilities:detail"
    create_url = "facilities:create"
    edit_url = "facilities:edit"

    def make_object(self, region: Region) -> Facility:
        facility: Facility = FacilityFactory(region=region)
        return facility

    def form_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "kind": "mall",
            "name": "Mega Park",
            "address": "Makataev St 117",
            "lat": lat + 0.01,
            "lon": lon,
            "capacity": 5000,
            "operator": "Mega",
            "exits": 6,
        }
