"""Reads of the alerts app: the alerts a user may see, the active public ones (for the
public page, the Atom feed and the map), and an alert's text in a language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from saqshy.alerts.choices import CapStatus, Severity, Source, State
from saqshy.alerts.models import Alert, AlertInfo

FALLBACK_LANGUAGES = ("ru", "en")
"""The languages an alert's text falls back to, in order, when it has none in the one asked."""


def visible_alerts(user: Any) -> QuerySet[Alert]:
    """Alerts ``user`` may view: those of their regions (received alerts for no region of
    ours are shown to people with a national view only)."""
    rows: QuerySet[Alert] = Alert.objects.restrict(user, "view")
    return rows.select_related("region", "author", "approver", "references")


def active_public() -> QuerySet[Alert]:
    """Published alerts in force: ours, and those received for one of our regions (never an
    exercise alert)."""
    return (
        Alert.objects.real()
        .filter(state=State.PUBLISHED, active=True, scope="Public")
        .filter(Q(source=Source.AUTHORED) | Q(region__isnull=False))
        .select_related("region")
        .prefetch_related("infos", "areas")
        .order_by("-sent", "-id")
    )


def info_in(infos: Iterable[AlertInfo], language: str) -> AlertInfo | None:
    """The info block in ``language`` (``kk``, ``ru-KZ`` …), else Russian, else English, else
    the first."""
    blocks = list(infos)
    for wanted in (language[:2].lower(), *FALLBACK_LANGUAGES):
        for info in blocks:
            if info.language[:2].lower() == wanted:
                return info
    return blocks[0] if blocks else None


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def xml_url(alert: Alert) -> str:
    """The alert's stable public XML address (a path)."""
    return reverse("alerts_public:xml", kwargs={"identifier": alert.identifier})


def public_alert(alert: Alert, language: str) -> dict[str, Any] | None:
    """One alert as the public page shows it, in ``language`` (with fallbacks)."""
    info = info_in(alert.infos.all(), language)
    if info is None:
        return None
    areas = list(alert.areas.all())
    area_names = [(area.names or {}).get(info.language) or area.area_desc for area in areas]
    with translation.override(language[:2]):
        severity_label = str(Severity.label(info.severity))
    return {
        "identifier": alert.identifier,
        "headline": info.headline or info.event,
        "event": info.event,
        "description": info.description,
        "instruction": info.instruction,
        "severity": info.severity,
        "severity_label": severity_label,
        "severity_colour": Severity.colour(info.severity),
        "area": "; ".join(name for name in area_names if name),
        "onset": _local(info.onset),
        "expires": _local(info.expires),
        "xml_url": xml_url(alert),
        "region_slug": alert.region.slug if alert.region is not None else "",
    }


def public_alerts(language: str, region: str | None = None) -> list[dict[str, Any]]:
    """Active published alerts (ours and those received for our regions) for the public
    page, in ``language`` falling back to Russian then English; ``region`` is a region slug.
    Only real alerts (status Actual: no test or exercise); an alert whose every info block
    has expired is left out."""
    rows = active_public().filter(status=CapStatus.ACTUAL)  # not tests nor exercises
    if region:
        rows = rows.filter(region__slug=region)
    now = timezone.now()
    found: list[dict[str, Any]] = []
    for alert in rows:
        infos = list(alert.infos.all())
        if infos and all(info.expires and info.expires <= now for info in infos):
            continue
        item = public_alert(alert, language)
        if item is not None:
            found.append(item)
    return found


def map_features(user: Any, language: str) -> list[dict[str, Any]]:
    """Active alerts the user may see, as GeoJSON features (one per area polygon or circle
    centre), with the headline in ``language`` and the severity colour."""
    rows = visible_alerts(user).filter(state=State.PUBLISHED, active=True)
    features: list[dict[str, Any]] = []
    for alert in rows.prefetch_related("infos", "areas"):
        item = public_alert(alert, language)
        if item is None:
            continue
        properties = {
            "identifier": alert.identifier,
            "headline": item["headline"],
            "area": item["area"],
            "severity_label": item["severity_label"],
            "colour": item["severity_colour"],
            "expires": item["expires"],
            "received": alert.source == Source.INGESTED,
            "is_exercise": alert.is_exercise,
        }
        for area in alert.areas.all():
            for ring in area.polygons:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                        "properties": properties,
                    }
                )
            for lon, lat, radius in (c[:3] for c in area.circles):
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {**properties, "radius_km": radius},
                    }
                )
    return features
