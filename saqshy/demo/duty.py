"""The demo's duty: Astana's districts, ~2,000 personnel, absences, posts and readiness.

Personnel are generated (names from common Kazakh and Russian names, a fixed seed) and
written by ``duty.services.import_personnel`` in one audited batch; absences through
``add_absence``; posts by ``derive_posts`` over the season (strategic facilities, utility
sites, every event); an enhanced readiness level for all agencies from 30 December through
``set_readiness``. Every step is idempotent, so ``load_demo`` can run again.

Astana's five districts are the real ones loaded with the regions (``data/districts.geojson``,
geokz 2024), so facilities, and the posts derived from them, fall into a district by their
location; ``ensure_districts`` creates them without a boundary only where they were not loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from saqshy.accounts.models import Agency, District, Region, User
from saqshy.core import services as core_services
from saqshy.demo.season import new_year
from saqshy.duty import posts, services
from saqshy.duty.choices import AbsenceKind, ReadinessLevel
from saqshy.duty.models import Absence, Person, Readiness
from saqshy.duty.readiness import services as readiness_services

DISTRICTS = [
    ("almaty", "Almaty", "Алматинский", "Алматы", 0.22),
    ("baykonyr", "Baykonyr", "Байконырский", "Байқоңыр", 0.17),
    ("esil", "Esil", "Есильский", "Есіл", 0.21),
    ("saryarka", "Saryarka", "Сарыаркинский", "Сарыарқа", 0.20),
    ("nura", "Nura", "Нуринский", "Нұра", 0.20),
]
"""(slug, en, ru, kk, share of personnel living there — an assumption, not census data)."""


@dataclass(frozen=True)
class Staff:
    agency: str  # code prefix; the city slug is appended
    count: int
    positions: tuple[tuple[str, float], ...]
    skills: tuple[tuple[str, float], ...]  # (skill, probability a person has it)
    weekly_hours: int


STAFF = [
    Staff(
        "police",
        1300,
        (
            ("Patrol officer", 0.55),
            ("Senior sergeant", 0.2),
            ("Lieutenant", 0.15),
            ("Captain", 0.1),
        ),
        (
            ("patrol", 0.8),
            ("driver", 0.45),
            ("traffic", 0.2),
            ("escort", 0.15),
            ("public_order", 0.5),
            ("first_aid", 0.3),
        ),
        40,
    ),
    Staff(
        "des",
        360,
        (("Firefighter", 0.6), ("Rescuer", 0.25), ("Shift commander", 0.15)),
        (("firefighter", 0.75), ("rescuer", 0.35), ("driver", 0.3), ("first_aid", 0.6)),
        40,
    ),
    Staff(
        "health",
        220,
        (("Paramedic", 0.6), ("Doctor", 0.25), ("Ambulance driver", 0.15)),
        (("paramedic", 0.75), ("doctor", 0.25), ("driver", 0.2)),
        40,
    ),
    Staff(
        "energy",
        140,
        (("Electrician", 0.45), ("Heating fitter", 0.3), ("Plumber", 0.25)),
        (("electrician", 0.5), ("heating_fitter", 0.35), ("plumber", 0.3), ("driver", 0.25)),
        40,
    ),
]
"""2,020 people: police most, then the emergency department, health and the utilities."""

FIRST_NAMES = [
    "Arman",
    "Nurlan",
    "Yerlan",
    "Daniyar",
    "Askar",
    "Timur",
    "Yerzhan",
    "Aidos",
    "Bauyrzhan",
    "Marat",
    "Serik",
    "Azamat",
    "Ruslan",
    "Dmitry",
    "Sergey",
    "Alexei",
    "Aigerim",
    "Madina",
    "Aliya",
    "Dana",
    "Gulnar",
    "Saule",
    "Aruzhan",
    "Dinara",
    "Zhanna",
    "Kamila",
    "Elena",
    "Olga",
    "Assel",
    "Akbota",
]
LAST_NAMES = [
    "Abenov",
    "Bekov",
    "Omarov",
    "Tulegenov",
    "Iskakov",
    "Zhunusov",
    "Nurlanov",
    "Kassymov",
    "Akhmetov",
    "Sarsenov",
    "Seitkali",
    "Mukhametov",
    "Zhakupov",
    "Ibraev",
    "Yessenov",
    "Tokayev",
    "Baimukhamedov",
    "Kuanyshev",
    "Ospanov",
    "Ivanov",
    "Petrov",
    "Smirnov",
    "Kim",
    "Li",
    "Sadykov",
    "Utepov",
    "Amanov",
    "Temirov",
    "Karimov",
    "Dzhaksybekov",
]

ABSENT_SHARE = {AbsenceKind.LEAVE: 0.04, AbsenceKind.SICK: 0.015, AbsenceKind.TRAINING: 0.01}
"""Share of personnel away over the holidays, by kind (assumption for the demo)."""


@dataclass
class DutyResult:
    districts: int = 0
    personnel: int = 0
    absences: int = 0
    posts: posts.DeriveResult = field(default_factory=posts.DeriveResult)
    readiness: int = 0


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def ensure_districts(region: Region) -> list[District]:
    existing = {d.slug: d for d in District.objects.filter(region=region)}
    for slug, en, ru, kk, _share in DISTRICTS:
        if slug not in existing:
            existing[slug] = core_services.create(
                acting_user=None,
                instance=District(region=region, slug=slug, name_en=en, name_ru=ru, name_kk=kk),
            )
    return [existing[slug] for slug, *_rest in DISTRICTS]


def personnel_rows(city: str, seed: int = 2026) -> list[dict[str, object]]:
    """The generated personnel of ``city``: the same rows for the same seed."""
    rng = random.Random(seed)
    weights = [share for *_names, share in DISTRICTS]
    rows: list[dict[str, object]] = []
    for staff in STAFF:
        for n in range(1, staff.count + 1):
            skills = [skill for skill, p in staff.skills if rng.random() < p]
            if not skills:
                skills = [staff.skills[0][0]]
            rows.append(
                {
                    "agency": f"{staff.agency}-{city}",
                    "personnel_number": f"{staff.agency[:3].upper()}-{n:05d}",
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "position": _weighted(rng, staff.positions),
                    "skills": skills,
                    "weekly_hours": staff.weekly_hours,
                    "phone": f"+7 701 {rng.randint(100, 999)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    "district": rng.choices([d[0] for d in DISTRICTS], weights=weights)[0],
                }
            )
    return rows


def _absences(rng: random.Random, region: Region, eve: dt.date) -> int:
    people = list(Person.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
    if Absence.objects.filter(person__region=region).exists():
        return 0
    made = 0
    by_pk = Person.objects.in_bulk(people)
    for kind, share in ABSENT_SHARE.items():
        for pk in rng.sample(people, round(len(people) * share)):
            if Absence.objects.filter(person_id=pk).exists():
                continue
            start_day = eve - dt.timedelta(days=rng.randint(0, 6))
            days = rng.randint(3, 14) if kind == AbsenceKind.LEAVE else rng.randint(2, 7)
            starts = timezone.make_aware(dt.datetime.combine(start_day, dt.time(0, 0)))
            services.add_absence(
                acting_user=None,
                person=by_pk[pk],
                kind=kind,
                starts_at=starts,
                ends_at=starts + dt.timedelta(days=days),
            )
            made += 1
    return made


def load_duty(city: str = "astana", today: dt.date | None = None) -> DutyResult:
    """Load the city's duty data; a second call changes nothing."""
    today = today or timezone.localdate()
    region = Region.objects.get(slug=city)
    result = DutyResult()
    result.districts = len(ensure_districts(region))
    agencies = set(Agency.objects.filter(region=region).values_list("code", flat=True))
    rows = [row for row in personnel_rows(city) if row["agency"] in agencies]
    imported = services.import_personnel(acting_user=None, region=region, rows=rows)
    result.personnel = imported.created
    eve = new_year(today) - dt.timedelta(days=1)
    result.absences = _absences(random.Random(2027), region, eve)
    planner = User.objects.filter(username=f"planner_{city}").first()
    season_start = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0)))
    season_end = timezone.make_aware(dt.datetime.combine(eve + dt.timedelta(days=12), dt.time()))
    result.posts = posts.derive_posts(
        acting_user=planner, region=region, starts_at=season_start, ends_at=season_end
    )
    enhanced_from = timezone.make_aware(
        dt.datetime.combine(eve - dt.timedelta(days=1), dt.time(0, 0))
    )
    if not Readiness.objects.filter(region=region, agency=None, starts_at=enhanced_from).exists():
        readiness_services.set_readiness(
            acting_user=planner,
            region=region,
            level=ReadinessLevel.ENHANCED,
            starts_at=enhanced_from,
            ends_at=enhanced_from + dt.timedelta(days=5),
            reason="New Year holidays: enhanced duty by order of the interagency commission",
        )
        result.readiness = 1
    return result
