"""Reference data the programme starts with (installed by migration 0002).

Household categories (code, English, Russian, Kazakh, order) and the incident type an alarm
opens. A region changes or adds to them in the admin; the type an alarm opens is the norm
``home_alarm_incident_type``.
"""

from __future__ import annotations

from typing import Any

CATEGORIES: list[tuple[str, str, str, str, int]] = [
    (
        "pensioner_alone",
        "Pensioner living alone",
        "Одиноко проживающий пенсионер",
        "Жалғыз тұратын зейнеткер",
        10,
    ),
    ("large_family", "Large family", "Многодетная семья", "Көп балалы отбасы", 20),
    (
        "disability",
        "Person with disability",
        "Человек с инвалидностью",
        "Мүмкіндігі шектеулі адам",
        30,
    ),
    (
        "low_income",
        "Low-income family",
        "Малообеспеченная семья",
        "Аз қамтылған отбасы",
        40,
    ),
    (
        "single_parent",
        "Single-parent family",
        "Неполная семья",
        "Толық емес отбасы",
        50,
    ),
]

ALARM_TYPE_CODE = "home_fire_alarm"
ALARM_TYPE = {
    "code": ALARM_TYPE_CODE,
    "name_en": "Home fire alarm",
    "name_ru": "Срабатывание домашнего пожарного извещателя",
    "name_kk": "Үйдегі өрт дабылы",
    "needs": {"fire_engine": 1},
    "dedup_meters": 30,
    "dedup_minutes": 30,
    "default_priority": 1,
}


def install(category_model: Any, type_model: Any) -> None:
    for code, name_en, name_ru, name_kk, order in CATEGORIES:
        category_model.objects.update_or_create(
            code=code,
            defaults={"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk, "order": order},
        )
    fields = {key: value for key, value in ALARM_TYPE.items() if key != "code"}
    type_model.objects.get_or_create(code=ALARM_TYPE_CODE, defaults=fields)
