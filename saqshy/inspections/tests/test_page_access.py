"""The inherited page tests (``core.testing.pages``) for the violations list."""

from __future__ import annotations

from saqshy.accounts.models import Region
from saqshy.core.testing.pages import ScopedPageTests
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.inspections.models import Violation
from saqshy.inspections.tests.factories import InspectionFactory, ViolationFactory


class ViolationPageTests(ScopedPageTests):
    model = Violation
    writer = "inspector_almaty"
    list_user = "inspector_almaty"
    list_url = "inspections:violations"

    def make_object(self, region: Region) -> Violation:
        inspection = InspectionFactory(facility=FacilityFactory(region=region))
        violation: Violation = ViolationFactory(inspection=inspection)
        return violation
