"""Alerts for tests: a blizzard on the test road south of Astana, in three languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.alerts import services
from saqshy.alerts.models import Alert
from saqshy.roads.tests.factories import make_segment


def infos(onset: dt.datetime | None = None, **overrides: Any) -> list[dict[str, Any]]:
    onset = onset or timezone.now().replace(microsecond=0)
    common = {
        "category": "Met",
        "urgency": "Immediate",
        "severity": "Extreme",
        "certainty": "Observed",
        "onset": onset,
        "expires": onset + dt.timedelta(hours=12),
        **overrides,
    }
    return [
        {
            **common,
            "language": "kk-KZ",
            "event": "Боран",
            "headline": "Астана – Қарағанды жолында қатты боран",
            "description": "Жол жабық.",
            "instruction": "Сапарды кейінге қалдырыңыз.",
        },
        {
            **common,
            "language": "ru-KZ",
            "event": "Метель",
            "headline": "Сильная метель на трассе Астана – Караганда",
            "description": "Дорога закрыта.",
            "instruction": "Отложите поездку.",
        },
        {
            **common,
            "language": "en-US",
            "event": "Blizzard",
            "headline": "Severe blizzard on the Astana – Karaganda road",
            "description": "The road is closed.",
            "instruction": "Postpone your trip.",
        },
    ]


def draft(author: Any, region: Region, **fields: Any) -> Alert:
    segment = make_segment(1, 2, region)
    return services.create_alert(
        acting_user=author,
        region=region,
        infos=fields.pop("infos", None) or infos(),
        areas=fields.pop("areas", None) or [services.segment_area(segment)],
        **fields,
    )


def published(author: Any, approver: Any, region: Region, **fields: Any) -> Alert:
    alert = draft(author, region, **fields)
    services.submit(acting_user=author, alert=alert)
    services.approve(acting_user=approver, alert=alert)
    alert.refresh_from_db()
    return alert


def make_alert(region: Region, headline: str) -> Alert:
    """A draft written by the system in ``region`` whose English headline is ``headline``."""
    texts = infos()
    texts[2]["headline"] = headline
    return services.create_alert(
        acting_user=None, region=region, infos=texts, areas=[services.region_area(region)]
    )
