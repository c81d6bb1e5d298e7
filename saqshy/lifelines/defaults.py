"""The parameters and thresholds every installation starts with (installed by migration 0002).

Values are a first setting, not a doctrine: a region changes them in the admin. The heating
supply temperature has no fixed low bound: the heating curve (norms ``lifelines_*``) gives it.
Sources: district-heating practice (supply pressure 6–16 bar, return 40–70 °C on a 150/70
schedule), GOST 32144-2013 (voltage within ±10 % of nominal), SNiP 2.04.02-84 (water mains
pressure at least 10 m of head at a building, here 2.5–6 bar at a pumping station).
"""

from __future__ import annotations

from typing import Any

HEATING = ["boiler_house", "heat_plant"]
WATER = ["pumping", "water_works", "wastewater"]

PARAMETERS: list[tuple[str, str, str, str, str, list[str], bool]] = [
    # code, English, Russian, Kazakh, unit, site kinds, follows the heating curve
    (
        "supply_temp", "Supply temperature", "Температура подачи", "Беру температурасы", "°C",
        HEATING, True,
    ),
    (
        "return_temp", "Return temperature", "Температура обратки", "Кері су температурасы",
        "°C", HEATING, False,
    ),
    ("pressure", "Pressure", "Давление", "Қысым", "bar", [*HEATING, *WATER], False),
    ("flow", "Flow", "Расход", "Шығын", "m³/h", [*HEATING, *WATER], False),
    ("voltage", "Voltage", "Напряжение", "Кернеу", "% of nominal", ["substation"], False),
    (
        "outdoor_temp", "Outdoor temperature", "Температура наружного воздуха",
        "Сыртқы ауа температурасы", "°C", [], False,
    ),
]  # fmt: skip

THRESHOLDS: list[tuple[str, str, float | None, float | None, int]] = [
    # parameter, site kind, low, high, minutes out of range before an alert
    *[("supply_temp", kind, None, 160.0, 30) for kind in HEATING],
    *[("return_temp", kind, 30.0, 75.0, 60) for kind in HEATING],
    *[("pressure", kind, 4.0, 16.0, 15) for kind in HEATING],
    *[("pressure", kind, 2.5, 6.0, 15) for kind in ("pumping", "water_works")],
    ("voltage", "substation", 90.0, 110.0, 10),
]


def install(parameter_model: Any, threshold_model: Any) -> int:
    """Create the missing defaults (the models may be historical ones); returns how many."""
    created = 0
    by_code = {}
    for code, en, ru, kk, unit, kinds, curve in PARAMETERS:
        row, was_created = parameter_model.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_kk": kk,
                "unit": unit,
                "site_kinds": kinds,
                "follows_curve": curve,
            },
        )
        by_code[code] = row
        created += int(was_created)
    for code, kind, low, high, minutes in THRESHOLDS:
        _row, was_created = threshold_model.objects.get_or_create(
            parameter=by_code[code],
            site=None,
            site_kind=kind,
            defaults={"low": low, "high": high, "minutes": minutes},
        )
        created += int(was_created)
    return created
