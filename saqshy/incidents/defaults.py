"""The incident types every installation starts with (installed by migration 0002).

Counts are a first response, not a doctrine: a region changes them in the admin.
Columns: code, English, Russian, Kazakh, needs, dedup metres, dedup minutes, priority.
"""

from __future__ import annotations

from typing import Any

DEFAULT_TYPES: list[tuple[str, str, str, str, dict[str, int], int, int, int]] = [
    (
        "fire",
        "Fire",
        "Пожар",
        "Өрт",
        {"fire_engine": 2, "ladder": 1, "ambulance": 1},
        300,
        60,
        1,
    ),
    (
        "crime",
        "Crime or public order",
        "Преступление, нарушение порядка",
        "Қылмыс, қоғамдық тәртіп бұзу",
        {"patrol_car": 1},
        150,
        20,
        2,
    ),
    (
        "traffic_accident",
        "Traffic accident",
        "ДТП",
        "Жол-көлік оқиғасы",
        {"traffic_police": 1, "ambulance": 1},
        200,
        30,
        2,
    ),
    (
        "medical",
        "Medical emergency",
        "Медицинская помощь",
        "Медициналық көмек",
        {"ambulance": 1},
        50,
        15,
        1,
    ),
    (
        "lost_child",
        "Lost child",
        "Потерявшийся ребёнок",
        "Адасқан бала",
        {"patrol_car": 1, "foot_patrol": 1},
        500,
        120,
        1,
    ),
    (
        "suspicious_object",
        "Suspicious object",
        "Подозрительный предмет",
        "Күдікті зат",
        {"patrol_car": 1, "rescue": 1},
        200,
        60,
        1,
    ),
    (
        "crowd_density",
        "Dangerous crowd density",
        "Опасная плотность толпы",
        "Қауіпті адам тығыздығы",
        {"foot_patrol": 2, "patrol_car": 1, "ambulance": 1},
        300,
        30,
        2,
    ),
    (
        "fire_alarm",
        "Fire alarm triggered",
        "Срабатывание пожарной сигнализации",
        "Өрт дабылы іске қосылды",
        {"fire_engine": 1},
        100,
        30,
        3,
    ),
    (
        "utility_outage",
        "Utility outage",
        "Авария на сетях",
        "Инженерлік желідегі апат",
        {"special_equipment": 1},
        500,
        240,
        3,
    ),
    (
        "stranded",
        "Stranded people or vehicle",
        "Застрявшие люди или транспорт",
        "Жолда қалған адамдар немесе көлік",
        {"rescue": 1, "special_equipment": 1},
        1000,
        120,
        2,
    ),
    ("other", "Other", "Прочее", "Басқа", {"patrol_car": 1}, 100, 15, 4),
]


def install(model: Any) -> int:
    """Create the default types that are missing (``model`` may be a historical model)."""
    created = 0
    for code, en, ru, kk, needs, meters, minutes, priority in DEFAULT_TYPES:
        _obj, was_created = model.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_kk": kk,
                "needs": needs,
                "dedup_meters": meters,
                "dedup_minutes": minutes,
                "default_priority": priority,
            },
        )
        created += int(was_created)
    return created
