"""The roads API: segments, GeoJSON, rename with If-Match, close/reopen, the route's codes."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from saqshy.accounts.choices import AgencyKind
from saqshy.core.testing.personas import make_personas
from saqshy.roads.models import Closure, Segment
from saqshy.roads.tests.factories import make_network, person

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type=JSON, **extra)


def test_segments_geojson_and_rename_with_if_match(client) -> None:
    p = make_personas()
    roads = make_network(p.astana)
    client.force_login(p.dispatcher_astana)
    listed = client.get(reverse("api:roadsegment-list"), {"region": "astana"})
    assert listed.status_code == 200
    body = listed.json()
    rows = body.get("results", body)
    assert len(rows) == 4
    geo = client.get(reverse("api:roadsegment-geojson")).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 4
    assert geo["features"][0]["properties"]["status"] == "open"
    url = reverse("api:roadsegment-detail", args=[roads["2-4"].pk])
    # A dispatcher reads but may not rename.
    assert client.patch(url, json.dumps({"number": "M-36"}), content_type=JSON).status_code == 403
    client.force_login(p.planner_astana)
    etag = client.get(url)["ETag"]
    changed = client.patch(
        url,
        json.dumps(
            {"number": "M-36", "name": "Astana – Karaganda", "name_kk": "Астана – Қарағанды"}
        ),
        content_type=JSON,
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "M-36 Astana – Karaganda"
    stale = client.patch(url, json.dumps({"number": "A-1"}), content_type=JSON, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    bad = client.patch(url, json.dumps({"speed_kmh": "fast"}), content_type=JSON)
    assert bad.status_code == 400 and "speed_kmh" in bad.json()
    assert Segment.objects.get(pk=roads["2-4"].pk).number == "M-36"


def test_close_reopen_and_who_may(client) -> None:
    p = make_personas()
    roads = make_network(p.astana)
    url = reverse("api:roadclosure-list")
    body = {
        "segment": roads["2-4"].pk,
        "status": "closed",
        "reason": "blizzard",
        "expected_reopening_at": "2027-01-01T08:00:00+05:00",
    }
    for user in (p.dispatcher_astana, p.planner_astana, p.viewer_other_region):
        client.force_login(user)
        assert _post(client, url, body).status_code == 403, user.username
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", p.astana)
    client.force_login(officer)
    bad = _post(client, url, {**body, "reason": "aliens"})
    assert bad.status_code == 400 and "reason" in bad.json()
    restricted = _post(client, url, {**body, "status": "restricted"})
    assert restricted.status_code == 400 and "restriction" in restricted.json()
    created = _post(client, url, body, HTTP_IDEMPOTENCY_KEY="close-2-4")
    assert created.status_code == 201, created.content
    again = _post(client, url, body, HTTP_IDEMPOTENCY_KEY="close-2-4")
    assert again.json()["id"] == created.json()["id"]
    assert Closure.objects.count() == 1
    current = client.get(url, {"current": "true"}).json()
    rows = current.get("results", current)
    assert [r["segment"] for r in rows] == [roads["2-4"].pk]
    reopen = reverse("api:roadclosure-reopen", args=[created.json()["id"]])
    client.force_login(p.dispatcher_astana)
    assert _post(client, reopen, {}).status_code == 403
    client.force_login(officer)
    assert _post(client, reopen, {}).status_code == 200
    assert _post(client, reopen, {}).status_code == 409
    assert Segment.objects.get(pk=roads["2-4"].pk).status == "open"


def test_route_codes(client) -> None:
    p = make_personas()
    roads = make_network(p.astana)
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", None)
    client.force_login(officer)
    url = reverse("api:roadroute-list")
    ok = client.get(url, {"from": "Astana", "to": "Karaganda", "vehicle": "bus"})
    assert ok.status_code == 200 and ok.json()["kind"] == "route"
    assert ok.json()["km"] > 100 and ok.json()["roads"]
    for key in ("2-4", "3-4"):
        _post(
            client,
            reverse("api:roadclosure-list"),
            {"segment": roads[key].pk, "status": "closed", "reason": "blizzard"},
        )
    blocked = client.get(url, {"from": "Astana", "to": "Karaganda"})
    assert blocked.status_code == 409
    assert [b["segment"] for b in blocked.json()["blocking"]] == [roads["2-4"].pk]
    assert blocked.json()["reason"].startswith("Closed: Southern junction – Karaganda, blizzard")
    emergency = {"from": "Astana", "to": "Karaganda", "vehicle": "emergency"}
    assert client.get(url, emergency).status_code == 200
    # A separate road that joins nothing: not connected.
    Segment.objects.create(
        code="island",
        region=p.astana,
        from_node=90,
        to_node=91,
        from_place="Island A",
        to_place="Island B",
        geometry={"type": "LineString", "coordinates": [[80.0, 45.0], [80.5, 45.0]]},
        length_km=39.0,
    )
    assert client.get(url, {"from": "Astana", "to": "Island A"}).status_code == 422
    for query, field in (
        ({"to": "Karaganda"}, "from"),
        ({"from": "Nowhere", "to": "Karaganda"}, "from"),
        ({"from": "51.1,71.4", "to": "91,0"}, "to"),
        ({"from": "Astana", "to": "Karaganda", "vehicle": "tank"}, "vehicle"),
    ):
        bad = client.get(url, query)
        assert bad.status_code == 400 and field in bad.json(), query
    client.logout()
    assert client.get(url, {"from": "Astana", "to": "Karaganda"}).status_code in (401, 403)
