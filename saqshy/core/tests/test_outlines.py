"""A region's outline (and a district's, a venue's footprint) is read only where it is drawn:
listed regions and rows joined to them leave it unread, and an instance still gives it on
demand."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saqshy.accounts.models import Agency, District, Region
from saqshy.core.scoping import outlines_joined
from saqshy.core.testing.geography import box, make_region
from saqshy.facilities.models import Facility
from saqshy.gatherings.models import Gathering
from saqshy.incidents.models import Unit

pytestmark = pytest.mark.django_db


def _selected(captured: CaptureQueriesContext) -> list[str]:
    """The select lists of the captured statements (what each read, not what it filtered)."""
    return [query["sql"].split(" FROM ")[0] for query in captured.captured_queries]


def test_listed_regions_leave_their_outline_unread_and_give_it_on_demand() -> None:
    astana = make_region("astana")
    with CaptureQueriesContext(connection) as captured:
        listed = list(Region.objects.order_by("name_en"))
    assert listed == [astana]
    assert not any("boundary" in sql for sql in _selected(captured))
    with CaptureQueriesContext(connection) as captured:
        outline = listed[0].boundary
    assert outline == box(71.20, 50.95, 71.75, 51.35)
    assert len(captured) == 1
    with CaptureQueriesContext(connection) as captured:
        drawn = list(Region.objects.with_outlines())
        assert drawn[0].boundary == outline
    assert len(captured) == 1 and "boundary" in _selected(captured)[0]


def test_a_joined_region_district_or_venue_leaves_its_outline_unread() -> None:
    astana = make_region("astana")
    district = District.objects.create(
        region=astana, slug="esil", name_en="Esil", boundary=box(71.3, 51.0, 71.5, 51.2)
    )
    agency = Agency.objects.create(code="police-astana", kind="police", name_en="Police")
    Unit.objects.create(call_sign="P-1", kind="patrol_car", agency=agency, region=astana)
    venue = Facility.objects.create(
        kind="stadium", name="Arena", lat=51.1, lon=71.4, region=astana, district=district,
        footprint=box(71.39, 51.09, 71.41, 51.11),
    )  # fmt: skip
    assert outlines_joined(Facility, ["region", "district"]) == [
        "region__boundary",
        "district__boundary",
    ]
    assert outlines_joined(Gathering, ["venue__district", "region"]) == [
        "venue__footprint",
        "venue__district__boundary",
        "region__boundary",
    ]
    assert outlines_joined(Unit, ["agency"]) == []
    with CaptureQueriesContext(connection) as captured:
        unit = Unit.objects.select_related("agency", "region").get()
        place = Facility.objects.select_related("region", "district").get()
    assert unit.region.display_name == "Astana" and place.district is not None
    assert not any("boundary" in sql for sql in _selected(captured))
    # Code that draws it through the join still gets it.
    assert place.district.boundary == box(71.3, 51.0, 71.5, 51.2)
    assert place.footprint == venue.footprint
