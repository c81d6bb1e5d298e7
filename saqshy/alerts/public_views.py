"""The public, no-login side of alerts: the Atom feed of alerts in force and one CAP XML per
alert at a stable address (``/public/alerts.atom``, ``/public/alerts/<identifier>.xml``).

Nothing personal or internal is published: only what the CAP message itself says.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from lxml import etree

from saqshy.alerts import cap
from saqshy.alerts.choices import State
from saqshy.alerts.models import Alert
from saqshy.alerts.queries import active_public, info_in, xml_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_TITLES = {
    "kk": "Saqshy: қолданыстағы ескертулер",
    "ru": "Saqshy: действующие предупреждения",
    "en": "Saqshy: alerts in force",
}


def _atom(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


@require_GET
@cache_control(public=True, max_age=60)
def feed(request: HttpRequest) -> HttpResponse:
    """Atom 1.0: one entry per alert in force, linking to its CAP XML (``?lang=kk|ru|en``
    picks the language of titles, Russian by default)."""
    language = request.GET.get("lang", "ru")[:2]
    language = language if language in FEED_TITLES else "ru"
    alerts = list(active_public())
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    _atom(root, "id", request.build_absolute_uri())
    _atom(root, "title", FEED_TITLES[language])
    updated = max((a.sent for a in alerts if a.sent), default=timezone.now())
    _atom(root, "updated", cap.cap_datetime(updated))
    _atom(root, "link", rel="self", href=request.build_absolute_uri())
    author = _atom(root, "author")
    _atom(author, "name", cap.SENDER_NAMES[language])
    for alert in alerts:
        info = info_in(alert.infos.all(), language)
        entry = _atom(root, "entry")
        _atom(entry, "id", f"urn:saqshy:alert:{alert.sender}:{alert.identifier}")
        _atom(entry, "title", (info.headline or info.event) if info else alert.identifier)
        _atom(entry, "updated", cap.cap_datetime(alert.sent))
        _atom(
            entry,
            "link",
            rel="alternate",
            type="application/cap+xml",
            href=request.build_absolute_uri(xml_url(alert)),
        )
        entry_author = _atom(entry, "author")
        _atom(entry_author, "name", alert.sender)
        if info is not None and info.description:
            _atom(entry, "summary", info.description[:1000])
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=300)
def alert_xml(request: HttpRequest, identifier: str) -> HttpResponse:
    """The published CAP XML of one alert, unchanged since publication (also after it was
    updated or cancelled: the address is stable). An exercise alert is never served here."""
    alert = (
        Alert.objects.real()
        .filter(identifier=identifier, state=State.PUBLISHED, scope="Public")
        .first()
    )
    if alert is None or not alert.xml:
        raise Http404
    response = HttpResponse(
        alert.xml.encode("utf-8"), content_type="application/cap+xml; charset=utf-8"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
