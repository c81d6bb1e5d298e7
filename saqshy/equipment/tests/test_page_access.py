"""The inherited page tests (``core.testing.pages``) for the hydrant pages."""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.pages import ScopedPageTests
from saqshy.equipment.models import Hydrant
from saqshy.equipment.tests.factories import HydrantFactory


class HydrantPageTests(ScopedPageTests):
    model = Hydrant
    writer = "inspector_almaty"
    list_user = "inspector_almaty"
    list_url = "equipment:hydrant-list"
    detail_url = "equipment:hydrant-detail"
    create_url = "equipment:hydrant-create"
    edit_url = "equipment:hydrant-edit"

    def make_object(self, region: Region) -> Hydrant:
        hydrant: Hydrant = HydrantFactory(region=region)
        return hydrant

    def form_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "code": "H-900",
            "kind": "underground",
            "lat": lat + 0.002,
            "lon": lon,
            "address": "Abay Ave 10",
            "notes": "Behind the kiosk",
        }
