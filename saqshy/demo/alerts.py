"""The demo's public alert: a blizzard with extreme cold on the Astana – Karaganda road, in
Kazakh, Russian and English, written by one person and approved and published by another.

It goes through the alerts services like any alert (so it is validated against the CAP 1.2
schema before it is published) and is idempotent: a second run finds the published alert by
its English headline in the region and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from saqshy.accounts.models import Region
from saqshy.alerts import services
from saqshy.alerts.choices import AreaKind, Source, State
from saqshy.alerts.models import Alert
from saqshy.roads.models import Segment

HOURS_IN_FORCE = 18
ROAD_NAMES = {
    "kk-KZ": "Астана – Қарағанды тас жолы",
    "ru-KZ": "Трасса Астана – Караганда",
    "en-US": "Astana – Karaganda road",
}
COMMON = {
    "category": "Met",
    "urgency": "Immediate",
    "severity": "Extreme",
    "certainty": "Observed",
    "contact": "112",
}
TEXTS = {
    "kk-KZ": {
        "event": "Боран және қатты аяз",
        "headline": "Астана – Қарағанды тас жолында қатты боран, аяз −35 °C-қа дейін",
        "description": (
            "Түнде Астана – Қарағанды тас жолында қатты боран соғады: жел екпіні секундына "
            "25 метрге дейін жетеді, көріну қашықтығы 50 метрден аспайды. Ауа температурасы "
            "−35 °C-қа дейін төмендейді. Жолды қар басып жатыр, көлік қозғалысы шектелді."
        ),
        "instruction": (
            "Аса қажет болмаса, сапарға шықпаңыз. Жолда болсаңыз, ең жақын жылыну пунктіне "
            "барыңыз немесе көліктен шықпай, 112-ге қоңырау шалыңыз. Жанармай багын толтырып, "
            "жылы киім, су және телефон қуаттағышын алып жүріңіз."
        ),
    },
    "ru-KZ": {
        "event": "Метель и сильный мороз",
        "headline": "Сильная метель и мороз до −35 °C на трассе Астана – Караганда",
        "description": (
            "Ночью на трассе Астана – Караганда сильная метель: порывы ветра до 25 м/с, "
            "видимость менее 50 метров. Температура воздуха понизится до −35 °C. Дорогу "
            "заметает, движение ограничено."
        ),
        "instruction": (
            "Без крайней необходимости не выезжайте. Если вы в пути, доберитесь до ближайшего "
            "пункта обогрева или оставайтесь в машине и звоните 112. Заправьте полный бак, "
            "возьмите тёплую одежду, воду и зарядное устройство для телефона."
        ),
    },
    "en-US": {
        "event": "Blizzard and extreme cold",
        "headline": "Severe blizzard and cold down to −35 °C on the Astana – Karaganda road",
        "description": (
            "Tonight a severe blizzard hits the Astana – Karaganda road: gusts up to 25 m/s, "
            "visibility under 50 metres. The temperature falls to −35 °C. The road is drifting "
            "over and traffic is restricted."
        ),
        "instruction": (
            "Do not travel unless you must. If you are on the road, go to the nearest warming "
            "point, or stay in your vehicle and call 112. Fill the tank and take warm clothes, "
            "water and a phone charger."
        ),
    },
}


@dataclass
class AlertsResult:
    alert: Alert
    created: bool


def _area(region: Region, segments: Iterable[Segment]) -> dict[str, Any]:
    chosen = list(segments)
    if not chosen:
        return services.region_area(region)
    polygons = [ring for s in chosen for ring in services.segment_area(s)["polygons"]]
    return {
        "kind": AreaKind.SEGMENT,
        "segment": chosen[0],
        "area_region": region,
        "area_desc": ROAD_NAMES["en-US"],
        "names": dict(ROAD_NAMES),
        "polygons": polygons,
    }


def load_alerts(
    *,
    region: Region | str,
    author: Any,
    approver: Any,
    segments: Iterable[Segment] = (),
    at: dt.datetime,
    say: Callable[[str], None] = print,
) -> AlertsResult:
    """Write, submit, approve and publish the blizzard alert for ``region`` at ``at`` (in
    force for 18 hours), its area along ``segments`` (10 km either side) or, without them,
    the whole region."""
    if isinstance(region, str):
        region = Region.objects.get(slug=region)
    headline = TEXTS["en-US"]["headline"]
    existing = (
        Alert.objects.filter(
            region=region,
            source=Source.AUTHORED,
            infos__language="en-US",
            infos__headline=headline,
        )
        .order_by("-created_at")
        .first()
    )
    if existing is not None and existing.state == State.PUBLISHED:
        say(f"alerts: {existing.identifier} already published")
        return AlertsResult(existing, created=False)
    alert = existing
    if alert is None:
        expires = at + dt.timedelta(hours=HOURS_IN_FORCE)
        alert = services.create_alert(
            acting_user=author,
            region=region,
            infos=[
                {**COMMON, **texts, "language": language, "onset": at, "expires": expires}
                for language, texts in TEXTS.items()
            ],
            areas=[_area(region, segments)],
        )
    if alert.state == State.DRAFT:
        services.submit(acting_user=author, alert=alert)
    services.approve(acting_user=approver, alert=alert, at=at)
    alert.refresh_from_db()
    say(f"alerts: {alert.identifier} published in kk, ru and en")
    return AlertsResult(alert, created=existing is None)
