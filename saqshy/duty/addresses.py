"""Addresses of the points duty plans name (patrol stops): a hook a geocoder plugs into.

Contract. ``settings.DUTY_DESCRIBE_POINT`` is the dotted path of a callable
``(lat: float, lon: float) -> str`` that returns a short address for the point ("Kabanbay Batyr
Ave 53") or ``""`` when nothing is near. Without the setting (or with ``""``) every point is
``""`` and the pages show its coordinates instead. A provider that cannot be imported or raises
is logged and treated as ``""``: a patrol plan is never lost to a geocoder. Duty calls the
provider once per distinct point when a plan is made and stores the answer on the stop, so
pages and printed sheets never call it.

Wiring the real geocoder is one line in ``settings.py``::

    DUTY_DESCRIBE_POINT = "saqshy.geocoding.queries.describe_point"
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SETTING = "DUTY_DESCRIBE_POINT"
MAX_LENGTH = 200

Describe = Callable[[float, float], str]


def provider() -> Describe | None:
    """The configured ``(lat, lon) -> str`` callable, or None."""
    path = getattr(settings, SETTING, "") or ""
    if not path:
        return None
    try:
        found: Describe = import_string(path)
    except ImportError:
        logger.warning("%s = %r cannot be imported; stops get no address", SETTING, path)
        return None
    return found


def describe_points(points: Iterable[tuple[float, float]]) -> dict[tuple[float, float], str]:
    """Each distinct (lat, lon) with its address (``""`` when none or no provider)."""
    wanted = list(dict.fromkeys(points))
    describe = provider()
    if describe is None:
        return dict.fromkeys(wanted, "")
    labels: dict[tuple[float, float], str] = {}
    for lat, lon in wanted:
        try:
            label = describe(lat, lon) or ""
        except Exception:  # a geocoder's failure must not lose the plan
            logger.exception("describing %s, %s failed", lat, lon)
            label = ""
        labels[(lat, lon)] = str(label)[:MAX_LENGTH]
    return labels
