"""The public side, without a login: the Atom feed of alerts in force, one stable XML per
alert, and ``queries.public_alerts`` for the public page."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from saqshy.alerts import cap, services
from saqshy.alerts.choices import MsgType
from saqshy.alerts.queries import public_alerts
from saqshy.alerts.tests.factories import infos, published
from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def people():
    return make_personas()


def test_feed_and_xml_need_no_login(people) -> None:
    alert = published(people.planner_astana, people.dispatcher_astana, people.astana)
    client = Client()
    response = client.get("/public/alerts.atom?lang=kk")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    [entry] = feed.findall("a:entry", ATOM)
    assert entry.findtext("a:title", namespaces=ATOM) == "Астана – Қарағанды жолында қатты боран"
    link = entry.find("a:link", ATOM).get("href")
    assert link.endswith("/public/alerts/kz.saqshy.astana.1.xml")
    xml = client.get(link)
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/cap+xml")
    assert xml.content.decode() == alert.xml
    assert cap.validate(xml.content) == []
    assert client.get("/public/alerts/nothing.xml").status_code == 404


def test_a_replaced_alert_leaves_the_feed_but_keeps_its_address(people) -> None:
    original = published(people.planner_astana, people.dispatcher_astana, people.astana)
    update = services.follow_up(
        acting_user=people.planner_astana,
        original=original,
        msg_type=MsgType.UPDATE,
        infos=infos(severity="Severe"),
    )
    services.submit(acting_user=people.planner_astana, alert=update)
    services.approve(acting_user=people.dispatcher_astana, alert=update)
    client = Client()
    feed = etree.fromstring(client.get("/public/alerts.atom").content)
    links = [e.find("a:link", ATOM).get("href") for e in feed.findall("a:entry", ATOM)]
    assert [link.rsplit("/", 1)[-1] for link in links] == [f"{update.identifier}.xml"]
    assert client.get(f"/public/alerts/{original.identifier}.xml").status_code == 200


def test_drafts_are_not_public(people) -> None:
    from saqshy.alerts.tests.factories import draft

    alert = draft(people.planner_astana, people.astana)
    assert Client().get(f"/public/alerts/{alert.identifier}.xml").status_code == 404
    assert public_alerts("ru") == []


def test_public_alerts_in_each_language_with_fallback(people) -> None:
    published(people.planner_astana, people.dispatcher_astana, people.astana)
    [kk] = public_alerts("kk")
    assert kk["headline"] == "Астана – Қарағанды жолында қатты боран"
    assert kk["severity"] == "Extreme" and kk["severity_colour"].startswith("#")
    assert kk["region_slug"] == "astana"
    assert kk["xml_url"] == "/public/alerts/kz.saqshy.astana.1.xml"
    assert len(kk["onset"]) == 16 and kk["onset"][2] == "." and kk["onset"][5] == "."
    assert set(kk) == {
        "identifier", "headline", "event", "description", "instruction", "severity",
        "severity_label", "severity_colour", "area", "onset", "expires", "xml_url", "region_slug",
    }  # fmt: skip
    [en] = public_alerts("en")
    assert en["event"] == "Blizzard"
    [de] = public_alerts("de")  # no German: Russian
    assert de["event"] == "Метель"
    assert public_alerts("ru", region="almaty") == []
    assert len(public_alerts("ru", region="astana")) == 1


def test_the_public_page_shows_neither_tests_nor_expired_alerts(people) -> None:
    from django.utils import timezone

    from saqshy.alerts.models import Alert

    published(people.planner_astana, people.dispatcher_astana, people.astana, status="Exercise")
    assert public_alerts("ru") == []
    real = published(people.planner_astana, people.dispatcher_astana, people.astana)
    assert [a["identifier"] for a in public_alerts("ru")] == [real.identifier]
    real.infos.update(expires=timezone.now())
    assert public_alerts("ru") == []
    # Both stay in force for the operators; a CAP Exercise is an exercise record, which the
    # public feed leaves out too (test_exercise.py).
    assert Alert.objects.filter(active=True).count() == 2


def test_a_received_alerts_xml_is_served_unchanged_at_its_address() -> None:
    from pathlib import Path

    from saqshy.alerts.ingest import ingest_bytes
    from saqshy.core.testing.geography import make_region

    make_region("astana")
    data = (Path(__file__).parent / "data" / "received.xml").read_bytes()
    [outcome] = ingest_bytes(data, source="test")
    assert outcome.action == "created", outcome.reason
    url = public_alerts("en")[0]["xml_url"]
    assert url == "/public/alerts/http://example.org/alert/1.xml"
    response = Client().get(url)
    assert response.status_code == 200 and response.content == data
    feed = etree.fromstring(Client().get("/public/alerts.atom?lang=en").content)
    [entry] = feed.findall("a:entry", ATOM)
    assert entry.findtext("a:title", namespaces=ATOM) == "Road closed near Astana"
