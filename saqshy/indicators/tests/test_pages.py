"""The indicator pages and API: scope (a regional user sees only their region), the national
roll-up, last year's figures, bad parameters, and the analyst's home page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from saqshy.core.indicators import local_day
from saqshy.core.testing.geography import box
from saqshy.core.testing.personas import make_personas
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.inspections.tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 20)
LAST_YEAR = dt.date(2025, 12, 20)


@pytest.fixture
def p() -> Any:
    personas = make_personas()
    for venue_region, days in ((personas.almaty, [DAY, DAY, LAST_YEAR]), (personas.astana, [DAY])):
        venue = FacilityFactory(region=venue_region)
        for day in days:
            InspectionFactory(facility=venue, inspected_on=day)
    return personas


def blob(response: Any, name: str) -> Any:
    match = re.search(
        rf'<script id="{name}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, name
    return json.loads(match.group(1))


def test_national_map_for_the_analyst(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    response = client.get(
        reverse("indicators:national"),
        {"indicator": "inspections", "from": "20.12.2026", "to": "2026-12-20"},
    )
    assert response.status_code == 200
    data = blob(response, "indicator-map-data")
    shown = {row["name"]: row["shown"] for row in data["regions"]}
    assert shown == {"Almaty": 2, "Astana": 1, "Shymkent": 0}
    assert all(row["visible"] for row in data["regions"])
    page = response.content.decode()
    assert "Whole country" in page
    assert "inspections</" not in page  # labels, not codes
    assert "20.12.2026" in page


def test_a_regional_user_sees_only_their_region(client: Any, p: Any) -> None:
    client.force_login(p.inspector_almaty)
    response = client.get(
        reverse("indicators:national"), {"indicator": "inspections", "to": "20.12.2026"}
    )
    assert response.status_code == 200
    data = blob(response, "indicator-map-data")
    rows = {row["name"]: row for row in data["regions"]}
    assert rows["Almaty"]["visible"] and rows["Almaty"]["shown"] == 2
    assert not rows["Astana"]["visible"] and rows["Astana"]["shown"] is None
    assert rows["Astana"]["url"] == ""
    assert "Your regions" in response.content.decode()
    # Another region's page is a 404, the API leaves it out.
    assert client.get(reverse("indicators:region"), {"region": "astana"}).status_code == 404
    answer = client.get(
        "/api/indicators/", {"codes": "inspections", "from": "2026-12-20", "to": "2026-12-20"}
    ).json()
    assert [r["region"] for r in answer["indicators"][0]["regions"]] == ["almaty"]
    assert answer["indicators"][0]["national"] is None


def test_no_grants_is_forbidden(client: Any, p: Any) -> None:
    client.force_login(p.no_grants)
    assert client.get(reverse("indicators:national")).status_code == 403
    assert client.get(reverse("indicators:chart", args=["inspections"])).status_code == 403


def test_region_cards_with_last_year(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    response = client.get(reverse("indicators:region"), {"region": "almaty", "date": "2026-12-20"})
    assert response.status_code == 200
    cards = {card["indicator"].code: card for card in response.context["cards"]}
    assert cards["inspections"]["text"] == "2"
    assert cards["inspections"]["last_year"] == "1"
    assert cards["drills"]["last_year"] is None
    assert "no records" in response.content.decode()
    national = client.get(reverse("indicators:region"), {"date": "20.12.2026"})
    assert national.status_code == 200
    cards = {card["indicator"].code: card for card in national.context["cards"]}
    assert cards["inspections"]["text"] == "3"


def test_chart_with_last_year_series_and_a_limit(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    url = reverse("indicators:chart", args=["inspections"])
    response = client.get(url, {"region": "almaty", "from": "19.12.2026", "to": "20.12.2026"})
    assert response.status_code == 200
    chart = blob(response, "indicator-chart-data")
    assert chart["labels"] == ["19.12.2026", "20.12.2026"]
    assert chart["series"][0]["data"] == [0, 2]
    assert chart["series"][1]["data"] == [None, 1]
    national = blob(
        client.get(url, {"from": "20.12.2026", "to": "20.12.2026"}), "indicator-chart-data"
    )
    assert national["series"][0]["data"] == [3]
    too_long = client.get(url, {"from": "01.01.2026", "to": "20.12.2026"})
    assert too_long.status_code == 400
    assert "At most" in too_long.content.decode() or "at most" in too_long.content.decode()
    assert client.get(reverse("indicators:chart", args=["nothing"])).status_code == 404


def test_api_figures_and_bad_parameters(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    answer = client.get(
        "/api/indicators/",
        {"codes": "inspections,events_secured", "from": "2026-12-19", "to": "2026-12-20"},
    )
    assert answer.status_code == 200
    body = answer.json()
    inspections = body["indicators"][0]
    assert inspections["code"] == "inspections" and inspections["unit"] == "count"
    almaty = next(r for r in inspections["regions"] if r["region"] == "almaty")
    assert [d["value"] for d in almaty["days"]] == [0, 2]
    assert [d["value"] for d in inspections["national"]] == [0, 3]
    assert body["indicators"][1]["unit"] == "share"
    for params, field in (
        ({"codes": "nope"}, "codes"),
        ({"from": "31.02.2026"}, "from"),
        ({"from": "2026-01-01", "to": "2026-12-20"}, "to"),
        ({"region": "atlantis"}, "region"),
    ):
        bad = client.get("/api/indicators/", params)
        assert bad.status_code == 400, params
        assert field in bad.json(), bad.json()
    schema = client.get("/api/schema/").content.decode()
    assert "/api/indicators/" in schema


def test_boundaries_are_simplified_geojson(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    p.almaty.boundary = {"type": "Feature", "geometry": box(76.7, 43.05, 77.2, 43.45)}
    p.almaty.save()
    shapes = client.get(reverse("indicators:boundaries")).json()
    assert shapes["type"] == "FeatureCollection"
    almaty = next(f for f in shapes["features"] if f["properties"]["slug"] == "almaty")
    assert almaty["geometry"]["type"] == "Polygon"


def test_commission_roles_land_on_the_national_view(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:national")


def test_window_is_local_days() -> None:
    start, end = local_day(DAY)
    assert (end - start) == dt.timedelta(days=1)


def test_bad_page_parameters(client: Any, p: Any) -> None:
    client.force_login(p.analyst_national)
    region = reverse("indicators:region")
    assert client.get(region, {"region": "atlantis"}).status_code == 404
    bad_day = client.get(region, {"region": "almaty", "date": "32.12.2026"})
    assert bad_day.status_code == 400
    assert "dd.mm.yyyy" in bad_day.content.decode()
    chart = reverse("indicators:chart", args=["inspections"])
    assert client.get(chart, {"region": "atlantis"}).status_code == 404
    backwards = client.get(chart, {"from": "20.12.2026", "to": "19.12.2026"})
    assert backwards.status_code == 400
    national = reverse("indicators:national")
    assert client.get(national, {"indicator": "nothing"}).status_code == 404
    assert client.get(national, {"from": "yesterday"}).status_code == 400
