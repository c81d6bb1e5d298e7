"""``/api/routing/route`` on the Astana road network built from the committed bundle."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db

BAITEREK = "51.12825,71.43053"
KHAN_SHATYR = "51.13250,71.40360"


@pytest.fixture
def api(settings, tmp_path) -> Client:
    settings.VAR_DIR = tmp_path
    from saqshy.demo import loader

    loader.load_regions()
    make_personas()
    client = Client()
    client.login(username="dispatcher_astana", password="pw-dispatcher_astana")
    return client


def test_route_by_time_and_by_distance(api: Client, tmp_path) -> None:
    url = reverse("api:route")
    fast = api.get(url, {"from": BAITEREK, "to": KHAN_SHATYR}).json()
    short = api.get(url, {"from": BAITEREK, "to": KHAN_SHATYR, "metric": "distance"}).json()
    assert fast["region"] == "astana"
    assert fast["geometry"]["type"] == "LineString" and len(fast["geometry"]["coordinates"]) > 2
    assert 1000 < short["meters"] <= fast["meters"] < 10000
    assert fast["seconds"] <= short["seconds"]
    assert (tmp_path / "graphs" / "astana.npz").exists(), "the graph is stored for reuse"
    back = api.get(url, {"from": KHAN_SHATYR, "to": BAITEREK, "metric": "distance"}).json()
    assert back["meters"] > 0


def test_far_from_any_road_and_bad_input(api: Client) -> None:
    url = reverse("api:route")
    far = api.get(url, {"from": BAITEREK, "to": "51.30,71.10", "region": "astana"})
    assert far.status_code == 422
    assert "nearest road" in far.json()["detail"]
    assert api.get(url, {"from": "0,0", "to": BAITEREK}).status_code == 422
    bad = api.get(url, {"from": "north", "to": BAITEREK})
    assert bad.status_code == 400 and "from" in bad.json()
    assert "to" in api.get(url, {"from": BAITEREK}).json()
    assert api.get(url, {"from": BAITEREK, "to": KHAN_SHATYR, "metric": "x"}).status_code == 400


def test_anonymous_is_refused(api: Client) -> None:
    assert (
        Client().get(reverse("api:route"), {"from": BAITEREK, "to": KHAN_SHATYR}).status_code == 401
    )


def test_stored_graph_keeps_its_hierarchy_order(api: Client, tmp_path) -> None:
    """The graph file holds the CCH contraction order; an older file without one gets it
    added on first load, and routes are the same either way."""
    from saqshy.accounts import roads
    from saqshy.algorithms.routing import RoadGraph

    url = reverse("api:route")
    first = api.get(url, {"from": BAITEREK, "to": KHAN_SHATYR}).json()
    path = tmp_path / "graphs" / "astana.npz"
    stored = RoadGraph.load(path)
    assert stored.cch_order is not None
    assert sorted(stored.cch_order.tolist()) == list(range(stored.node_count))
    # Rewrite it as an older build would have: no order.
    old = RoadGraph(**{**stored.__dict__, "cch_order": None})
    old.save(path)
    assert RoadGraph.load(path).cch_order is None
    roads._cache.clear()
    again = api.get(url, {"from": BAITEREK, "to": KHAN_SHATYR}).json()
    assert again["seconds"] == first["seconds"] and again["geometry"] == first["geometry"]
    assert RoadGraph.load(path).cch_order is not None


def test_a_region_without_a_grant_is_refused(api: Client) -> None:
    """A user granted only in Shymkent gets no route in Astana, named or found by the point."""
    viewer = Client()
    viewer.login(username="viewer_other_region", password="pw-viewer_other_region")
    url = reverse("api:route")
    by_point = viewer.get(url, {"from": BAITEREK, "to": KHAN_SHATYR})
    assert by_point.status_code == 403
    assert "grant" in by_point.json()["detail"]
    named = viewer.get(url, {"from": BAITEREK, "to": KHAN_SHATYR, "region": "astana"})
    assert named.status_code == 403
    analyst = Client()
    analyst.login(username="analyst_national", password="pw-analyst_national")
    assert analyst.get(url, {"from": BAITEREK, "to": KHAN_SHATYR}).status_code == 200
