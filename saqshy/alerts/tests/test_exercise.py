"""Exercise alerts: written with ``is_exercise`` (or in an exercise), CAP status Exercise, may
be approved, and never reach the public page, the Atom feed or the public XML address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree
from rest_framework.test import APIClient

from saqshy.alerts import services
from saqshy.alerts.choices import CapStatus, MsgType, State
from saqshy.alerts.models import Alert
from saqshy.alerts.queries import map_features, public_alerts
from saqshy.alerts.tests.factories import infos, published
from saqshy.core.context import exercise
from saqshy.core.testing.personas import Personas, make_personas

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _public_identifiers() -> dict[str, Any]:
    client = Client()
    feed = etree.fromstring(client.get("/public/alerts.atom").content)
    page = client.get("/public/").content.decode()
    return {
        "feed": [
            e.find("a:link", ATOM).get("href").rsplit("/", 1)[-1].removesuffix(".xml")
            for e in feed.findall("a:entry", ATOM)
        ],
        "page": page,
        "api": [a["identifier"] for a in public_alerts("ru")],
    }


def test_an_approved_exercise_alert_is_never_public(p: Personas) -> None:
    real = published(p.planner_astana, p.dispatcher_astana, p.astana)
    with exercise():
        drill = published(p.planner_astana, p.dispatcher_astana, p.astana)
    assert drill.is_exercise and drill.state == State.PUBLISHED and drill.active
    assert drill.status == CapStatus.EXERCISE
    assert "<status>Exercise</status>" in drill.xml

    public = _public_identifiers()
    assert public["feed"] == [real.identifier]
    assert public["api"] == [real.identifier]
    assert real.identifier in public["page"] or "Сильная метель" in public["page"]
    assert drill.identifier not in public["page"]
    client = Client()
    assert client.get(f"/public/alerts/{real.identifier}.xml").status_code == 200
    assert client.get(f"/public/alerts/{drill.identifier}.xml").status_code == 404

    # The operators still see it on their map, marked.
    marked = {f["properties"]["identifier"]: f["properties"]["is_exercise"] for f in
              map_features(p.admin, "ru")}  # fmt: skip
    assert marked == {real.identifier: False, drill.identifier: True}


def test_a_follow_up_of_an_exercise_alert_is_an_exercise_alert(p: Personas) -> None:
    with exercise():
        drill = published(p.planner_astana, p.dispatcher_astana, p.astana)
    update = services.follow_up(
        acting_user=p.planner_astana, original=drill, msg_type=MsgType.UPDATE
    )
    assert update.is_exercise and update.status == CapStatus.EXERCISE


def test_the_api_creates_an_exercise_alert_on_request(p: Personas) -> None:
    client = APIClient()
    client.force_authenticate(p.planner_astana)
    texts = [{**info, "onset": info["onset"].isoformat(), "expires": info["expires"].isoformat()}
             for info in infos()]  # fmt: skip
    body = {"region": "astana", "infos": texts, "areas": [{"kind": "region", "region": "astana"}]}
    made = client.post("/api/alerts/", {**body, "is_exercise": True}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["is_exercise"] is True
    assert made.json()["status"] == CapStatus.EXERCISE
    real = client.post("/api/alerts/", body, format="json")
    assert real.status_code == 201, real.content
    assert real.json()["is_exercise"] is False
    assert Alert.objects.filter(is_exercise=True).count() == 1
    refused = client.post("/api/alerts/", {**body, "is_exercise": "maybe"}, format="json")
    assert refused.status_code == 400
    assert "is_exercise" in refused.json()
