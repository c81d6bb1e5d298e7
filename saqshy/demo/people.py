"""The demo's organisations and people: who signs in to the Astana/Almaty demo."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "saqshy-demo-2026"  # noqa: S105 - printed by make demo, for a laptop demo only


@dataclass(frozen=True)
class DemoAgency:
    code: str
    kind: str
    region: str | None
    name_en: str
    name_ru: str
    name_kk: str


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str | None  # None: superuser
    agency: str | None
    region: str | None  # None: national


NATIONAL_AGENCIES = [
    DemoAgency(
        "mvd",
        "police",
        None,
        "Ministry of Internal Affairs",
        "Министерство внутренних дел",
        "Ішкі істер министрлігі",
    ),
    DemoAgency(
        "mchs",
        "emergency",
        None,
        "Ministry for Emergency Situations",
        "Министерство по чрезвычайным ситуациям",
        "Төтенше жағдайлар министрлігі",
    ),
    DemoAgency(
        "commission",
        "commission",
        None,
        "Interagency Commission on Crime Prevention",
        "Межведомственная комиссия по профилактике правонарушений",
        "Құқық бұзушылықтың алдын алу жөніндегі ведомствоаралық комиссия",
    ),
    # The national road authority: it closes and reopens highway segments.
    DemoAgency(
        "kazavtozhol",
        "transport",
        None,
        "KazAvtoZhol national company",
        "НК «КазАвтоЖол»",
        "«ҚазАвтоЖол» ұлттық компаниясы",
    ),
]

_CITY_AGENCIES = [
    (
        "police",
        "police",
        "Police Department of {en}",
        "Департамент полиции {ru}",
        "{kk} полиция департаменті",
    ),
    (
        "des",
        "emergency",
        "Emergency Department of {en}",
        "Департамент по ЧС {ru}",
        "{kk} ТЖ департаменті",
    ),
    ("akimat", "akimat", "Akimat of {en}", "Акимат {ru}", "{kk} әкімдігі"),
    (
        "education",
        "education",
        "Education Department of {en}",
        "Управление образования {ru}",
        "{kk} білім басқармасы",
    ),
    (
        "health",
        "health",
        "Public Health Department of {en}",
        "Управление общественного здравоохранения {ru}",
        "{kk} қоғамдық денсаулық сақтау басқармасы",
    ),
    (
        "energy",
        "energy",
        "Energy and Utilities Department of {en}",
        "Управление энергетики и ЖКХ {ru}",
        "{kk} энергетика және ТКШ басқармасы",
    ),
]

CITIES = {
    "astana": {"en": "Astana", "ru": "города Астаны", "kk": "Астана қаласының"},
    "almaty": {"en": "Almaty", "ru": "города Алматы", "kk": "Алматы қаласының"},
}


def city_agencies() -> list[DemoAgency]:
    return [
        DemoAgency(
            f"{key}-{slug}",
            kind,
            slug,
            en.format(en=names["en"]),
            ru.format(ru=names["ru"]),
            kk.format(kk=names["kk"]),
        )
        for slug, names in CITIES.items()
        for key, kind, en, ru, kk in _CITY_AGENCIES
    ]


USERS = [
    DemoUser("admin", "Aigerim", "Admin", None, None, None),
    DemoUser("analyst", "Dana", "Sarsenova", "commission-analyst", "commission", None),
    DemoUser("duty_astana", "Arman", "Bekov", "duty-officer", "police-astana", "astana"),
    DemoUser("planner_astana", "Madina", "Omarova", "planner", "police-astana", "astana"),
    DemoUser("inspector_astana", "Yerlan", "Tulegenov", "inspector", "des-astana", "astana"),
    DemoUser("dispatch_police_astana", "Nurlan", "Abenov", "dispatcher", "police-astana", "astana"),
    DemoUser("dispatch_des_astana", "Gulnar", "Iskakova", "dispatcher", "des-astana", "astana"),
    DemoUser(
        "dispatch_health_astana", "Askar", "Zhunusov", "dispatcher", "health-astana", "astana"
    ),
    DemoUser("social_astana", "Zhanar", "Seitkali", "social-services", "akimat-astana", "astana"),
    # The daily situation report: Astana's coordinator writes and submits it, the head of the
    # region approves it, the commission's secretary publishes and assembles the summary.
    DemoUser(
        "coordinator_astana",
        "Bauyrzhan",
        "Kaliyev",
        "region-coordinator",
        "akimat-astana",
        "astana",
    ),
    DemoUser("head_astana", "Erbol", "Dzhaksybekov", "region-head", "akimat-astana", "astana"),
    DemoUser("secretary", "Asel", "Mukhanova", "commission-secretary", "commission", None),
    # The road authority's duty officer closes the Astana–Karaganda road on the winter night.
    DemoUser("roads_duty", "Daniyar", "Utepov", "duty-officer", "kazavtozhol", None),
    DemoUser("duty_almaty", "Aliya", "Nurlanova", "duty-officer", "police-almaty", "almaty"),
    DemoUser("planner_almaty", "Timur", "Kassymov", "planner", "police-almaty", "almaty"),
    DemoUser("inspector_almaty", "Saule", "Akhmetova", "inspector", "des-almaty", "almaty"),
]

DISPATCHERS = {
    "police-astana": "dispatch_police_astana",
    "des-astana": "dispatch_des_astana",
    "health-astana": "dispatch_health_astana",
}
"""The dispatcher of each Astana response agency (the simulator signs in as them)."""
