"""The inherited page tests (``core.testing.pages``) for the pyrotechnics outlet pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saqshy.accounts.models import Region
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.pages import ScopedPageTests
from saqshy.pyrotechnics.models import Outlet
from saqshy.pyrotechnics.tests.factories import OutletFactory


class OutletPageTests(ScopedPageTests):
    model = Outlet
    list_url = "pyrotechnics:outlet-list"
    detail_url = "pyrotechnics:outlet-detail"
    create_url = "pyrotechnics:outlet-create"
    edit_url = "pyrotechnics:outlet-edit"

    def make_object(self, region: Region) -> Outlet:
        outlet: Outlet = OutletFactory(region=region)
        return outlet

    def form_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "kind": "retail",
            "name": "Salut kiosk",
            "operator": "IP Salut",
            "address": "Tole Bi St 5",
            "lat": lat + 0.003,
            "lon": lon,
            "certificate_number": "KZ.7500.99999",
            "certificate_expires": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
            "active": "True",
        }
