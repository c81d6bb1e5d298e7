"""CAP 1.2 XML: build an alert's message, validate it against the OASIS schema, parse safely.

The schema is ``data/cap/CAP-v1.2.xsd`` (derived into the bundle by ``saqshy/demo/bundle.py``),
loaded once. ``safe_parse`` is the only way untrusted XML enters Saqshy: it refuses a
document type declaration (and so every entity, internal or external), anything over
``MAX_BYTES``, and parses with entity resolution, DTD loading and network access off.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

CAP12 = "urn:oasis:names:tc:emergency:cap:1.2"
CAP11 = "urn:oasis:names:tc:emergency:cap:1.1"
CAP_NAMESPACES = (CAP12, CAP11)
MAX_BYTES = 1_000_000
"""The largest XML document (an alert, a feed, an envelope) Saqshy reads."""


class CapError(ValueError):
    """XML that is refused: unsafe, too large, malformed or not valid CAP; the message says
    why."""


def schema_path() -> Any:
    return settings.DATA_DIR / "cap" / "CAP-v1.2.xsd"


@functools.cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(schema_path()), parser))


def schema_errors(root: Any) -> list[str]:
    """What the CAP 1.2 schema says is wrong with the element ``root`` (empty: valid)."""
    schema = _schema()
    if schema.validate(etree.ElementTree(root)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def validate(xml: bytes) -> list[str]:
    """Schema errors of a CAP 1.2 document given as bytes (parsed safely)."""
    return schema_errors(safe_parse(xml))


def safe_parse(data: bytes) -> Any:
    """Parse untrusted XML, refusing a DOCTYPE, entities, oversize input and bad syntax."""
    if len(data) > MAX_BYTES:
        raise CapError(f"the document is larger than {MAX_BYTES} bytes")
    head = data[:MAX_BYTES].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise CapError("a document type declaration or entity is not accepted")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise CapError(f"not well-formed XML: {error}") from error
    if root is None:
        raise CapError("the document is empty")
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise CapError("a document type declaration or entity is not accepted")
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise CapError("a document type declaration or entity is not accepted")
    return root


def cap_datetime(value: dt.datetime | None) -> str:
    """A CAP date-time: local Kazakhstan time with its offset, to the second
    (``2026-12-31T23:05:00+05:00``); ``Z`` is not allowed by the schema."""
    if value is None:
        return ""
    local = timezone.localtime(value).replace(microsecond=0)
    text = local.isoformat()
    if text.endswith("+00:00") or len(text) == 19:
        text = local.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
    return text


def polygon_text(ring: Sequence[Sequence[float]]) -> str:
    """A CAP polygon (``lat,lon lat,lon …``, closed) from a GeoJSON ring of ``[lon, lat]``."""
    points = [(round(float(p[1]), 5), round(float(p[0]), 5)) for p in ring]
    if points and points[0] != points[-1]:
        points.append(points[0])
    return " ".join(f"{lat},{lon}" for lat, lon in points)


def circle_text(circle: Sequence[float]) -> str:
    """A CAP circle (``lat,lon radius_km``) from ``[lon, lat, radius_km]``."""
    lon, lat, radius = circle[:3]
    return f"{round(float(lat), 5)},{round(float(lon), 5)} {round(float(radius), 3)}"


def _sub(parent: Any, tag: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, f"{{{CAP12}}}{tag}")
    if text is not None:
        element.text = text
    return element


def build(alert: Any, infos: Iterable[Any], areas: Iterable[Any], sent: dt.datetime) -> bytes:
    """The CAP 1.2 XML of ``alert`` with its ``infos`` (one per language), each carrying every
    area of ``areas``; ``sent`` is the moment of publication. Elements follow the schema's
    order. ``alert.references`` (another alert) becomes ``<references>``."""
    root = etree.Element(f"{{{CAP12}}}alert", nsmap={None: CAP12})
    _sub(root, "identifier", alert.identifier)
    _sub(root, "sender", alert.sender)
    _sub(root, "sent", cap_datetime(sent))
    _sub(root, "status", alert.status)
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "source", "Saqshy")
    _sub(root, "scope", "Public")
    if alert.references_id:
        _sub(root, "references", alert.references.cap_reference)
    areas = list(areas)
    for info in infos:
        block = _sub(root, "info")
        _sub(block, "language", info.language)
        _sub(block, "category", info.category)
        _sub(block, "event", info.event)
        _sub(block, "urgency", info.urgency)
        _sub(block, "severity", info.severity)
        _sub(block, "certainty", info.certainty)
        if info.onset:
            _sub(block, "effective", cap_datetime(sent))
            _sub(block, "onset", cap_datetime(info.onset))
        if info.expires:
            _sub(block, "expires", cap_datetime(info.expires))
        _sub(block, "senderName", SENDER_NAMES.get(info.language[:2], SENDER_NAMES["en"]))
        for tag in ("headline", "description", "instruction", "web", "contact"):
            value = getattr(info, tag)
            if value:
                _sub(block, tag, value)
        for area in areas:
            element = _sub(block, "area")
            _sub(element, "areaDesc", (area.names or {}).get(info.language) or area.area_desc)
            for ring in area.polygons:
                _sub(element, "polygon", polygon_text(ring))
            for circle in area.circles:
                _sub(element, "circle", circle_text(circle))
            for name, value in area.geocodes:
                code = _sub(element, "geocode")
                _sub(code, "valueName", name)
                _sub(code, "value", value)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


SENDER_NAMES = {
    "kk": "Saqshy: мереке күндеріндегі қауіпсіздік жүйесі",
    "ru": "Saqshy: система безопасности в праздничные дни",
    "en": "Saqshy holiday safety system",
}
