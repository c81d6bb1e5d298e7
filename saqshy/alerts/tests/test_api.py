"""The API: write a draft, submit, approve by another person, update, cancel; bad input is
a 400 naming the field; scope holds."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from saqshy.alerts import cap
from saqshy.alerts.tests.factories import infos
from saqshy.core.testing.personas import make_personas
from saqshy.roads.tests.factories import make_segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_personas()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(segment_id: int) -> dict:
    texts = infos()
    for info in texts:
        info["onset"] = info["onset"].isoformat()
        info["expires"] = info["expires"].isoformat()
    return {
        "region": "astana",
        "infos": texts,
        "areas": [
            {"kind": "segment", "segment": segment_id},
            {"kind": "region", "region": "astana"},
            {
                "kind": "drawn",
                "polygon": [[71.3, 51.0], [71.5, 51.0], [71.5, 51.2]],
                "area_desc": "Qosshy",
            },
        ],
    }


def test_write_submit_approve_update_cancel(people) -> None:
    segment = make_segment(1, 2, people.astana)
    author, approver = client_for(people.planner_astana), client_for(people.dispatcher_astana)
    created = author.post("/api/alerts/", body(segment.pk), format="json")
    assert created.status_code == 201, created.content
    alert = created.json()
    assert alert["state"] == "draft" and len(alert["infos"]) == 3 and len(alert["areas"]) == 3
    url = f"/api/alerts/{alert['id']}/"
    preview = author.get(url + "xml/")
    assert preview.status_code == 200 and cap.validate(preview.content) == []
    assert author.post(url + "submit/").status_code == 200
    assert author.post(url + "approve/").status_code == 403  # the author
    approved = approver.post(url + "approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "published"
    assert approved.json()["xml_url"] == f"/public/alerts/{alert['identifier']}.xml"
    update = author.post(url + "update/", {"infos": body(segment.pk)["infos"]}, format="json")
    assert update.status_code == 201, update.content
    new = update.json()
    assert new["references"] == alert["identifier"] and new["msg_type"] == "Update"
    assert len(new["areas"]) == 3  # the original's areas kept
    new_url = f"/api/alerts/{new['id']}/"
    author.post(new_url + "submit/")
    assert approver.post(new_url + "approve/").status_code == 200
    assert author.get(url).json()["active"] is False
    cancel = author.post(new_url + "cancel/", {}, format="json")
    assert cancel.status_code == 201 and cancel.json()["msg_type"] == "Cancel"
    listed = author.get("/api/alerts/?state=published&active=true").json()
    identifiers = [row["identifier"] for row in listed["results"]]
    assert identifiers == [new["identifier"]]
    assert author.get("/api/alerts/map/").json()["features"]


def test_bad_input_is_a_400_naming_the_field(people) -> None:
    segment = make_segment(1, 2, people.astana)
    author = client_for(people.planner_astana)
    data = body(segment.pk)
    data["infos"][0]["severity"] = "Apocalyptic"
    data["areas"][0] = {"kind": "segment"}
    response = author.post("/api/alerts/", data, format="json")
    assert response.status_code == 400
    assert "severity" in str(response.json()["infos"]), response.json()
    data = body(segment.pk)
    data["areas"] = [{"kind": "segment"}]
    response = author.post("/api/alerts/", data, format="json")
    assert response.status_code == 400 and "segment" in response.json()
    data = body(segment.pk)
    data["areas"] = [{"kind": "drawn", "polygon": [[71, 51], [72, 51]], "area_desc": "x"}]
    response = author.post("/api/alerts/", data, format="json")
    assert response.status_code == 400 and "polygon" in response.json()
    data = body(segment.pk)
    data["infos"][1]["headline"] = "bad\x00"
    response = author.post("/api/alerts/", data, format="json")
    assert response.status_code in (201, 400)
    assert author.post("/api/alerts/", {"region": "astana"}, format="json").status_code == 400


def test_scope_holds(people) -> None:
    segment = make_segment(1, 2, people.astana)
    created = client_for(people.planner_astana).post(
        "/api/alerts/", body(segment.pk), format="json"
    )
    other = client_for(people.planner_almaty)
    assert other.get("/api/alerts/").json()["results"] == []
    assert other.post(f"/api/alerts/{created.json()['id']}/submit/").status_code == 404
    assert other.post("/api/alerts/", body(segment.pk), format="json").status_code == 403
