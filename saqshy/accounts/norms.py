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
    "violation_verifier_independent": (
        1,
        "flag",
        "Separation of duties: 1 = whoever marked a violation eliminated may not verify it; "
        "0 = allowed (a region with a single inspector)",
        "four-eyes principle: the person who checks a fix is not the one who made it",
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
    "protection_standard_tier_people": (
        200,
        "people",
        "A venue or event for at least this many people needs a protective-security "
        "assessment (standard tier)",
        "UK Terrorism (Protection of Premises) Act 2025: standard tier 200–799 people",
    ),
    "protection_enhanced_tier_people": (
        800,
        "people",
        "From this many people the enhanced tier applies (access control and search, a "
        "designated senior person, a documented risk assessment)",
        "UK Terrorism (Protection of Premises) Act 2025: enhanced tier 800 people or more",
    ),
    "protection_assessment_validity_days": (
        365,
        "days",
        "A completed protective-security assessment counts for events within this many days",
        "Saqshy default: reviewed once a year, as the Act expects procedures kept under review",
    ),
    "evacuation_norm_seconds": (
        480,
        "seconds",
        "Normal maximum evacuation (egress) time",
        "UK Guide to Safety at Sports Grounds §10.7 (8 min)",
    ),
    "home_alarm_heartbeat_hours": (
        3,
        "hours",
        "A home fire alarm with no heartbeat for this many hours is offline and gets a visit",
        "Saqshy default: the programme's alarms report hourly, so three missed heartbeats; one "
        "lost message or a broker restart sends nobody out (commercial radio fire systems are "
        "supervised in minutes, but a home visit is a day's work)",
    ),
    "home_alarm_task_due_hours": (
        72,
        "hours",
        "A device maintenance task (visit, battery, tamper check) is due this many hours "
        "after it opens",
        "Saqshy default: within three working days; a region sets its own",
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
    "call_acknowledgement_seconds": (
        30,
        "seconds",
        "A new call still waiting for dispatch after this many seconds is escalated on the "
        "dispatchers' map (its queue row and marker flash)",
        "NFPA 1221 (2019) 7.4.1: 90 % of alarms answered within 15 s, 95 % within 20 s; "
        "30 s leaves time to record the call (assumption; set per region)",
    ),
    "response_arrival_fire_city_seconds": (
        600,
        "seconds",
        "Fire units' arrival at a fire or fire alarm in a city, counted here from dispatch "
        "to on scene",
        "Kazakh technical regulation as quoted by the Almaty emergency department "
        "(≤ 10 min in large cities)",
    ),
    # Duty (issue 5). No public Kazakh staffing norm for these was found: every value below
    # is a stated assumption for the demo, to be set per region in the admin.
    "readiness_normal_staffing": (
        1.0,
        "multiplier",
        "Normal duty: each post's need per hour is staffed as it is",
        "by definition",
    ),
    "readiness_enhanced_staffing": (
        1.25,
        "multiplier",
        "Enhanced duty: each post's need per hour is multiplied by this (rounded up)",
        "assumption (no public norm found); set per region",
    ),
    "readiness_high_alert_staffing": (
        1.5,
        "multiplier",
        "High alert: each post's need per hour is multiplied by this (rounded up)",
        "assumption (no public norm found); set per region",
    ),
    "readiness_normal_reserve": (
        0.0,
        "share",
        "Normal duty: share of an agency's available personnel on call as reserve",
        "by definition",
    ),
    "readiness_enhanced_reserve": (
        0.1,
        "share",
        "Enhanced duty: share of an agency's available personnel on call as reserve",
        "assumption (no public norm found); set per region",
    ),
    "readiness_high_alert_reserve": (
        0.25,
        "share",
        "High alert: share of an agency's available personnel on call as reserve",
        "assumption (no public norm found); set per region",
    ),
    # Strategic facilities: `duty_strategic_<facility kind>` police officers per hour, 24/7.
    # A kind without such a norm (or with 0) is not strategic; add one in the admin.
    "duty_strategic_station": (
        2,
        "officers",
        "Railway and bus stations are strategic: police officers per hour, 24/7",
        "assumption; the brief orders 24/7 duty at strategic facilities",
    ),
    "duty_strategic_airport": (
        4,
        "officers",
        "Airports are strategic: police officers per hour, 24/7",
        "assumption; the brief orders 24/7 duty at strategic facilities",
    ),
    "duty_strategic_energy_site": (
        1,
        "officers",
        "Power plants and substations are strategic: police officers per hour, 24/7",
        "assumption; the brief orders 24/7 duty at strategic facilities",
    ),
    "duty_strategic_heating_plant": (
        1,
        "officers",
        "Heating plants are strategic: police officers per hour, 24/7",
        "assumption; the brief orders 24/7 duty at strategic facilities",
    ),
    "duty_strategic_water_utility": (
        1,
        "officers",
        "Water utilities are strategic: police officers per hour, 24/7",
        "assumption; the brief orders 24/7 duty at strategic facilities",
    ),
    # Utility sites: `duty_utility_<facility kind>` repair-crew members of the energy agency
    # on duty per hour, 24/7.
    "duty_utility_energy_site": (
        2,
        "people",
        "Power sites: repair-crew members (electricians) on duty per hour, 24/7",
        "assumption; the brief orders repair-crew duty schedules",
    ),
    "duty_utility_heating_plant": (
        2,
        "people",
        "Heating plants: repair-crew members (heating fitters) on duty per hour, 24/7",
        "assumption; the brief orders repair-crew duty schedules",
    ),
    "duty_utility_water_utility": (
        2,
        "people",
        "Water utilities: repair-crew members (plumbers) on duty per hour, 24/7",
        "assumption; the brief orders repair-crew duty schedules",
    ),
    # Mass events.
    "duty_event_attendees_per_officer": (
        250,
        "people",
        "Mass events: one police officer per this many expected attendees",
        "assumption; set per region",
    ),
    "duty_event_children_attendees_per_officer": (
        100,
        "people",
        "Children's events: one police officer per this many expected attendees",
        "assumption (the brief asks for more security at children's events)",
    ),
    "duty_event_min_officers": (
        1,
        "officers",
        "Every mass event has at least this many police officers per hour",
        "assumption",
    ),
    "duty_event_fire_standby_people": (
        4,
        "people",
        "Fire standby at events that need one (see fire_standby_attendance): firefighters per hour",
        "assumption: one engine's minimum crew",
    ),
    "duty_event_medical_people": (
        2,
        "people",
        "Medical presence at events that need it (see medical_presence_attendance): "
        "paramedics per hour",
        "assumption: one ambulance crew",
    ),
    "duty_event_lead_minutes": (
        60,
        "minutes",
        "An event's post starts this long before the event (arrival, checks, briefing)",
        "assumption",
    ),
    "duty_event_after_minutes": (
        30,
        "minutes",
        "An event's post ends this long after the event (dispersal)",
        "assumption",
    ),
    "trip_escort_buffer_minutes": (
        60,
        "minutes",
        "A children's trip escort must be free this long before departure and after return",
        "assumption: time to meet the group and hand over; set per region",
    ),
    # Patrol plans and rosters (issue 10).
    "patrol_foot_speed_kmh": (
        4.5,
        "km/h",
        "Foot patrols: no planned leg between two stops is faster than this walking speed "
        "(road distance taken as 1.3 times the straight line)",
        "pedestrian walking speed 1.2-1.4 m/s (4.3-5.0 km/h), e.g. HCM's 1.2 m/s; a walking "
        "patrol covers about 3-5 km/h including stops",
    ),
    "duty_min_post_stint_hours": (
        2,
        "hours",
        "Rosters: once at a post, an officer stays there at least this long (unless the duty "
        "ends sooner), so nobody is moved between posts hourly",
        "assumption (no public norm found); set per region",
    ),
    # Home fire alarms (issue 11).
    "home_alarm_dedup_minutes": (
        30,
        "minutes",
        "Home fire alarms: a second alarm from the same household within this many minutes "
        "joins its open incident instead of opening another",
        "assumption: one fire, several detectors or repeated triggers; set per region",
    ),
    "home_alarm_close_on_false_alarm": (
        1,
        "flag",
        "Home fire alarms: 1 = a call-back answered 'false alarm' cancels the incident "
        "while no unit is on scene; 0 = the dispatcher decides",
        "fire service's rule; set per region",
    ),
    # Lifelines: the district-heating schedule (a straight line between two points, clamped),
    # when telemetry counts as recovered, and how people in a service area are estimated.
    "lifelines_design_outdoor_temp": (
        -31,
        "°C",
        "Heating curve: the design outdoor temperature, at which the network sends its design "
        "supply temperature",
        "SP RK 2.04-01-2017 (building climatology): Astana, coldest five-day period, about "
        "−31 °C; set per region",
    ),
    "lifelines_design_supply_temp": (
        150,
        "°C",
        "Heating curve: the supply temperature at the design outdoor temperature",
        "common CIS district-heating practice: a 150/70 °C schedule; set per region",
    ),
    "lifelines_mild_outdoor_temp": (
        8,
        "°C",
        "Heating curve: the mild outdoor temperature at which the supply is at its minimum",
        "common CIS district-heating practice: the schedule's break at +8 °C; set per region",
    ),
    "lifelines_mild_supply_temp": (
        70,
        "°C",
        "Heating curve: the minimum supply temperature (enough to heat tap water)",
        "common CIS district-heating practice: a 150/70 °C schedule; set per region",
    ),
    "lifelines_supply_tolerance": (
        5,
        "°C",
        "Heating curve: a supply temperature this far below the curve is still normal",
        "assumption; set per region",
    ),
    "lifelines_restore_minutes": (
        30,
        "minutes",
        "An outage is restored when every parameter of its site has been back in range for "
        "this long",
        "assumption; set per region",
    ),
    "lifelines_floor_m2_per_person": (
        30,
        "m²",
        "People affected by an outage: one resident per this much gross floor area of the "
        "buildings in the site's service area",
        "about 23 m² of housing per resident in Kazakhstan (Bureau of National Statistics), "
        "divided by a living share of about 0.75 of gross floor area (assumption)",
    ),
    # The daily situation report (issue 12): the window it covers and when it is due.
    "report_window_hour": (
        8,
        "hour",
        "Daily report: the reporting window runs from this hour of the day before to this "
        "hour of the report's day (local time)",
        "the commission's practice: the morning report covers the last 24 hours; set per region",
    ),
    "report_due_hour": (
        10,
        "hour",
        "Daily report: a region's report not submitted by this hour of its day (local time) "
        "is late and escalates on the secretariat's board",
        "assumption: two hours after the window closes; set per region",
    ),
    "lifelines_service_radius_m": (
        3000,
        "metres",
        "A utility site's default service area reaches at most this far (within its Voronoi "
        "cell among the sites of its kind)",
        "assumption; set per region",
    ),
    # Winter on the roads (issue 13): warming points and standby for bad weather.
    "winter_offroad_speed_kmh": (
        40,
        "km/h",
        "Nearest warming point: assumed speed along the straight line when the place or the "
        "point is off the highway network",
        "assumption: winter driving on local roads; set per region",
    ),
    "winter_standby_ploughs_per_closed_segment": (
        1,
        "units",
        "Standby: snow ploughs needed for each closed or restricted segment, or one under a "
        "weather warning",
        "issue 13: special equipment on standby for bad weather; set per region",
    ),
    "winter_standby_tow_trucks_per_closed_segment": (
        1,
        "units",
        "Standby: tow trucks needed for each closed or restricted segment, or one under a "
        "weather warning",
        "issue 13: special equipment on standby for bad weather; set per region",
    ),
    "winter_standby_helicopters_per_region": (
        1,
        "units",
        "Standby: helicopters needed in a region under an orange or red weather warning or "
        "with a road closed for the weather",
        "issue 13: aviation on standby for bad weather; set per region",
    ),
    # Road-weather warnings (issue 13): the rules of saqshy/algorithms/road_weather.py.
    "weather_cold_orange_c": (
        -30,
        "°C",
        "Road weather: an extreme-cold warning (orange) when the air temperature is at or "
        "below this",
        "Kazhydromet storm warnings announce frost of 30 degrees and below in the northern "
        "regions; set per region",
    ),
    "weather_cold_red_c": (
        -35,
        "°C",
        "Road weather: the extreme-cold warning becomes red at or below this temperature",
        "Kazhydromet: severe frost (-35 °C and below) is a hazardous phenomenon in the "
        "northern regions; set per region",
    ),
    "weather_wind_orange_kmh": (
        72,
        "km/h",
        "Road weather: a storm-wind warning (orange) when gusts reach this speed",
        "20 m/s, the upper end of Kazhydromet's storm-warning gusts of 15-20 m/s",
    ),
    "weather_wind_red_kmh": (
        90,
        "km/h",
        "Road weather: the storm-wind warning becomes red when gusts reach this speed",
        "25 m/s, very strong wind, a hazardous phenomenon (WMO Beaufort 10, storm)",
    ),
    "weather_blizzard_orange_kmh": (
        54,
        "km/h",
        "Road weather: a blizzard warning (orange) when snow falls with gusts of this speed",
        "15 m/s, the lower end of Kazhydromet's storm-warning gusts announced with a blizzard",
    ),
    "weather_blizzard_red_kmh": (
        83,
        "km/h",
        "Road weather: the blizzard warning becomes red when gusts in falling snow reach this",
        "23 m/s, the gusts of Kazhydromet's strongest blizzard warnings (23-28 m/s)",
    ),
    "weather_snow_yellow_cm": (
        5,
        "cm",
        "Road weather: a heavy-snow warning (yellow) when this much snow falls in 12 hours",
        "heavy snow is 7 mm of water or more in 12 hours (Kazhydromet and Roshydromet "
        "practice), about 5 cm of snow",
    ),
    "weather_snow_orange_cm": (
        14,
        "cm",
        "Road weather: the heavy-snow warning becomes orange at this much snow in 12 hours",
        "very heavy snow is 20 mm of water or more in 12 hours (Kazhydromet and Roshydromet "
        "practice), about 14 cm of snow",
    ),
    # Crowds (issue 14): density seen by the cameras over their watched ground area.
    "crowd_density_warning": (
        4,
        "persons/m²",
        "Crowd density: at or above this a camera's watched area is shown amber (a moving "
        "crowd stalls)",
        "G. Keith Still, crowd safety: 4 persons/m² is where a moving crowd comes to a stop",
    ),
    "crowd_density_critical": (
        5,
        "persons/m²",
        "Crowd density: at or above this a camera's watched area is red and a dangerous "
        "crowd density incident opens at its venue",
        "G. Keith Still, crowd safety: 5 persons/m² is uncomfortable and can become dangerous",
    ),
    "crowd_density_hold_minutes": (
        10,
        "minutes",
        "Crowd density: a camera opens a new incident only after its density has stayed below "
        "the warning norm for this long (and its last incident is closed)",
        "assumption: a crowd that thins for a few minutes and packs again is the same "
        "situation; set per region",
    ),
    "weather_min_hours": (
        2,
        "hours",
        "Road weather: a warning needs at least this many dangerous hours",
        "assumption: one hour of gusts is no reason to close a road; set per region",
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


def in_reader_language(text: str) -> str:
    """A norm's stored description or source in the reader's language.

    The defaults above are English and their texts are msgids of the .po files, so a
    default shows translated; a text someone wrote in the admin has no entry and shows as
    written."""
    from django.utils.translation import gettext

    return gettext(text) if text else ""
