"""Authoring, approval and publication: every published alert is valid CAP 1.2; the author
cannot approve; an update or a cancellation replaces the original."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree

from saqshy.alerts import cap, services
from saqshy.alerts.choices import MsgType, State
from saqshy.alerts.models import Alert
from saqshy.alerts.tests.factories import draft, infos, published
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db

NS = {"cap": cap.CAP12}


@pytest.fixture
def people():
    return make_personas()


def test_a_published_alert_validates_against_the_oasis_schema(people) -> None:
    alert = published(people.planner_astana, people.dispatcher_astana, people.astana)
    assert alert.state == State.PUBLISHED and alert.active
    assert alert.identifier == "kz.saqshy.astana.1"
    assert cap.validate(alert.xml.encode()) == []
    root = etree.fromstring(alert.xml.encode())
    assert [e.text for e in root.findall("cap:info/cap:language", NS)] == [
        "kk-KZ",
        "ru-KZ",
        "en-US",
    ]
    assert root.findtext("cap:scope", namespaces=NS) == "Public"
    polygon = root.findtext("cap:info/cap:area/cap:polygon", namespaces=NS)
    points = polygon.split(" ")
    assert points[0] == points[-1] and len(points) >= 4
    lat, lon = map(float, points[0].split(","))
    assert 49 < lat < 52 and 70 < lon < 74  # lat,lon order, near the road


def test_the_author_cannot_approve_their_own_alert(people) -> None:
    alert = draft(people.planner_astana, people.astana)
    services.submit(acting_user=people.planner_astana, alert=alert)
    with pytest.raises(PermissionDenied):
        services.approve(acting_user=people.planner_astana, alert=alert)
    alert.refresh_from_db()
    assert alert.state == State.SUBMITTED and alert.approver is None and alert.xml == ""


def test_a_draft_is_not_published_without_submission(people) -> None:
    alert = draft(people.planner_astana, people.astana)
    with pytest.raises(Conflict):
        services.approve(acting_user=people.dispatcher_astana, alert=alert)


def test_an_invalid_alert_is_refused_with_the_schema_message(people, monkeypatch) -> None:
    alert = draft(people.planner_astana, people.astana)
    services.submit(acting_user=people.planner_astana, alert=alert)
    Alert.objects.filter(pk=alert.pk).update(status="Rumour")  # not in the CAP code list
    alert.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.approve(acting_user=people.dispatcher_astana, alert=alert)
    assert "status" in str(refused.value.message_dict["xml"])
    alert.refresh_from_db()
    assert alert.state == State.SUBMITTED and alert.xml == ""


def test_an_update_replaces_the_original_and_refers_to_it(people) -> None:
    original = published(people.planner_astana, people.dispatcher_astana, people.astana)
    update = services.follow_up(
        acting_user=people.planner_astana,
        original=original,
        msg_type=MsgType.UPDATE,
        infos=infos(severity="Severe"),
    )
    original.refresh_from_db()
    assert original.active  # still in force until the update is published
    services.submit(acting_user=people.planner_astana, alert=update)
    services.approve(acting_user=people.dispatcher_astana, alert=update)
    original.refresh_from_db()
    update.refresh_from_db()
    assert not original.active and original.superseded_by == update
    assert update.active and cap.validate(update.xml.encode()) == []
    root = etree.fromstring(update.xml.encode())
    assert root.findtext("cap:msgType", namespaces=NS) == "Update"
    assert root.findtext("cap:references", namespaces=NS) == original.cap_reference
    _sender, identifier, sent = original.cap_reference.split(",")
    assert identifier == original.identifier and sent.startswith(str(original.sent.year))


def test_a_cancellation_leaves_nothing_active(people) -> None:
    original = published(people.planner_astana, people.dispatcher_astana, people.astana)
    cancel = services.follow_up(
        acting_user=people.planner_astana, original=original, msg_type=MsgType.CANCEL
    )
    services.submit(acting_user=people.planner_astana, alert=cancel)
    services.approve(acting_user=people.dispatcher_astana, alert=cancel)
    assert not Alert.objects.filter(active=True).exists()
    cancel.refresh_from_db()
    assert cap.validate(cancel.xml.encode()) == []
    with pytest.raises(Conflict):
        services.follow_up(
            acting_user=people.planner_astana, original=original, msg_type=MsgType.UPDATE
        )


def test_bad_input_names_the_field(people) -> None:
    bad = infos()
    bad[0]["severity"] = "Catastrophic"
    bad[1]["headline"] = ""
    with pytest.raises(ValidationError) as refused:
        draft(people.planner_astana, people.astana, infos=bad)
    assert set(refused.value.message_dict) == {"kk.severity", "ru.headline"}
    import datetime as dt

    from django.utils import timezone

    far = infos(onset=timezone.make_aware(dt.datetime(9000, 1, 1, 12)))
    with pytest.raises(ValidationError) as refused:
        draft(people.planner_astana, people.astana, infos=far)
    assert "en.onset" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.drawn_area([[71, 51], [72, 51]], "Here")
    assert "polygon" in refused.value.message_dict


def test_another_region_cannot_author(people) -> None:
    with pytest.raises(PermissionDenied):
        draft(people.planner_almaty, people.astana)
