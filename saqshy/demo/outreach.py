"""Astana's outreach over the New Year holidays: awareness campaigns (fireworks, thin ice on
the Esil, the cold, children's supervision on holiday trips, winter roads, fire at home) and
parent meetings at a share of the city's real schools (imported from OpenStreetMap) in
December.

Titles are in English with Kazakh and Russian versions (the reader sees their language's).
Dates are relative to the coming New Year; campaigns are started or finished and their reach
recorded as far as ``today`` has come; meetings are held only up to ``today``. Everything goes
through the outreach services; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from saqshy.accounts.models import Agency, Region, User
from saqshy.demo.season import new_year
from saqshy.facilities.models import Facility
from saqshy.outreach import services
from saqshy.outreach.models import Campaign, ParentMeeting

# (title en, kk, ru, topic, channel, audience, agency prefix, first day, last day (relative to
# 1 January), planned reach)
CAMPAIGNS = [
    (
        "Fireworks are not toys",
        "Пиротехника — ойыншық емес",
        "Пиротехника — не игрушка",
        "fireworks",
        "tv",
        "public",
        "des",
        -17,
        5,
        400_000,
    ),
    (
        "Careful: thin ice on the Esil",
        "Абайлаңыз: Есілдегі жұқа мұз",
        "Осторожно: тонкий лёд на Есиле",
        "ice",
        "social",
        "pupils",
        "des",
        -31,
        31,
        150_000,
    ),
    (
        "Frost: look after yourself and your neighbours",
        "Аяз: өзіңізді және көршілеріңізді күтіңіз",
        "Мороз: берегите себя и соседей",
        "cold",
        "sms",
        "public",
        "akimat",
        -12,
        15,
        600_000,
    ),
    (
        "Do not leave children unattended over the holidays",
        "Демалыста балаларды қараусыз қалдырмаңыз",
        "Не оставляйте детей без присмотра в каникулы",
        "supervision",
        "school_lessons",
        "parents",
        "education",
        -12,
        10,
        120_000,
    ),
    (
        "A safe holiday trip out of town",
        "Қала сыртына қауіпсіз демалыс сапары",
        "Безопасная поездка за город в каникулы",
        "trips",
        "posters",
        "parents",
        "police",
        -7,
        10,
        40_000,
    ),
    (
        "Winter road: speed and distance",
        "Қысқы жол: жылдамдық пен қашықтық",
        "Зимняя дорога: скорость и дистанция",
        "road_safety",
        "radio",
        "drivers",
        "police",
        -22,
        10,
        250_000,
    ),
    (
        "Fire at home: stoves and heaters",
        "Үйдегі өрт: пештер мен жылытқыштар",
        "Огонь в доме: печи и обогреватели",
        "fire_safety",
        "community",
        "elderly",
        "des",
        -31,
        -7,
        30_000,
    ),
]
SCHOOL_SHARE = 0.6
MEETING_TOPICS = ["fireworks", "ice", "supervision", "trips", "cold"]
GRADES = ["1–4", "5–9", "10–11", "1 «А»", "5 «Б»", "7 «В»", "9 «А»", ""]


@dataclass
class OutreachResult:
    campaigns: int = 0
    meetings: int = 0
    skipped: bool = False


def load_outreach(
    *,
    region: str = "astana",
    say: Callable[[str], None] = print,
    today: dt.date | None = None,
) -> OutreachResult:
    """Load the region's demo campaigns and parent meetings (once)."""
    result = OutreachResult()
    place = Region.objects.get(slug=region)
    if Campaign.objects.filter(region=place, title=CAMPAIGNS[0][0]).exists():
        result.skipped = True
        say("Outreach: already loaded.")
        return result
    today = today or timezone.localdate()
    january = new_year(today)
    actor = User.objects.filter(username=f"planner_{region}").first()
    agencies = {a.code: a for a in Agency.objects.filter(region=place)}
    fallback = Agency.objects.order_by("id").first()
    for title, kk, ru, topic, channel, audience, owner, first, last, planned in CAMPAIGNS:
        starts = january + dt.timedelta(days=first)
        ends = january + dt.timedelta(days=last)
        campaign = services.create_campaign(
            acting_user=actor,
            title=title,
            title_kk=kk,
            title_ru=ru,
            topic=topic,
            channel=channel,
            audience=audience,
            region=place,
            starts_on=starts,
            ends_on=ends,
            planned_reach=planned,
            owner=agencies.get(f"{owner}-{region}", fallback),
        )
        result.campaigns += 1
        if today < starts:
            continue
        services.move_campaign(acting_user=actor, campaign=campaign, name="start")
        done = min((today - starts).days + 1, (ends - starts).days + 1)
        share = done / ((ends - starts).days + 1)
        services.record_reach(
            acting_user=actor, campaign=campaign, reached=int(planned * share * 0.9)
        )
        if today > ends:
            services.move_campaign(acting_user=actor, campaign=campaign, name="finish")
    result.meetings = _meetings(place, actor, january, today, agencies.get(f"education-{region}"))
    say(f"Outreach: {result.campaigns} campaigns, {result.meetings} parent meetings.")
    return result


def _meetings(
    place: Region, actor: User | None, january: dt.date, today: dt.date, agency: Agency | None
) -> int:
    """Parent meetings at a share of the region's schools, on December's school days up to
    ``today`` (the week before when December has hardly begun)."""
    if ParentMeeting.objects.filter(region=place).exists():
        return 0
    last = min(january - dt.timedelta(days=7), today)
    first = min(january - dt.timedelta(days=31), last - dt.timedelta(days=6))
    days = [
        first + dt.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + dt.timedelta(days=n)).weekday() < 6
    ]
    schools = list(Facility.objects.filter(region=place, kind="school").order_by("id"))
    rng = random.Random(2026)
    chosen = rng.sample(schools, round(len(schools) * SCHOOL_SHARE)) if days else []
    made = 0
    for school in chosen:
        for _ in range(rng.choice([1, 1, 1, 2])):
            services.record_meeting(
                acting_user=actor,
                school=school,
                held_on=rng.choice(days),
                attendees=rng.randint(14, 38),
                grade=rng.choice(GRADES),
                topics=sorted(rng.sample(MEETING_TOPICS, rng.randint(2, 4))),
                held_by_agency=agency,
                held_by="Class teacher with the district police inspector",
            )
            made += 1
    return made
