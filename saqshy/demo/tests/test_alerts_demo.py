"""The demo's blizzard alert: three languages, valid CAP, author and approver differ, and a
second run adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone
from lxml import etree

from saqshy.alerts import cap
from saqshy.alerts.models import Alert
from saqshy.alerts.queries import public_alerts
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import make_personas
from saqshy.demo.alerts import load_alerts
from saqshy.roads.tests.factories import make_network

pytestmark = pytest.mark.django_db


def test_the_blizzard_alert_is_published_once_in_three_languages() -> None:
    p = make_personas()
    network = make_network(p.astana)
    at = timezone.now().replace(second=0, microsecond=0)  # in force now, for public_alerts
    lines: list[str] = []
    result = load_alerts(
        region=p.astana,
        author=p.planner_astana,
        approver=p.dispatcher_astana,
        segments=[network["1-2"], network["2-4"]],
        at=at,
        say=lines.append,
    )
    alert = result.alert
    assert result.created and alert.state == "published" and alert.active
    assert alert.author == p.planner_astana and alert.approver == p.dispatcher_astana
    assert alert.sent == at
    assert cap.validate(alert.xml.encode()) == []
    root = etree.fromstring(alert.xml.encode())
    ns = {"c": cap.CAP12}
    assert [e.text for e in root.findall("c:info/c:language", ns)] == ["kk-KZ", "ru-KZ", "en-US"]
    assert root.findtext("c:info/c:area/c:areaDesc", namespaces=ns) == "Астана – Қарағанды тас жолы"
    assert len(root.findall("c:info[1]/c:area/c:polygon", ns)) == 2
    assert root.findtext("c:info/c:severity", namespaces=ns) == "Extreme"
    entries = AuditEntry.objects.count()
    again = load_alerts(
        region="astana",
        author=p.planner_astana,
        approver=p.dispatcher_astana,
        segments=[network["1-2"]],
        at=at,
        say=lines.append,
    )
    assert not again.created and again.alert == alert
    assert Alert.objects.count() == 1 and AuditEntry.objects.count() == entries
    [kk] = public_alerts("kk", region="astana")
    assert kk["headline"].startswith("Астана – Қарағанды тас жолында")
    assert kk["area"] == "Астана – Қарағанды тас жолы"
