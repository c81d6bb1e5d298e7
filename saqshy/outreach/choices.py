from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class Topic(ChoiceSet):
    """What a campaign or a parent meeting is about."""

    FIREWORKS = "fireworks"
    ICE = "ice"
    COLD = "cold"
    SUPERVISION = "supervision"
    ROAD_SAFETY = "road_safety"
    TRIPS = "trips"
    FIRE_SAFETY = "fire_safety"

    CHOICES = [
        (FIREWORKS, _("Fireworks"), "#e6550d"),
        (ICE, _("Thin ice"), "#6baed6"),
        (COLD, _("Cold and frostbite"), "#3182bd"),
        (SUPERVISION, _("Supervision of children"), "#31a354"),
        (ROAD_SAFETY, _("Road safety"), "#fd8d3c"),
        (TRIPS, _("Trips out of town"), "#756bb1"),
        (FIRE_SAFETY, _("Fire safety"), "#de2d26"),
    ]


class Channel(ChoiceSet):
    TV = "tv"
    RADIO = "radio"
    SOCIAL = "social"
    SMS = "sms"
    POSTERS = "posters"
    SCHOOL_LESSONS = "school_lessons"
    COMMUNITY = "community"
    PRESS = "press"

    CHOICES = [
        (TV, _("Television"), "#08519c"),
        (RADIO, _("Radio"), "#3182bd"),
        (SOCIAL, _("Social media"), "#6baed6"),
        (SMS, _("Text messages"), "#9ecae1"),
        (POSTERS, _("Posters and leaflets"), "#fd8d3c"),
        (SCHOOL_LESSONS, _("Lessons at school"), "#31a354"),
        (COMMUNITY, _("Mosques and community meetings"), "#756bb1"),
        (PRESS, _("Newspapers and news sites"), "#636363"),
    ]


class Audience(ChoiceSet):
    PARENTS = "parents"
    PUPILS = "pupils"
    DRIVERS = "drivers"
    PUBLIC = "public"
    ELDERLY = "elderly"

    CHOICES = [
        (PARENTS, _("Parents"), "#31a354"),
        (PUPILS, _("Pupils"), "#74c476"),
        (DRIVERS, _("Drivers"), "#fd8d3c"),
        (PUBLIC, _("General public"), "#3182bd"),
        (ELDERLY, _("Older people"), "#756bb1"),
    ]


class CampaignStatus(ChoiceSet):
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"

    CHOICES = [
        (PLANNED, _("Planned"), "#bdbdbd"),
        (RUNNING, _("Running"), "#31a354"),
        (FINISHED, _("Finished"), "#636363"),
    ]

    TRANSITIONS = {
        "start": ((PLANNED,), RUNNING),
        "finish": ((RUNNING,), FINISHED),
        "resume": ((FINISHED,), RUNNING),
    }
    # A campaign that has started counts as running on the days of its period.
    STARTED = (RUNNING, FINISHED)


TOPICS = Topic.choices()
CHANNELS = Channel.choices()
AUDIENCES = Audience.choices()
CAMPAIGN_STATUSES = CampaignStatus.choices()
