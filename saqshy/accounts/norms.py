"""Default norms (national), as data; regions override them in the admin.

Every entry: code -> (value, unit, description, source). ``sync_norms`` creates the missing
national defaults after every migration and never overwrites a value someone has set.
"""

from __future__ import annotations

from typing import Any

DEFAULT_NORMS: dict[str, tuple[float, str, str, str]] = {
    "inspection_validity_days": (
        30,
        "days",
        "An inspection clears a venue for events within this many days after it",
        "issue 3 (season practice)",
    ),
    "fire_standby_attendance": (
        1000,
        "people",
        "Events expecting at least this many people need a fire standby",
        "regional practice; set per region",
    ),
    "medical_presence_attendance": (
        500,
        "people",
        "Events expecting at least this many people need medical presence",
        "regional practice; set per region",
    ),
    "children_prep_season_days": (
        90,
        "days",
        "A staff briefing and an evacuation drill count for children's events "
        "held within this many days after them",
        "issue 3 (the season)",
    ),
    "access_route_check_days": (
        3,
        "days",
        "An emergency access route check counts for this many days before an event",
        "issue 3",
    ),
    "evacuation_norm_seconds": (
        480,
        "seconds",
        "Normal maximum evacuation (egress) time",
        "UK Guide to Safety at Sports Grounds §10.7 (8 min)",
    ),
    # Response times. Arrival norms are per incident type: `response_arrival_<type>_seconds`
    # (added in the admin for any type), or the fire norm below for fire and fire alarms.
    # A type with neither has no norm, and the indicators show none rather than a guess.
    "response_dispatch_seconds": (
        60,
        "seconds",
        "From the call to the first unit dispatched (90 % of calls within it)",
        "NFPA 1225 (2022): answer to first unit dispatched within 60 s for 90 %",
    ),
    "response_arrival_fire_city_seconds": (
        600,
        "seconds",
        "Fire units' arrival at a fire or fire alarm in a city, counted here from dispatch "
        "to on scene",
        "Kazakh technical regulation as quoted by the Almaty emergency department "
        "(≤ 10 min in large cities)",
    ),
}


def sync_norms() -> int:
    from saqshy.accounts.models import Norm

    for code, (value, unit, description, source) in DEFAULT_NORMS.items():
        Norm.objects.get_or_create(
            code=code,
            region=None,
            defaults={"value": value, "unit": unit, "description": description, "source": source},
        )
    return len(DEFAULT_NORMS)


def sync_norms_after_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "label", "") == "accounts":
        sync_norms()
