"""Receive other agencies' CAP alerts: CAP 1.2 and 1.1, alone, inside Atom feeds or inside
EDXL-DE envelopes; updates and cancellations applied by ``<references>``.

Untrusted XML is read only through ``cap.safe_parse``: no document type declaration, no
entity (internal or external), no DTD, no network, at most ``cap.MAX_BYTES``. A refused
document changes nothing. A CAP 1.2 alert must be valid against the OASIS schema (refused
with the schema's message otherwise); a CAP 1.1 alert (no schema bundled) must carry the
elements CAP requires. Each alert found gives one ``Outcome``: created, updated, cancelled,
refused (with the reason) or skipped (already received, or an index entry whose full alert
is only linked and could not be fetched).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from lxml import etree

from saqshy.accounts.models import Region
from saqshy.alerts import cap, services
from saqshy.alerts.choices import (
    AreaKind,
    CapStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)
from saqshy.alerts.models import Alert
from saqshy.algorithms import cap_areas

ATOM = "http://www.w3.org/2005/Atom"
EDXL_DE = "urn:oasis:names:tc:emergency:EDXL:DE:1.0"
FETCH_TIMEOUT_S = 20
CREATED, UPDATED, CANCELLED, REFUSED, SKIPPED = (
    "created",
    "updated",
    "cancelled",
    "refused",
    "skipped",
)
ACTIONS = (CREATED, UPDATED, CANCELLED, REFUSED, SKIPPED)
LIMITS = {"event": 255, "headline": 255, "contact": 255, "web": 500, "area_desc": 500}


@dataclass
class Outcome:
    """What happened to one alert (or to a whole document that was refused)."""

    action: str
    identifier: str
    reason: str = ""
    alert: Alert | None = None

    def line(self) -> str:
        return f"{self.action}: {self.identifier}" + (f" ({self.reason})" if self.reason else "")


Fetch = Callable[[str], bytes]


def fetch_url(url: str) -> bytes:
    """GET ``url`` (http or https only) with a timeout, refusing more than ``MAX_BYTES``."""
    if not url.lower().startswith(("http://", "https://")):
        raise cap.CapError("only http and https addresses are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "Saqshy CAP ingest"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:  # noqa: S310
        data: bytes = response.read(cap.MAX_BYTES + 1)
    if len(data) > cap.MAX_BYTES:
        raise cap.CapError(f"the document is larger than {cap.MAX_BYTES} bytes")
    return data


def ingest_source(source: str, *, region: Region | None = None) -> list[Outcome]:
    """Read a file path or an http(s) address (linked alerts of an index feed are fetched
    too, for addresses only)."""
    if source.lower().startswith(("http://", "https://")):
        try:
            data = fetch_url(source)
        except (OSError, cap.CapError) as error:
            return [Outcome(REFUSED, source, f"cannot fetch: {error}")]
        return ingest_bytes(data, source=source, fetch=fetch_url, region=region)
    path = Path(source)
    try:
        if path.stat().st_size > cap.MAX_BYTES:
            return [Outcome(REFUSED, source, f"the document is larger than {cap.MAX_BYTES} bytes")]
        data = path.read_bytes()
    except OSError as error:
        return [Outcome(REFUSED, source, f"cannot read: {error.strerror or error}")]
    return ingest_bytes(data, source=source, region=region)


def ingest_bytes(
    data: bytes, *, source: str, fetch: Fetch | None = None, region: Region | None = None
) -> list[Outcome]:
    """Ingest every alert in ``data`` (an alert, an Atom feed or an EDXL-DE envelope)."""
    try:
        root = cap.safe_parse(data)
    except cap.CapError as error:
        return [Outcome(REFUSED, source, str(error))]
    namespace, name = _qname(root)
    if name == "alert" and namespace in cap.CAP_NAMESPACES:
        return [ingest_alert(root, source=source, region=region, original=data)]
    if namespace == ATOM and name == "feed":
        return _ingest_feed(root, source=source, fetch=fetch, region=region)
    alerts = _alerts_within(root)
    if namespace == EDXL_DE or alerts:
        if not alerts:
            return [Outcome(REFUSED, source, "the envelope carries no CAP alert")]
        return [ingest_alert(alert, source=source, region=region) for alert in alerts]
    return [Outcome(REFUSED, source, "not a CAP alert, an Atom feed or an EDXL-DE envelope")]


def _qname(element: Any) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _alerts_within(root: Any) -> list[Any]:
    return [
        element
        for namespace in cap.CAP_NAMESPACES
        for element in root.iter(f"{{{namespace}}}alert")
        if element is not root
    ]


def _ingest_feed(
    root: Any, *, source: str, fetch: Fetch | None, region: Region | None
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for entry in root.iter(f"{{{ATOM}}}entry"):
        inline = _alerts_within(entry)
        links = [
            link.get("href", "")
            for link in entry.iter(f"{{{ATOM}}}link")
            if link.get("rel", "alternate") in ("alternate", "related", "enclosure")
        ]
        # An index feed (NWS) may put a stub "alert" in an entry that links the real one.
        stubs = links and all(_is_stub(alert) for alert in inline)
        if inline and not stubs:
            outcomes.extend(ingest_alert(alert, source=source, region=region) for alert in inline)
            continue
        title = entry.findtext(f"{{{ATOM}}}id") or entry.findtext(f"{{{ATOM}}}title") or source
        if not links:
            outcomes.append(Outcome(REFUSED, title, "the entry carries no alert and no link"))
        elif fetch is None:
            outcomes.append(Outcome(SKIPPED, title, f"index entry: the alert is at {links[0]}"))
        else:
            try:
                linked = fetch(links[0])
            except (OSError, cap.CapError) as error:
                outcomes.append(Outcome(REFUSED, links[0], f"cannot fetch: {error}"))
                continue
            outcomes.extend(ingest_bytes(linked, source=links[0], region=region))
    if not outcomes:
        outcomes.append(Outcome(SKIPPED, source, "the feed has no entries"))
    return outcomes


def _is_stub(element: Any) -> bool:
    """A CAP 1.1 element an index feed puts in an entry: not a complete alert."""
    namespace, _name = _qname(element)
    return namespace == cap.CAP11 and bool(_structure_errors(element, namespace))


# One alert ---------------------------------------------------------------------------------


def _text(element: Any, namespace: str, tag: str) -> str:
    return (element.findtext(f"{{{namespace}}}{tag}") or "").strip()


def _time(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


REQUIRED_11 = ("identifier", "sender", "sent", "status", "msgType", "scope")
REQUIRED_INFO = ("category", "event", "urgency", "severity", "certainty")


def _structure_errors(element: Any, namespace: str) -> list[str]:
    """What a CAP 1.1 alert lacks of what CAP requires (no 1.1 schema is bundled)."""
    errors = [f"missing {tag}" for tag in REQUIRED_11 if not _text(element, namespace, tag)]
    for info in element.findall(f"{{{namespace}}}info"):
        errors += [
            f"info: missing {tag}" for tag in REQUIRED_INFO if not _text(info, namespace, tag)
        ]
    if _time(_text(element, namespace, "sent")) is None:
        errors.append("sent is not a date and time with its offset")
    return errors


def ingest_alert(
    element: Any, *, source: str, region: Region | None = None, original: bytes | None = None
) -> Outcome:
    """Validate and store one ``<alert>`` element; retire the alerts it references."""
    namespace, _name = _qname(element)
    identifier = _text(element, namespace, "identifier") or source
    standalone = copy.deepcopy(element)
    if namespace == cap.CAP12:
        errors = cap.schema_errors(standalone)
        if errors:
            return Outcome(REFUSED, identifier, "not valid CAP 1.2: " + "; ".join(errors[:3]))
    else:
        errors = _structure_errors(element, namespace)
        if errors:
            return Outcome(REFUSED, identifier, "not valid CAP 1.1: " + "; ".join(errors[:3]))
    sender = _text(element, namespace, "sender")
    msg_type = _text(element, namespace, "msgType")
    scope = _text(element, namespace, "scope")
    status = _text(element, namespace, "status")
    known = Alert.objects.filter(identifier=identifier).first()
    if known is not None:
        if known.sender == sender:
            return Outcome(SKIPPED, identifier, "already received", known)
        return Outcome(REFUSED, identifier, "another sender already used this identifier")
    if scope != "Public":
        return Outcome(REFUSED, identifier, f"scope {scope} is not public")
    if msg_type not in (MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL):
        return Outcome(SKIPPED, identifier, f"a message of type {msg_type} changes no alert")
    if status not in CapStatus.values():
        return Outcome(REFUSED, identifier, f"unknown status {status}")
    try:
        infos, areas = _content(element, namespace)
    except ValueError as error:
        return Outcome(REFUSED, identifier, str(error))
    references_text = _text(element, namespace, "references")
    replaces = _referenced(references_text)
    home = _region_of(areas) or (replaces[0].region if replaces else None) or region
    xml = original if original is not None else etree.tostring(standalone, encoding="UTF-8")
    try:
        alert = services.record_received(
            alert_fields={
                "identifier": identifier[:255],
                "sender": sender[:255],
                "sent": _time(_text(element, namespace, "sent")),
                "status": status,
                "msg_type": msg_type,
                "scope": scope,
                "references": replaces[0] if replaces else None,
                "references_text": references_text,
                "source_url": source[:500],
                "region": home,
                "xml": xml.decode("utf-8", errors="replace"),
            },
            infos=infos,
            areas=areas,
            replaces=replaces,
        )
    except ValidationError as error:
        return Outcome(REFUSED, identifier, "; ".join(error.messages[:3]))
    action = {MsgType.ALERT: CREATED, MsgType.UPDATE: UPDATED, MsgType.CANCEL: CANCELLED}[msg_type]
    reason = "" if replaces or not references_text else "the alert it refers to was never received"
    return Outcome(action, identifier, reason, alert)


def _referenced(text: str) -> list[Alert]:
    """The stored alerts named by ``sender,identifier,sent`` triples (space-separated)."""
    found: list[Alert] = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) < 2:
            continue
        alert = Alert.objects.filter(sender=parts[0], identifier=parts[1]).first()
        if alert is not None and alert not in found:
            found.append(alert)
    return found


def _choice(value: str, choices: Any, fallback: str) -> str:
    return value if value in choices.values() else fallback


_web = URLValidator(schemes=["http", "https"])


def _web_address(value: str) -> str:
    try:
        _web(value)
    except ValidationError:
        return ""
    return value[: LIMITS["web"]]


def _content(element: Any, namespace: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The info blocks and the areas (taken from the first info that has any; the other
    languages' area names become ``names``)."""
    infos: list[dict[str, Any]] = []
    areas: list[dict[str, Any]] = []
    for info in element.findall(f"{{{namespace}}}info"):
        language = _text(info, namespace, "language") or "en-US"
        infos.append(
            {
                "language": language[:16],
                "category": _choice(_text(info, namespace, "category"), Category, Category.OTHER),
                "event": _text(info, namespace, "event")[: LIMITS["event"]],
                "urgency": _choice(_text(info, namespace, "urgency"), Urgency, Urgency.UNKNOWN),
                "severity": _choice(_text(info, namespace, "severity"), Severity, Severity.UNKNOWN),
                "certainty": _choice(
                    # CAP 1.1 allowed "Very Likely", CAP 1.2 folds it into Likely.
                    _text(info, namespace, "certainty").replace("Very Likely", "Likely"),
                    Certainty,
                    Certainty.UNKNOWN,
                ),
                "headline": _text(info, namespace, "headline")[: LIMITS["headline"]],
                "description": _text(info, namespace, "description"),
                "instruction": _text(info, namespace, "instruction"),
                "onset": _time(_text(info, namespace, "onset"))
                or _time(_text(info, namespace, "effective")),
                "expires": _time(_text(info, namespace, "expires")),
                "web": _web_address(_text(info, namespace, "web")),
                "contact": _text(info, namespace, "contact")[: LIMITS["contact"]],
            }
        )
        blocks = info.findall(f"{{{namespace}}}area")
        if not areas:
            areas = [_area(block, namespace) for block in blocks]
        for index, block in enumerate(blocks[: len(areas)]):
            areas[index]["names"][language[:16]] = _text(block, namespace, "areaDesc")[:500]
    if not infos:
        raise ValueError("the alert has no info block")
    return infos, areas


def _area(block: Any, namespace: str) -> dict[str, Any]:
    polygons = []
    for polygon in block.findall(f"{{{namespace}}}polygon"):
        ring = _points(polygon.text or "")
        if len(ring) >= 4:
            polygons.append(ring)
    circles = []
    for circle in block.findall(f"{{{namespace}}}circle"):
        try:
            centre, radius = (circle.text or "").split()
            lat, lon = (float(v) for v in centre.split(","))
            circles.append([lon, lat, float(radius)])
        except ValueError:
            continue
    geocodes = [
        [_text(code, namespace, "valueName")[:100], _text(code, namespace, "value")[:200]]
        for code in block.findall(f"{{{namespace}}}geocode")
    ]
    return {
        "kind": AreaKind.RECEIVED,
        "area_desc": _text(block, namespace, "areaDesc")[: LIMITS["area_desc"]] or "—",
        "names": {},
        "polygons": polygons,
        "circles": circles,
        "geocodes": geocodes[:200],
    }


def _points(text: str) -> list[list[float]]:
    ring: list[list[float]] = []
    for pair in text.split():
        try:
            lat, lon = (float(v) for v in pair.split(",")[:2])
        except ValueError:
            return []
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return []
        ring.append([lon, lat])
    return ring


def _region_of(areas: Iterable[dict[str, Any]]) -> Region | None:
    """Our region an alert's areas name (ISO 3166-2 geocode) or overlap, if any."""
    areas = list(areas)
    codes = {value for area in areas for name, value in area["geocodes"] if name == "ISO3166-2"}
    if codes:
        found = Region.objects.filter(iso_code__in=codes).order_by("iso_code").first()
        if found is not None:
            return found
    rings = [ring for area in areas for ring in area["polygons"]]
    rings += [
        cap_areas.buffered_line([[lon, lat], [lon, lat + 1e-6]], max(radius, 0.1))
        for area in areas
        for lon, lat, radius in area["circles"]
    ]
    if not rings:
        return None
    regions = Region.objects.with_outlines().exclude(boundary__isnull=True)
    for candidate in regions.order_by("iso_code"):
        if candidate.boundary and cap_areas.rings_intersect(rings, candidate.boundary):
            return candidate
    return None


def configured_feeds() -> list[tuple[str, Region | None]]:
    """The setting ``SAQSHY_CAP_FEEDS``: addresses, or ``{"url": …, "region": slug}`` for a
    feed whose alerts belong to one region when their area does not say. Without the setting,
    the environment variable of the same name (addresses separated by spaces)."""
    feeds: list[tuple[str, Region | None]] = []
    items = getattr(settings, "SAQSHY_CAP_FEEDS", None)
    if items is None:
        items = os.environ.get("SAQSHY_CAP_FEEDS", "").split()
    for item in items:
        if isinstance(item, str):
            feeds.append((item, None))
        else:
            slug = item.get("region")
            feeds.append((item["url"], Region.objects.filter(slug=slug).first() if slug else None))
    return feeds


def poll_feeds() -> list[Outcome]:
    """One pass over the configured feeds."""
    outcomes: list[Outcome] = []
    for url, region in configured_feeds():
        outcomes.extend(ingest_source(url, region=region))
    return outcomes
